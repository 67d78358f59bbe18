"""The one place that knows where planner's files live.

Everything goes through platformdirs, except when ``PLANNER_HOME`` is set:
then config, data and state all live below that folder (for tests and for
portable use). Nothing here creates a folder at import time.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "planner"
HOME_ENV = "PLANNER_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def state_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "state"
    return platformdirs.user_state_path(APP_NAME, appauthor=False)


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def default_plan() -> Path:
    return data_dir() / "default.toml"


def plan_key(plan: Path) -> str:
    """A stable name for ``plan`` in the state folder: the hash of its resolved path."""
    resolved = os.path.realpath(plan)
    return hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def journal_file(plan: Path) -> Path:
    """Where the unsaved edits of ``plan`` are kept until it is saved (crash recovery)."""
    return state_dir() / "journals" / f"{plan_key(plan)}.json"


def lock_file(plan: Path) -> Path:
    """The advisory lock that says ``plan`` is open in an app."""
    return state_dir() / "locks" / f"{plan_key(plan)}.lock"


def places_file() -> Path:
    """Where the app remembers the view and selection each plan was left on."""
    return state_dir() / "places.json"
