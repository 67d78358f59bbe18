"""What is wrong with a plan, and where."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "note"]
KeyPath = tuple[str | int, ...]


def dotted(path: KeyPath) -> str:
    """``("smm", "posts", 3, "at")`` -> ``smm.posts[3].at``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = part if part.replace("-", "").replace("_", "").isalnum() else json.dumps(part, ensure_ascii=False)
            out += f".{text}" if out else text
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    message: str
    path: KeyPath = ()
    line: int | None = None
    col: int | None = None
    hint: str = ""
    code: str = ""  # a stable slug, e.g. "syntax", "type", "phase-gate"

    def located(self, file: str) -> str:
        """One line: ``FILE:LINE:COL: message`` or ``FILE:LINE: key.path: message``."""
        where = file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None and not self.path:
                where += f":{self.col}"
        parts = [where]
        if self.path:
            parts.append(dotted(self.path))
        label = "" if self.severity == "error" else f"{self.severity}: "
        text = label + self.message
        if self.hint:
            text += f" ({self.hint})"
        parts.append(text)
        return ": ".join(parts)

    def as_json(self, file: str) -> dict:
        return {
            "file": file,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "code": self.code,
            "path": dotted(self.path),
            "message": self.message,
            "hint": self.hint,
        }
