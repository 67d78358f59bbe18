"""One error family for everything the user can be told about.

The command line prints a `PlannerError` on one line and exits with its
`exit_code`; the app shows it and keeps the user's work.
"""

from __future__ import annotations

from pathlib import Path


class PlannerError(Exception):
    """Something the user must be told, in one line, without a traceback."""

    title = "Error"
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PlanUnreadable(PlannerError):
    """The plan file cannot be read or is not a TOML document."""

    title = "Cannot read plan"


class PlanInvalid(PlannerError):
    """The plan parses as TOML but breaks the plan format (see `problems`)."""

    title = "Plan has errors"

    def __init__(self, message: str, problems: list | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class SaveError(PlannerError):
    """The plan could not be written; the file on disk is unchanged."""

    title = "Not saved"


class SaveConflict(SaveError):
    """The file changed on disk since it was read; saving would lose that change."""

    title = "Changed on disk"


class PlanLocked(PlannerError):
    """The plan is open in the app (it holds the plan's lock): a command must not write it."""

    title = "Open elsewhere"


class EditError(PlannerError):
    """An edit cannot be applied to the document."""

    title = "Cannot edit"


class ExportError(PlannerError):
    """An export cannot be written (a file that is not an earlier export, a bad option)."""

    title = "Not exported"


class NotAnExport(ExportError):
    """The output file exists and is not an export proven unchanged: replacing it needs the user's say-so.

    ``path`` is the file refused (of the two a CSV of both phases writes),
    ``reason`` says why, to follow its name: "exists and is not a planner
    export", "was edited since planner exported it"...
    """

    def __init__(
        self, message: str, reason: str = "exists and is not a planner export", path: Path | None = None
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.path = path


class ImportInvalid(PlannerError):
    """Rows of an imported file are not valid posts; nothing was written.

    ``lines`` holds one ``FILE:LINE: message`` per problem, every bad row listed.
    """

    title = "Not imported"
    exit_code = 1

    def __init__(self, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.lines = lines or [message]


class ImportUnreadable(PlannerError):
    """The file to import cannot be read, is not UTF-8 or is not CSV."""

    title = "Cannot read import"


class AuditUnreadable(PlannerError):
    """A page to audit cannot be read: a missing file, a folder without pages, a URL that fails."""

    title = "Cannot audit"
