"""User settings: a small TOML file in the platformdirs config folder.

Read with tomllib, written atomically with tomlkit so that a person's
comments in the file survive the app remembering a theme. A broken settings
file never stops the app: it falls back to defaults and says why.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomlkit

from planner import locations
from planner.errors import PlannerError
from planner.plan.storage import atomic_write

WEEK_STARTS = ("monday", "sunday", "saturday")


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = ""  # empty: follow the terminal (see `default_theme`)
    week_start: str = "monday"
    approver: str = ""  # who approves posts in the app; empty: git config user.name
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def week_start_index(self) -> int:
        """0 = Monday ... 6 = Sunday, as `datetime.date.weekday()`."""
        return {"monday": 0, "saturday": 5, "sunday": 6}[self.week_start]


def default_theme(environ: Mapping[str, str] | None = None) -> str:
    """A light theme in a terminal that says its background is light (COLORFGBG), else dark."""
    parts = (os.environ if environ is None else environ).get("COLORFGBG", "").split(";")
    try:
        background = int(parts[-1])
    except ValueError:
        return "textual-dark"
    return "textual-light" if background in (7, 15) else "textual-dark"


def load_settings(path: Path | None = None) -> Settings:
    path = path or locations.settings_file()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(problems=(f"{path}: ignored ({error}); using defaults",))
    settings = Settings()
    problems = []
    theme = data.get("theme", "")
    if isinstance(theme, str):
        settings = replace(settings, theme=theme)
    else:
        problems.append(f"{path}: theme must be a string")
    week_start = data.get("week_start", "monday")
    if week_start in WEEK_STARTS:
        settings = replace(settings, week_start=week_start)
    else:
        problems.append(f"{path}: week_start must be one of {', '.join(WEEK_STARTS)}")
    approver = data.get("approver", "")
    if isinstance(approver, str):
        settings = replace(settings, approver=approver.strip())
    else:
        problems.append(f"{path}: approver must be a string")
    return replace(settings, problems=tuple(problems))


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set one key in the settings file, keeping everything else in it."""
    path = path or locations.settings_file()
    try:
        document = tomlkit.parse(path.read_text("utf-8")) if path.exists() else tomlkit.document()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as error:
        raise PlannerError(f"{path}: cannot update settings ({error})") from None
    document[key] = value
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PlannerError(f"{path.parent}: cannot create ({error.strerror or error})") from None
    atomic_write(path, tomlkit.dumps(document).encode("utf-8"))
