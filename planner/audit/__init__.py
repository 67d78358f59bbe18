"""The site audit: check built pages or a live URL for what makes them shareable.

Pure core, no Textual: `reading` finds and reads pages (`encodings` names
the text encodings a page may declare), `budget` bounds the work of parsing
one page, `rules` parses and checks them, `run` audits targets into an `AuditReport`, `apply` turns a
report into edits that tick the plan's linked SMO items, and `output`
writes the report for the command line.
"""

from planner.audit.run import AuditReport, PageReport, run_audit

__all__ = ["AuditReport", "PageReport", "run_audit"]
