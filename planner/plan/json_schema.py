"""A JSON Schema (draft 2020-12) of the plan format, made from `planner.plan.fields`.

Editors that read TOML with a JSON Schema (taplo, Even Better TOML) use it
to complete keys and values and to flag mistakes while a plan is typed. It
says what the validator says as far as a JSON Schema can: types, required
keys, defaults, bounds, the allowed values (status, audit rule, time zone),
patterns (ids, best times, handles per platform) and a description of
every field. Unknown keys are allowed, as in the validator (they are kept
and reported as notes). What it cannot say, `planner check` still does:
uniqueness of ids, a post's platform being chosen, `end` after `start`,
and quotes around a date (taplo hands a TOML date to the schema as a
string, so a quoted date in the same form looks the same to it).
"""

from __future__ import annotations

import json
from typing import Any

from planner.plan import fields as F

DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = f"planner plan, format v{F.SCHEMA_VERSION}"
# A file named so next to a plan is what `planner new` points the plan's #:schema directive at.
FILE_NAME = "planner.schema.json"
NOT_BLANK = r"\S"
LOCAL_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?$"


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _field(field: F.Field) -> dict[str, Any]:
    out: dict[str, Any] = {"description": field.description} if field.description else {}
    kind = field.kind
    if kind == "integer":
        out["type"] = "integer"
        if field.minimum is not None:
            out["minimum"] = field.minimum
        if field.maximum is not None:
            out["maximum"] = field.maximum
    elif kind == "number":
        out["type"] = "number"
        if field.minimum is not None:
            out["minimum"] = field.minimum
    elif kind == "string":
        values = list(field.values()) if field.values else []
        if values and field.open_values:
            out["anyOf"] = [{"enum": values}, {"type": "string", "pattern": NOT_BLANK}]
        elif values:
            out["type"] = "string"
            out["enum"] = values
        else:
            out["type"] = "string"
            if field.required:
                out["pattern"] = NOT_BLANK
        if field.pattern:
            out["pattern"] = _anchored(field.pattern)
    elif kind == "date":
        out.update(type="string", format="date")
    elif kind == "local-datetime":
        out.update(type="string", pattern=LOCAL_DATETIME)
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "strings":
        item: dict[str, Any] = {"type": "string"}
        if field.pattern:
            item["pattern"] = _anchored(field.pattern)
        out.update(type="array", items=item)
    elif kind == "table":
        out["$ref"] = f"#/$defs/{field.table}"
    elif kind == "tables":
        out.update(type="array", items={"$ref": f"#/$defs/{field.table}"})
    elif kind == "handles":
        out.update(type="object", properties=_handles(), additionalProperties={"type": "string"})
    if field.default is not None:
        out["default"] = list(field.default) if isinstance(field.default, tuple) else field.default
    return out


def _handle_pattern(pattern: str) -> str:
    """A handle as the validator reads it: blank, or the platform's pattern after an optional @, spaces around."""
    return rf"^\s*(@?(?:{pattern}))?\s*$"


def _handles() -> dict[str, Any]:
    from planner.rules.platforms import builtin_platforms

    return {
        name: {
            "type": "string",
            "pattern": _handle_pattern(rules.handle_pattern),
            "description": f"The handle on {rules.label} ({rules.handle_source}).",
        }
        for name, rules in builtin_platforms().items()
        if rules.handle_pattern
    }


def _table(table: F.Table) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "description": table.description}
    out["properties"] = {field.key: _field(field) for field in table.fields}
    required = [field.key for field in table.fields if field.required]
    if required:
        out["required"] = required
    if table is F.PLATFORM:  # the handle's pattern depends on the platform's name
        out["allOf"] = [
            {
                "if": {"properties": {"name": {"const": name}}, "required": ["name"]},
                "then": {"properties": {"handle": handle}},
            }
            for name, handle in _handles().items()
        ]
    return out


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of the plan format, as a dict."""
    schema: dict[str, Any] = {"$schema": DIALECT, "title": TITLE, **_table(F.PLAN)}
    schema["$defs"] = {name: _table(table) for name, table in F.TABLES.items() if table is not F.PLAN}
    return schema


def plan_schema_text() -> str:
    """The schema as `planner schema` prints it: JSON, two-space indents, a final newline; the same bytes every time."""
    return json.dumps(plan_schema(), indent=2, ensure_ascii=False) + "\n"


def is_planner_schema(text: str) -> bool:
    """Whether ``text`` is a schema planner wrote (so it may be replaced with a newer one)."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return (
        isinstance(data, dict)
        and isinstance(data.get("title"), str)
        and data["title"].startswith("planner plan, format v")
    )
