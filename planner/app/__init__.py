"""The Textual app. Only this package imports Textual."""

from __future__ import annotations

from pathlib import Path


def run_app(path: Path) -> int:
    from planner.app.main import make_app

    app = make_app(path)
    app.run()
    return app.return_code or 0
