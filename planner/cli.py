"""The ``planner`` command line.

Exit codes: 0 clean; 1 problems found (errors or warnings in a plan);
2 a plan could not be read, or the command was used wrongly.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from planner import __version__
from planner.errors import (
    EditError,
    ImportInvalid,
    PlanInvalid,
    PlanLocked,
    PlannerError,
    PlanUnreadable,
)
from planner.plan.model import STATUSES
from planner.plan.plan_file import Loaded, load, with_lines
from planner.plan.problems import Problem
from planner.plan.schema import SCHEMA_VERSION, valid_timezone
from planner.plan.storage import atomic_write
from planner.plan.template import CAMPAIGN_DAYS, new_plan_text, next_monday, system_timezone
from planner.report import (
    Folded,
    all_problems,
    display_path,
    exit_code,
    fold,
    folded_note,
    introduced,
    sorted_problems,
    status_text,
)
from planner.textsafe import json_for_terminal, one_line
from planner.words import counted

EXIT_UNREADABLE = 2
STRICT_DAYS = 7  # how many days ahead `planner check --strict` wants posts approved, unless --due-within says
DEFAULT_NAME = "New campaign"


def fail(message: str, code: int = EXIT_UNREADABLE) -> None:
    click.echo(f"planner: {one_line(message)}", err=True)
    sys.exit(code)


def plan_completions(incomplete: str) -> list:
    """What the shell offers for a PLAN: the ``*.toml`` files and folders that start with ``incomplete``.

    Names with control characters are never offered: the shell would put
    them on the user's command line as they are.
    """
    from click.shell_completion import CompletionItem

    folder = incomplete[: incomplete.rfind("/") + 1]
    prefix = incomplete[len(folder) :]
    try:
        entries = sorted(Path(folder or ".").expanduser().iterdir())
    except OSError:
        return []
    items = []
    for entry in entries:
        name = entry.name
        if (
            not name.startswith(prefix)
            or (name.startswith(".") and not prefix.startswith("."))
            or one_line(name) != name
        ):
            continue
        try:
            if entry.is_dir():
                items.append(CompletionItem(f"{folder}{name}/"))
            elif name.endswith(".toml"):
                items.append(CompletionItem(f"{folder}{name}"))
        except OSError:
            continue
    return items


class PlanPath(click.Path):
    """A plan's path: the shell completes it with ``*.toml`` files and folders."""

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
        return plan_completions(incomplete)


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path`` (not even a dangling link); a name the system refuses (too long) is one line, exit 2."""
    try:
        return not path.exists() and not path.is_symlink()
    except OSError as error:
        fail(f"{path}: {error.strerror or error}")
        raise  # not reached: fail exits


def _looks_like_a_file(word: str) -> bool:
    """A word with a suffix (``launch.toml``) or a folder in it names a file, even one not yet there."""
    return "." in word or "/" in word or os.sep in word or not _missing(Path(word))


class _DefaultToOpen(click.Group):
    """``planner PLAN`` means ``planner open PLAN``: a first word that is not a command is a plan.

    A word close to a command that names no file is taken for a typo: the
    command line says so and exits 2 instead of opening the app.
    """

    def resolve_command(self, ctx: click.Context, args: list[str]):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["open", *args]
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            if not ctx.resilient_parsing and not _looks_like_a_file(args[0]):
                import difflib

                close = difflib.get_close_matches(args[0].lower(), self.list_commands(ctx), n=1)
                if close:
                    fail(f"no such command '{args[0]}'; did you mean '{close[0]}'?")
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list:
        """Commands, options, and plan files (``planner PLAN`` opens one)."""
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items += plan_completions(incomplete)
        return items

    def main(self, *args: Any, prog_name: str | None = None, **kwargs: Any) -> Any:
        # "planner", not "python -m planner", in usage lines and --version
        return super().main(*args, prog_name=prog_name or "planner", **kwargs)  # type: ignore[call-overload]


def examples(*lines: str) -> str:
    """A command's help epilog: its examples, one per line, kept as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@click.group(
    "planner",
    cls=_DefaultToOpen,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=examples(
        "planner new launch.toml --name 'Spring launch'", "planner launch.toml", "planner check launch.toml"
    ),
)
@click.version_option(
    __version__,
    "--version",
    prog_name="planner",
    message=f"%(prog)s, version %(version)s\nplan format: schema {SCHEMA_VERSION} (the version this planner reads and writes)",
)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Plan a social campaign: the SMO checklist, then the SMM calendar.

    \b
    planner [PLAN]              open PLAN in the app (default: your default plan)
    planner new PLAN            start a plan from the built-in template
    planner check PLAN|DIR...   report problems (exit 0 clean, 1 problems, 2 unreadable)
    planner check --staged      check the plans staged for a git commit
    planner schema              the plan format as a JSON Schema, for editors
    planner status PLAN|DIR...  a short summary
    planner today [PLAN|DIR...] what needs you today: posts, late SMO items, warnings
    planner export PLAN|DIR...  the plan as Markdown, CSV, iCalendar or JSON (several: one calendar)
    planner import PLAN FILE    add or update posts from a CSV file
    planner shift PLAN          move posts by days or weeks when a launch slips
    planner audit PLAN TARGET   check built pages or a URL for SMO tags (--apply ticks items)
    planner diff [REV [REV]]    what changed in plans, by entry and field, in words
    planner approve PLAN ID...  approve posts (planner check --strict fails on unapproved ones)
    planner git setup           make git diff plans in words and merge them by entry

    With no PLAN, planner opens default.toml in your data folder, creating it
    from the template the first time. PLANNER_HOME=DIR keeps settings, data
    and state below DIR instead. A PLAN that does not exist yet is offered
    to be created from the template. Shell completion: see the README.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_plan, plan=None)


@main.command("open", epilog=examples("planner open launch.toml", "planner launch.toml", "planner open"))
@click.argument("plan", required=False, type=PlanPath())
def open_plan(plan: Path | None) -> None:
    """Open PLAN in the app (default: the default plan, created on first use).

    Unsaved edits are kept in the state folder until saved; after a crash
    the app offers them back. A plan already open in another planner opens
    read-only unless you choose to open it anyway.

    In a terminal, a PLAN that does not exist yet is offered to be created
    from the template: planner asks for the name, time zone and start date
    (the defaults of `planner new`) and writes nothing unless you answer
    yes. Elsewhere a missing PLAN is an error (exit 2).
    """
    if plan is not None and _missing(plan):
        _offer_to_create(plan)
    if plan is None:
        from planner import locations  # platformdirs: only for the default plan

        plan = locations.default_plan()
        if not plan.exists():
            try:
                plan.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(
                    plan, new_plan_text("My campaign", system_timezone(), next_monday(dt.date.today())).encode("utf-8")
                )
            except (OSError, PlannerError) as error:
                fail(f"cannot create the default plan {plan}: {error}")
    from planner.app import run_app  # Textual is imported only when the app runs

    sys.exit(run_app(plan))


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        start = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-03-02") from None
    if start > dt.date.max - dt.timedelta(days=CAMPAIGN_DAYS):
        raise click.BadParameter(f"{value!r} is too late for a {CAMPAIGN_DAYS}-day campaign")
    return start


def _parse_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("the campaign needs a name")
    return value


def _parse_timezone(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not valid_timezone(value):
        raise click.BadParameter(f"{value!r} is not an IANA time zone such as Europe/Berlin")
    return value


def _create_plan(plan: Path, name: str, timezone: str | None, start: dt.date | None) -> None:
    """Write a new plan from the template (what `planner new` does), or exit 2; never over an existing file.

    The plan's first line points editors at the JSON Schema, written next to
    the plan unless a file of that name is already there.
    """
    from planner.plan.json_schema import FILE_NAME, plan_schema_text

    if not _missing(plan):
        fail(f"{plan}: already exists; choose another name")
    if not plan.parent.is_dir():
        fail(f"{plan.parent}: no such folder")
    text = new_plan_text(
        name, timezone or system_timezone(), start or next_monday(dt.date.today()), schema=f"./{FILE_NAME}"
    )
    schema_file = plan.parent / FILE_NAME
    try:
        atomic_write(plan, text.encode("utf-8"))
        if not schema_file.exists() and not schema_file.is_symlink():
            atomic_write(schema_file, plan_schema_text().encode("utf-8"))
    except PlannerError as error:
        fail(str(error))


def _offer_to_create(plan: Path) -> None:
    """Ask, in a terminal, whether to create the missing ``plan`` from the template; exit if not.

    The questions and their defaults are those of `planner new`, checked by
    the same code; nothing is written before the user answered them all.
    """
    shown = one_line(str(plan))
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(f"{plan}: no such file")
    if not plan.parent.is_dir():
        fail(f"{plan.parent}: no such folder")
    if not click.confirm(f"{shown} does not exist. Create it from the template?", default=True):
        click.echo("Nothing written.")
        sys.exit(0)

    def checked(parse):
        return lambda value: parse(None, None, value)

    name = click.prompt("Campaign name", default=DEFAULT_NAME, value_proc=checked(_parse_name))
    timezone = click.prompt("Time zone", default=system_timezone(), value_proc=checked(_parse_timezone))
    start = click.prompt(
        "Start date", default=next_monday(dt.date.today()).isoformat(), value_proc=checked(_parse_date)
    )
    _create_plan(plan, name, timezone, start)
    click.echo(f"Created {shown}.")


@main.command(
    epilog=examples(
        "planner new launch.toml",
        "planner new launch.toml --name 'Spring launch' --timezone Europe/Berlin --start 2026-03-02",
    )
)
@click.argument("plan", type=PlanPath())
@click.option("--name", default=DEFAULT_NAME, show_default=True, callback=_parse_name, help="The campaign's name.")
@click.option("--timezone", callback=_parse_timezone, help="IANA time zone (default: this machine's, else UTC).")
@click.option("--start", callback=_parse_date, metavar="DATE", help="First day, YYYY-MM-DD (default: next Monday).")
def new(plan: Path, name: str, timezone: str | None, start: dt.date | None) -> None:
    """Create PLAN from the built-in template: the full SMO checklist and sensible dates.

    SMO gets at least the first two weeks and is due on a Friday; SMM starts
    the Monday after (on any start weekday), and the campaign runs 90 days.
    An existing file is never overwritten.

    The plan's first line, `#:schema ./planner.schema.json`, points editors
    (taplo, Even Better TOML) at the plan format's JSON Schema, which is
    written next to the plan unless a file of that name is already there
    (`planner schema -o FILE` writes it again).
    """
    _create_plan(plan, name, timezone, start)
    click.echo(f"Created {one_line(str(plan))}. Open it with: planner {one_line(str(plan))}")


@main.command(
    "schema",
    epilog=examples(
        "planner schema > planner.schema.json",
        "planner schema -o plans/planner.schema.json",
    ),
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
def schema_cmd(output: Path | None) -> None:
    """Print the plan format as a JSON Schema (draft 2020-12), for editors.

    \b
    Every field with its type, default and description; the allowed values
    (status, audit rule, time zone, known platforms and formats) and the
    patterns (ids, best times, each platform's handles). taplo and Even
    Better TOML read it through a plan's first line:
        #:schema ./planner.schema.json
    which `planner new` writes, with the schema next to the plan. Unknown
    keys are allowed, as in `planner check`, which also checks what a
    schema cannot (unique ids, a date written in quotes, end after start).
    """
    from planner.plan.json_schema import plan_schema_text

    text = plan_schema_text()
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(output, text.encode("utf-8"))
    except PlannerError as error:
        fail(str(error))
    click.echo(f"Wrote {one_line(str(output))}", err=True)


# --format of the commands that print for people or for scripts.
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output for people or for scripts.",
)


@main.command(
    "check",
    epilog=examples(
        "planner check launch.toml",
        "planner check --staged",
        "planner check plans/*.toml --strict --due-within 14 --since origin/main",
    ),
)
@click.argument("plans", nargs=-1, type=PlanPath(), metavar="[PLAN|FOLDER]...")
@FORMAT_OPTION
@click.option(
    "--staged", is_flag=True, help="Check the plans staged for the next git commit, as staged (for a pre-commit hook)."
)
@click.option(
    "--strict",
    is_flag=True,
    help="For CI: posts due within --due-within days must be approved, and approved posts unchanged since (errors).",
)
@click.option(
    "--due-within",
    type=click.IntRange(0, 3660),
    metavar="DAYS",
    help=f"With --strict: how many days ahead posts must be approved (default {STRICT_DAYS}).",
)
@click.option(
    "--since", metavar="REV", help="Only the problems introduced since the git revision REV (for CI on pull requests)."
)
@click.option("-v", "--verbose", is_flag=True, help="List every repeated problem instead of folding them.")
def check_cmd(
    plans: tuple[Path, ...],
    fmt: str,
    staged: bool,
    strict: bool,
    due_within: int | None,
    since: str | None,
    verbose: bool,
) -> None:
    """Report every problem in each PLAN, one per line as FILE:LINE: ...

    Exit 0 when clean (notes such as unknown keys do not count), 1 when
    errors or warnings were found, 2 when a plan cannot be read or is not
    valid TOML. With several plans the highest code wins. Each merge
    conflict left in a plan is listed with its line (exit 2). A FOLDER
    stands for its plan files (see planner today --help).

    More than three problems of one kind (the same code and message but for
    names and numbers) are folded into one line that says how many more
    there are; --verbose lists them all. JSON always holds every problem.

    \b
    With --staged, the plans are the staged files of the git repository
    here, read from the index (what the commit will hold, not the working
    copy): every staged *.toml file with a [campaign] table, or only the
    PLANs named, and each is named by its path.

    \b
    With --strict, a post going out within --due-within days (default 7)
    that nobody approved (planner approve) is an error, and so is an
    approved post whose text, link, time or platform changed since.
    With --since REV, a problem the plan already had at the git revision
    REV is left out (entries are matched by id, not by line): what remains
    is what the change introduced.
    """
    from planner.plan.conflicts import RESOLVE, PlanConflicted
    from planner.rules.checks import now_in

    if not plans and not staged:
        raise click.UsageError("give at least one PLAN, or --staged")
    if due_within is not None and not strict:
        raise click.UsageError("--due-within goes with --strict")
    sources: list[tuple[str, Callable[[], Loaded], Callable[[str], bytes | None]]] = []
    try:
        if staged:
            from planner.git import repo  # git only for --staged and --since
            from planner.staged import load_staged, staged_plans

            top = repo.top()
            sources = [
                (item.name, functools.partial(load_staged, item), functools.partial(_blob_at, top, item.path))
                for item in staged_plans([str(p) for p in plans])
            ]
        else:
            sources = _plan_sources(plans)
        commit = None
        if since is not None:
            from planner.git import repo

            commit = repo.commit(since)
    except PlannerError as error:
        fail(error.message)
    worst = 0
    report = []
    for file, read, old_bytes in sources:
        try:
            loaded = read()
        except PlanConflicted as error:
            worst = max(worst, EXIT_UNREADABLE)
            problems = [
                Problem("error", f"{c.describe()}; {RESOLVE}", line=c.line, code="merge-conflict")
                for c in error.conflicts
            ]
            report.append(
                {
                    "file": file,
                    "exit_code": EXIT_UNREADABLE,
                    "error": error.message,
                    "problems": [p.as_json(file) for p in problems],
                }
            )
            if fmt == "text":
                for line in error.lines(file):
                    click.echo(one_line(line))
            continue
        except PlannerError as error:
            worst = max(worst, EXIT_UNREADABLE)
            report.append({"file": file, "exit_code": EXIT_UNREADABLE, "error": error.message, "problems": []})
            if fmt == "text":
                click.echo(one_line(error.message))
            continue
        now = now_in(loaded.plan) if loaded.plan is not None else None  # one moment for both versions
        problems = _checked(loaded, strict, due_within, now)
        if commit is not None:
            problems = _introduced_since(
                problems,
                loaded,
                file,
                old_bytes(commit),
                functools.partial(_checked, strict=strict, due_within=due_within, now=now),
            )
        code = exit_code(problems)
        worst = max(worst, code)
        report.append({"file": file, "exit_code": code, "problems": [p.as_json(file) for p in problems]})
        if fmt == "text":
            listed = Folded(problems) if verbose else fold(problems)
            for line in listed.lines(file):
                click.echo(line)
            if listed.count:
                click.echo(folded_note(listed.count, "planner check --verbose"))
    if fmt == "json":
        click.echo(json_for_terminal(json.dumps({"exit_code": worst, "plans": report}, indent=2, ensure_ascii=False)))
    sys.exit(worst)


def _plan_files(plans: tuple[Path, ...], skipped: list[dict] | None = None) -> list:
    """Each PLAN, and the plan files of each FOLDER (`planner.folders`), as paths; a folder that cannot be listed as its `Skipped` error.

    What is skipped is said on standard error, and added to ``skipped`` (for JSON).
    """
    from planner.folders import Skipped, plan_paths

    files: list = []
    for found in plan_paths(list(plans)):
        if not isinstance(found, Skipped) or found.error:
            files.append(found)
            continue
        file = display_path(found.path)
        click.echo(one_line(f"planner: skipped {file}: {found.reason}"), err=True)
        if skipped is not None:
            skipped.append({"file": file, "reason": found.reason})
    return files


def _plan_sources(plans: tuple[Path, ...]) -> list[tuple[str, Callable[[], Loaded], Callable[[str], bytes | None]]]:
    """What `check` reads for each plan file of ``plans``: its name, how to load it, and how to read it at a git revision."""
    sources: list[tuple[str, Callable[[], Loaded], Callable[[str], bytes | None]]] = []
    for file in _plan_files(plans):
        if isinstance(file, Path):
            sources.append((display_path(file), functools.partial(load, file), functools.partial(_blob_of, file)))
        else:  # a folder that cannot be listed
            sources.append(
                (display_path(file.path), functools.partial(_raise, PlanUnreadable(file.reason)), lambda commit: None)
            )
    return sources


def _raise(error: PlannerError) -> Loaded:
    raise error


def _checked(loaded: Loaded, strict: bool, due_within: int | None, now: dt.datetime | None = None) -> list:
    """Every problem of a plan as read; with ``strict``, the review gates' too."""
    from planner.rules.checks import now_in
    from planner.rules.checks import strict as strict_problems

    problems = all_problems(loaded, now)
    if strict and loaded.plan is not None:
        when = now or now_in(loaded.plan)
        gates = strict_problems(loaded.plan, problems, when, STRICT_DAYS if due_within is None else due_within)
        problems = sorted_problems(with_lines(gates, loaded.source.text, loaded.data))
    return problems


def _blob_of(plan: Path, commit: str) -> bytes | None:
    """``plan``'s bytes at ``commit`` (None: it was not there)."""
    from planner.git import repo

    root, path = repo.relative(plan)
    return repo.blob(commit, path, root)


def _blob_at(root: Path, path: str, commit: str) -> bytes | None:
    from planner.git import repo

    return repo.blob(commit, path, root)


def _introduced_since(
    problems: list, loaded: Loaded, file: str, raw: bytes | None, check_before: Callable[[Loaded], list]
) -> list:
    """The problems of ``problems`` that the plan's version ``raw`` did not have (all of them if there was none, or it could not be read)."""
    from planner.plan.plan_file import load_bytes

    try:
        before = load_bytes(Path(file), raw) if raw is not None else None
    except PlannerError:
        before = None
    if before is None:
        return problems
    return introduced(problems, loaded.data, check_before(before), before.data)


@main.command(
    epilog=examples(
        "planner status launch.toml", "planner status plans/ webinar.toml", "planner status launch.toml --verbose"
    )
)
@click.argument("plans", nargs=-1, required=True, type=PlanPath(), metavar="PLAN|FOLDER...")
@click.option("-v", "--verbose", is_flag=True, help="List every repeated warning instead of folding them.")
def status(plans: tuple[Path, ...], verbose: bool) -> None:
    """A short summary of each PLAN: SMO progress, SMM posts by status and platform, goals, next posts, warnings.

    More than three warnings of one kind are folded into one line; --verbose
    lists them all.

    \b
    Several plans, or a FOLDER (its plan files, as `planner today` reads
    them), are summarised one after the other, every line starting with
    its plan's file. Exit 0, 1 for a plan that is not valid, 2 for one
    that cannot be read; with several plans the highest code wins.
    """
    files = _plan_files(plans)
    several = len(files) > 1 or any(plan.is_dir() for plan in plans)
    worst = 0
    for number, found in enumerate(files):
        if not isinstance(found, Path):  # a folder that cannot be listed
            worst = EXIT_UNREADABLE
            click.echo(f"planner: {one_line(found.reason)}", err=True)
            continue
        try:
            loaded = load(found)
        except PlannerError as error:
            if not several:
                fail(error.message)
            worst = EXIT_UNREADABLE
            click.echo(f"planner: {one_line(error.message)}", err=True)
            continue
        file = display_path(found)
        problems = all_problems(loaded)
        if loaded.plan is None:
            _echo_problems(problems, file, "planner status --verbose", verbose)
            worst = max(worst, 1)
            continue
        text = status_text(loaded.plan, file, problems, verbose=verbose)
        if several:
            if number:
                click.echo("")
            text = "\n".join(f"{file}: {line}" if line else f"{file}:" for line in text.split("\n"))
        click.echo(text)
    sys.exit(worst)


def _utc_now() -> dt.datetime:
    """The clock `planner today` reads (tests replace it)."""
    return dt.datetime.now(dt.UTC)


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date or a time like 2027-03-17 or 2027-03-17T09:00") from None


@main.command(
    "today",
    epilog=examples(
        "planner today launch.toml",
        "planner today plans/ webinar.toml",
        "planner today plans/ --format json",
    ),
)
@click.argument("plans", nargs=-1, type=PlanPath(), metavar="[PLAN|FOLDER]...")
@FORMAT_OPTION
@click.option(
    "--now",
    "when",
    callback=_parse_now,
    metavar="DATE[THH:MM]",
    help="Pretend it is this local time in each plan's time zone (a date alone: its midnight).",
)
@click.option("-v", "--verbose", is_flag=True, help="List every repeated warning instead of folding them.")
def today_cmd(plans: tuple[Path, ...], fmt: str, when: dt.datetime | None, verbose: bool) -> None:
    """What needs you today in each PLAN (a file, or a FOLDER of plans; default: your default plan).

    \b
    For each plan, every line starting with its file: today's posts and
    the rest of this week's in time order (status, platform, format,
    title); the SMO items still open after the SMO due date; the posts
    going out from today to three days after it that are not approved
    or scheduled; the platforms with fewer posts this week than their
    cadence; and the plan's warnings, as planner check gives them. Days
    and weeks are the campaign's, in its time zone; weeks start on the
    day of the week_start setting (Monday unless set).

    \b
    A FOLDER stands for the plan files directly in it, by name: the
    *.toml files with a [campaign] table (or a #:schema line naming
    planner.schema.json). Other .toml files are skipped with a note on
    standard error, subfolders and hidden files are not read.

    Exit 0 when nothing needs you, 1 when something does (a late SMO item,
    a waiting post, a platform short of its cadence, a warning) in any
    plan, 2 when a plan cannot be read or is not valid (the others are
    still shown). --format json prints one object: {"version": 1,
    "exit_code", "plans": [...], "skipped": [...]}; see the README.
    """
    from planner.report import today_lines
    from planner.rules.today import local_now, today
    from planner.settings import load_settings

    if not plans:
        from planner import locations  # platformdirs: only for the default plan

        default = locations.default_plan()
        if not default.exists():
            fail(f"no PLAN given, and no default plan at {default}; give a plan or a folder")
        plans = (default,)
    week_start = load_settings().week_start_index
    instant = _utc_now()
    worst = 0
    report: list[dict] = []
    skipped: list[dict] = []
    shown = 0
    for found in _plan_files(plans, skipped):
        if not isinstance(found, Path):  # a folder that cannot be listed
            worst = EXIT_UNREADABLE
            report.append(
                {"file": display_path(found.path), "exit_code": EXIT_UNREADABLE, "error": found.reason, "problems": []}
            )
            click.echo(one_line(found.reason), err=True)
            continue
        file = display_path(found)
        try:
            loaded = load(found)
        except PlannerError as error:
            loaded, message = None, error.message
        if loaded is None or loaded.plan is None:
            worst = EXIT_UNREADABLE
            problems = [] if loaded is None else [p for p in all_problems(loaded) if p.severity == "error"]
            if loaded is not None:
                message = f"{file}: is not a valid plan ({counted(len(problems), 'error')})"
            report.append(
                {
                    "file": file,
                    "exit_code": EXIT_UNREADABLE,
                    "error": message,
                    "problems": [p.as_json(file) for p in problems],
                }
            )
            if fmt == "text":
                click.echo(one_line(message), err=True)
                if problems:
                    _echo_problems(problems, file, "planner check --verbose")
            continue
        plan = loaded.plan
        now = when if when is not None else local_now(plan.campaign.timezone, instant)
        model = today(plan, all_problems(loaded, now), now, week_start)
        code = 1 if model.needs_you else 0
        worst = max(worst, code)
        report.append({**model.as_json(file), "exit_code": code})
        if fmt == "text":
            if shown:
                click.echo("")
            shown += 1
            for line in today_lines(model, file, plan.campaign.name, verbose):
                click.echo(line)
    if fmt == "json":
        data = {"version": 1, "exit_code": worst, "plans": report, "skipped": skipped}
        click.echo(json_for_terminal(json.dumps(data, indent=2, ensure_ascii=False)))
    sys.exit(worst)


def _echo_problems(
    problems: list, file: str, verbose_command: str = "planner check --verbose", verbose: bool = False
) -> None:
    """An invalid plan's problems on standard error, more than three of a kind folded into one line."""
    listed = Folded(problems) if verbose else fold(problems)
    for line in listed.lines(file):
        click.echo(line, err=True)
    if listed.count:
        click.echo(folded_note(listed.count, verbose_command), err=True)


# -- export and import ----------------------------------------------------------


def _valid_loaded(plan: Path):
    """The plan as read, or exit: 2 when it cannot be read, 1 (with every error) when it is invalid."""
    try:
        loaded = load(plan)
    except PlannerError as error:
        fail(error.message)
    if loaded.plan is None:
        _echo_problems(loaded.errors, display_path(plan))
        sys.exit(1)
    return loaded


def _valid_plan(plan: Path):
    """The plan's model, or exit as `_valid_loaded` does."""
    return _valid_loaded(plan).plan


def _to_stdout(data: bytes) -> None:
    stream = sys.stdout.buffer  # click's CliRunner swaps sys.stdout for tests too
    if stream.isatty():  # a plan from someone else must not drive this terminal
        from planner.textsafe import for_terminal

        data = for_terminal(data.decode("utf-8").replace("\r\n", "\n")).encode("utf-8")
    stream.write(data)
    stream.flush()


@main.command(
    "export",
    epilog=examples(
        "planner export launch.toml --format md > launch.md",
        "planner export launch.toml --format csv --bom -o launch.csv",
        "planner export plans/ --format ics --phase smm -o campaigns.ics",
    ),
)
@click.argument("plans", nargs=-1, required=True, type=PlanPath(), metavar="PLAN|FOLDER...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "csv", "ics", "json"]),
    required=True,
    help="Markdown checklist and agenda, CSV for spreadsheets, iCalendar events, or the plan as JSON.",
)
@click.option(
    "--phase",
    type=click.Choice(["all", "smo", "smm"]),
    default="all",
    show_default=True,
    help="The SMO checklist, the SMM calendar, or both.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.option("--force", is_flag=True, help="Overwrite an output file that is not an unchanged earlier export.")
@click.option(
    "--bom",
    is_flag=True,
    help="CSV only: start with a UTF-8 byte order mark, so Excel shows accents right on a double-click.",
)
def export_cmd(plans: tuple[Path, ...], fmt: str, phase: str, output: Path | None, force: bool, bom: bool) -> None:
    """Write PLAN as a Markdown checklist, CSV, iCalendar events or JSON.

    \b
    The same plan always gives the same bytes, so an export can be committed
    next to the plan. With -o an existing file is replaced only if it is an
    earlier export nobody changed since (Markdown, iCalendar and JSON carry
    a checksum; for CSV planner keeps a record of what it wrote), or with
    --force. Only regular files are read or replaced. CSV holds one phase
    per file: --phase all needs -o FILE.csv and writes FILE-smo.csv and
    FILE-smm.csv. Excel opens a CSV in the system's character set unless it
    starts with a byte order mark: --bom writes one (planner import reads
    both).

    \b
    Several plans, or a FOLDER (its plan files, as planner today reads
    them), export as one iCalendar file only (--format ics): every to-do
    and event in it starts with its campaign's name. A plan that cannot be
    read stops the export before anything is written.
    """
    from planner.export import render, write_export

    if bom and fmt != "csv":
        fail("--bom is for CSV only (the other formats are always read as UTF-8)")
    if fmt == "csv" and phase == "all" and output is None:
        fail(
            "CSV holds one phase per file: use --phase smo or --phase smm, or -o FILE.csv to write FILE-smo.csv and FILE-smm.csv"
        )
    if len(plans) > 1 or plans[0].is_dir():
        _export_plans(plans, fmt, phase, output, force)
        return
    loaded = _valid_loaded(plans[0])
    model = loaded.plan
    try:
        if output is None:
            result = render(model, fmt, phase, loaded.data, bom=bom)
            assert isinstance(result, bytes)
            _to_stdout(result)
            return
        written = write_export(model, fmt, phase, output, force=force, source=loaded.data, bom=bom)
    except PlannerError as error:
        fail(error.message, error.exit_code)
    for path in written:
        click.echo(f"Wrote {one_line(str(path))}", err=True)


def _export_plans(plans: tuple[Path, ...], fmt: str, phase: str, output: Path | None, force: bool) -> None:
    """`planner export` of several plans or folders: one iCalendar file, or exit without writing anything."""
    from planner.export import render_calendar_of_plans, write_files

    if fmt != "ics":
        fail("several plans export only as one iCalendar file (--format ics); export the others one plan at a time")
    files = _plan_files(plans)
    for found in files:
        if not isinstance(found, Path):  # a folder that cannot be listed
            fail(found.reason)
    if not files:
        fail("no plan files to export")
    models = [_valid_plan(found) for found in files]
    try:
        data = render_calendar_of_plans(models, phase)
        if output is None:
            _to_stdout(data)
            return
        written = write_files({output: data}, fmt, force)
    except PlannerError as error:
        fail(error.message, error.exit_code)
    for path in written:
        click.echo(f"Wrote {one_line(str(path))}", err=True)


@main.command(
    "import",
    epilog=examples(
        "planner import launch.toml posts.csv --dry-run",
        "planner import launch.toml posts.csv",
        "planner import launch.toml launch-smm.csv --dry-run --verbose",
    ),
)
@click.argument("plan", type=PlanPath())
@click.argument("csv_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change and write nothing.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="List every id added or updated and every field changed (by default the first few).",
)
def import_cmd(plan: Path, csv_file: Path, dry_run: bool, verbose: bool) -> None:
    """Add or update posts in PLAN from the CSV FILE (as `export --format csv --phase smm` writes).

    \b
    Columns: date (YYYY-MM-DD), time (HH:MM), platform, title, text, and
    optionally id, format, status, link, tags (comma-separated), notes.
    Spreadsheet forms are read where unambiguous (9:30, 7:00 PM, Instagram,
    Draft); a date such as 3/4/2027 is refused. A byte order mark is fine.
    A row with the id of an existing post updates it, and so does a row
    without an id with the platform, date, time and title of one: importing
    a file twice changes nothing the second time. Any other row is a new
    post and gets an id from its title. Every field changed is listed, old
    -> new. Every row is checked first: if any is wrong, all bad rows are
    listed as FILE:LINE: message and nothing is written (exit 1). A change
    that only drops leading zeros (007 -> 7) or reads UTF-8 with the wrong
    character set (Café -> CafÃ©) is a bad row. Comments in the plan are
    kept. A plan open in the app is not written (exit 2): save and quit it
    there first. When more than ten posts are added or updated, or more
    than ten fields changed, the first five are named; --verbose lists all.
    """
    from planner.export.csv_import import read_changes, read_file
    from planner.plan.plan_file import PlanFile

    file = display_path(csv_file)
    try:
        plan_file = PlanFile(load(plan))
        gc.freeze()  # the plan as read stays: later collections need not walk it (as the app does)
        changes = read_changes(plan_file.plan, read_file(csv_file, file), file)
    except ImportInvalid as error:
        for line in error.lines:
            click.echo(one_line(line), err=True)
        sys.exit(error.exit_code)
    except PlanInvalid as error:
        _echo_problems(error.problems or [], display_path(plan))
        sys.exit(1)
    except PlannerError as error:
        fail(error.message, error.exit_code)

    summary = _import_summary(changes, dry_run, verbose)
    try:
        if dry_run and changes.edits:
            plan_file.apply(changes.batch(file))  # what the real run would refuse (a size limit), the dry run refuses
        if dry_run or not changes.edits:
            click.echo(one_line(summary + ("" if dry_run else "; nothing to write")))
            _echo_field_changes(changes, verbose)
            _echo_import_counts(plan_file.plan, changes, verbose)
            return
        _save_edit(plan_file, changes.batch(file))
    except EditError as error:
        fail(f"{file}: not imported: {error.message}", 1)
    except PlanLocked as error:
        fail(f"{plan}: not imported: {error.message}")
    except PlannerError as error:
        fail(error.message, error.exit_code)
    click.echo(one_line(f"{summary} in {display_path(plan)}"))
    _echo_field_changes(changes, verbose)
    _echo_import_counts(plan_file.plan, changes, verbose)


# An import names every post it adds or updates up to this many; beyond, the first few and counts.
IMPORT_IDS_LISTED = 10
IMPORT_IDS_FIRST = 5


def _import_summary(changes, dry_run: bool, verbose: bool) -> str:
    def ids(names: list[str]) -> str:
        if not names:
            return ""
        if verbose or len(names) <= IMPORT_IDS_LISTED:
            return f": {', '.join(map(changes.named, names))}"
        return f": {', '.join(map(changes.named, names[:IMPORT_IDS_FIRST]))} and {len(names) - IMPORT_IDS_FIRST} more"

    verb = "Would add" if dry_run else "Added"
    summary = (
        f"{verb} {counted(len(changes.added), 'post')}{ids(changes.added)}; "
        f"{'would update' if dry_run else 'updated'} {len(changes.updated)}{ids(changes.updated)}"
    )
    if changes.unchanged:
        summary += f"; {len(changes.unchanged)} unchanged"
    return summary


def _echo_field_changes(changes, verbose: bool) -> None:
    """Every field of an existing post the import changes, old -> new (long values cut); beyond ten, the first five and a count."""
    from planner.export.csv_import import excerpts

    fields = changes.fields
    listed = fields if verbose or len(fields) <= IMPORT_IDS_LISTED else fields[:IMPORT_IDS_FIRST]
    for change in listed:
        old, new = excerpts(change.old, change.new)
        click.echo(one_line(f"  {changes.named(change.id)}: {change.key}: {old} → {new}"))
    if len(listed) < len(fields):
        click.echo(f"  and {len(fields) - len(listed)} more changed fields (planner import --verbose lists every one)")


def _echo_import_counts(plan, changes, verbose: bool) -> None:
    """Under a summary that named only the first few posts: the posts added and updated, by platform and by status."""
    if verbose or max(len(changes.added), len(changes.updated)) <= IMPORT_IDS_LISTED or plan is None:
        return
    by_id = {post.id: post for post in plan.posts}
    for label, names in (("added", changes.added), ("updated", changes.updated)):
        posts = [by_id[name] for name in names if name in by_id]
        if not posts:
            continue
        platforms = Counter(post.platform for post in posts)
        statuses = Counter(post.status for post in posts)
        click.echo(one_line(f"  {label} by platform: " + ", ".join(f"{p} {n}" for p, n in sorted(platforms.items()))))
        click.echo(
            one_line(f"  {label} by status: " + ", ".join(f"{s} {statuses[s]}" for s in STATUSES if statuses[s]))
        )
    click.echo("planner import --verbose lists every post")


def _save_edit(plan_file, edit) -> None:
    """Apply ``edit`` to the plan and save it, unless the plan is open in the app.

    The app holds the plan's lock while it is open; writing under it would
    have the app warn about a change on disk, or overwrite it on its next save.
    """
    from planner.plan.lock import PlanLock

    with PlanLock(plan_file.path) as lock:
        if not lock.held and lock.supported:
            raise PlanLocked(f"the plan is open in planner ({lock.holder()}); save and quit it there, then try again")
        plan_file.apply(edit)
        gc.freeze()  # the edited plan stays: reading the saved file back need not walk it
        plan_file.save()


# -- shifting posts ---------------------------------------------------------------------


def _parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    from planner.rules.slots import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command(
    "shift",
    epilog=examples(
        "planner shift launch.toml --days 3",
        "planner shift launch.toml --weeks 1 --from 2027-03-22",
        "planner shift launch.toml --days -2 --platform tiktok --dry-run",
    ),
)
@click.argument("plan", type=PlanPath())
@click.option("--days", type=int, default=0, metavar="N", help="Move by N days (negative: earlier).")
@click.option("--weeks", type=int, default=0, metavar="N", help="Move by N weeks (added to --days).")
@click.option("--from", "since", callback=_parse_day, metavar="DATE", help="Only posts on or after DATE (YYYY-MM-DD).")
@click.option(
    "--platform", metavar="NAME", help="Only posts on this platform (its name in the plan: instagram, x ...)."
)
@click.option("--dry-run", is_flag=True, help="Say what would move and write nothing.")
def shift_cmd(plan: Path, days: int, weeks: int, since: dt.date | None, platform: str | None, dry_run: bool) -> None:
    """Move posts in PLAN by N days or weeks, when a launch slips.

    \b
    Posts keep their time of day (local to the campaign's time zone). The
    SMO due date, the SMM start and the campaign's dates stay. The output
    says how many posts moved on each platform and lists the ones that now
    land in an hour the clocks skip (moved as they are: fix their time),
    before the SMM start or outside the campaign. Comments are kept; the
    move is one edit. Exit 0 when the posts moved cleanly, 1 when some of
    them need a look (listed), 2 when the plan cannot be read, is open in
    the app (save and quit it there first) or the options are wrong.
    """
    from planner.plan.phases import shift_posts
    from planner.plan.plan_file import PlanFile

    total = days + 7 * weeks
    if total == 0:
        fail("say how far to move the posts: --days N or --weeks N (not 0)")
    plan_file = PlanFile(_valid_loaded(plan))
    model = plan_file.plan
    if (
        platform is not None
        and model.platform(platform) is None
        and all(post.platform != platform for post in model.posts)
    ):
        names = sorted({choice.name for choice in model.platforms} | {post.platform for post in model.posts})
        fail(
            f"{display_path(plan)}: no platform {platform!r} in this plan"
            + (f" (it has {', '.join(names)})" if names else "")
        )
    try:
        shift = shift_posts(model, total, since=since, platform=platform)
    except PlannerError as error:
        fail(error.message, error.exit_code)
    which = (f" on {platform}" if platform else "") + (f" from {since}" if since else "")
    if shift.edit is None:
        click.echo(one_line(f"No posts{which} to shift; nothing to write"))
        return
    if not dry_run:
        try:
            _save_edit(plan_file, shift.edit)
        except PlanLocked as error:
            fail(f"{plan}: not shifted: {error.message}")
        except PlannerError as error:
            fail(f"{display_path(plan)}: not shifted: {error.message}", error.exit_code)
    verb = "Would move" if dry_run else "Moved"
    where = "" if dry_run else f" in {display_path(plan)}"
    platforms = ", ".join(f"{name} {count}" for name, count in shift.by_platform().items())
    click.echo(
        one_line(f"{verb} {counted(len(shift.posts), 'post')}{which} by {counted(total, 'day')}{where} ({platforms})")
    )
    lines = shift.findings()
    for line in lines:
        click.echo(one_line(line))
    sys.exit(1 if lines else 0)


# -- site audit ---------------------------------------------------------------------


@main.command(
    "audit",
    epilog=examples(
        "planner audit launch.toml site/_build",
        "planner audit launch.toml https://example.com/ --format json",
        "planner audit launch.toml site/_build --apply",
    ),
)
@click.argument("plan", type=PlanPath())
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@FORMAT_OPTION
@click.option(
    "--apply",
    "apply_ticks",
    is_flag=True,
    help="Tick the SMO items whose audit rule every page passes (with what it checks for found), the evidence in their notes.",
)
def audit_cmd(plan: Path, targets: tuple[str, ...], fmt: str, apply_ticks: bool) -> None:
    """Check the site: each TARGET is an HTML file, a folder of built pages
    (every *.html below it) or an http(s):// URL (fetched with a 10-second
    timeout, up to 5 MB and 5 redirects).

    \b
    Per page: title (10-60 characters), meta description (50-160), one h1,
    html lang, canonical link, viewport, Open Graph (og:title, og:type,
    og:image as an absolute URL, og:url; og:description and og:image:alt),
    X cards (a known twitter:card; title up to 70, description up to 200),
    share links and profile links for the plan's platforms and handles, and
    the same title or description on several pages.

    \b
    Exit 0 when every page passes, 1 on warnings or failures, 2 when a
    target or the plan cannot be read. With --apply, SMO items whose
    `audit` rule passes on every page, having found what it checks for,
    are ticked (never unticked: items that no longer pass are listed) and
    the plan is saved.
    """
    from planner.audit.apply import linked
    from planner.audit.output import json_report, text_report
    from planner.audit.run import run_audit
    from planner.plan.plan_file import PlanFile
    from planner.rules.checks import now_in

    try:
        loaded = load(plan)
    except PlannerError as unreadable:
        fail(unreadable.message)
    if loaded.plan is None:
        _echo_problems(loaded.errors, display_path(plan))
        sys.exit(EXIT_UNREADABLE)
    report = run_audit(loaded.plan, targets, name=display_path)
    links = linked(loaded.plan, report, now_in(loaded.plan).date())
    edit = links.edit() if apply_ticks else None
    error: PlannerError | None = None
    if edit is not None:
        try:
            _save_edit(PlanFile(loaded), edit)
        except PlannerError as problem:
            error = problem
    applied = edit is not None and error is None
    render = json_report if fmt == "json" else text_report
    click.echo(render(report, links, applied))
    if error is not None:
        fail(f"{display_path(plan)}: nothing ticked: {error.message}")
    if applied and fmt == "text":
        click.echo(one_line(f"Saved {display_path(plan)}"))
    sys.exit(report.exit_code)


# -- plans in git: diff, merge, set-up, approval ---------------------------------------------


class _PathsAfterDashes(click.Command):
    """A command whose words after ``--`` are paths (``planner diff REV -- PLAN...``), kept apart from the others."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            at = args.index("--")
            ctx.meta["paths"] = args[at + 1 :]
            args = args[:at]
        return super().parse_args(ctx, args)


@main.command(
    "diff",
    cls=_PathsAfterDashes,
    epilog=examples(
        "planner diff",
        "planner diff main -- plans/launch.toml",
        "planner diff old.toml new.toml --format json",
    ),
)
@click.argument("words", nargs=-1, metavar="[REV [REV]] [-- PLAN...] | OLD NEW")
@FORMAT_OPTION
@click.option(
    "--external", is_flag=True, help="Take the 7 arguments git passes to an external diff driver (planner git setup)."
)
@click.option(
    "--textconv",
    is_flag=True,
    help="Print one FILE in words, one line per entry, for git's textconv (planner git setup).",
)
@click.pass_context
def diff_cmd(ctx: click.Context, words: tuple[str, ...], fmt: str, external: bool, textconv: bool) -> None:
    """What changed in plans, by entry and field, in words.

    \b
    planner diff                  the work tree against the last commit
    planner diff REV              the work tree against the git revision REV
    planner diff REV1 REV2        one revision against another
    planner diff REV -- PLAN...   only these plans or folders (-- optional)
    planner diff OLD NEW          two plan files

    Changes are grouped by phase and name each entry by its id: a post
    moved from one time to another, its status, its text (counted against
    its platform's limit), an item ticked, entries added and removed; an
    id renamed with nothing else changed shows as a rename. Layout and
    comments alone are no change. Files that are not plans are shown as a
    line diff. `planner git setup` makes git diff and git log -p use this.
    """
    from planner.git import diffs

    paths = ctx.meta.get("paths")
    try:
        if textconv:
            if len(words) != 1 or paths:
                raise click.UsageError("--textconv takes one FILE")
            for line in diffs.textconv(Path(words[0])):
                click.echo(one_line(line))
            return
        if external:
            pairs = [diffs.from_external(words)]
        elif paths is None and len(words) == 2 and all(Path(word).is_file() for word in words):
            pairs = [diffs.from_files(Path(words[0]), Path(words[1]))]
        else:
            revs = list(words)
            if (
                paths is None
            ):  # without --, the words at the end that name files or folders are paths, as git reads them
                paths = []
                while revs and Path(revs[-1]).exists():
                    paths.insert(0, revs.pop())
            pairs = diffs.from_git(revs, paths)
    except PlannerError as error:
        fail(error.message)
    shown = [diffs.compare(pair) for pair in pairs]
    if fmt == "json":
        click.echo(
            json_for_terminal(
                json.dumps({"files": [data for _, data in shown]}, indent=2, ensure_ascii=False, default=str)
            )
        )
        return
    for number, (lines, _) in enumerate(shown):
        if number:
            click.echo("")
        for line in lines:
            click.echo(one_line(line))


@main.command(
    "merge-driver",
    epilog=examples(
        "planner merge-driver base.toml ours.toml theirs.toml plans/launch.toml",
        "planner merge-driver %O %A %B %P",
    ),
)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name", required=False)
def merge_driver_cmd(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """git's merge driver for plans: merge THEIRS into OURS (written in place) since BASE.

    \b
    git runs it as `planner merge-driver %O %A %B %P` (planner git setup
    writes that): BASE is the common ancestor, OURS our version, THEIRS
    theirs, NAME the path being merged. Plans are merged by entry and field:
    edits to different entries, or different fields of one entry, never
    conflict; entries added on both sides are both kept. The same field
    changed differently on both sides gets conflict markers around that
    field only, each conflict is listed as NAME:LINE, and the exit code is 1
    (git then leaves the file conflicted). Our comments and layout are kept;
    identical sides give our bytes. Other files are merged line by line, as
    git would (git merge-file).
    """
    from planner.git.driver import merge_files

    label = name or str(ours)
    try:
        outcome = merge_files(base, ours, theirs, label)
    except PlannerError as error:
        fail(error.message)
    if outcome.note:
        click.echo(one_line(f"planner: {outcome.note}"), err=True)
    for line in outcome.conflicts:
        click.echo(one_line(f"planner: {line}"), err=True)
    sys.exit(outcome.exit_code)


@main.group("git", epilog=examples("planner git setup", "planner git setup 'plans/*.toml'"))
def git_group() -> None:
    """planner and git: set up the diff and merge drivers for plans."""


@git_group.command("setup", epilog=examples("planner git setup", "planner git setup 'plans/*.toml'"))
@click.argument("patterns", nargs=-1, metavar="[PATTERN...]")
def git_setup_cmd(patterns: tuple[str, ...]) -> None:
    """Make git diff plans in words and merge them by entry (safe to run twice).

    \b
    Adds to .gitattributes at the top of the work tree (commit it):
        *.toml diff=planner merge=planner
    (one line per PATTERN; default *.toml) and sets in this repository's
    git config (each clone runs this once):
        diff.planner.command   planner diff --external   (git diff)
        diff.planner.textconv  planner diff --textconv   (git log -p, git show)
        merge.planner.driver   planner merge-driver %O %A %B %P
    with this planner's own command. TOML files that are not plans are
    diffed and merged line by line, as before.
    """
    from planner.git import repo
    from planner.git.setup import DEFAULT_PATTERNS, set_up

    try:
        done = set_up(repo.top(), patterns or DEFAULT_PATTERNS)
    except PlannerError as error:
        fail(error.message)
    shown = display_path(done.attributes)
    if not done.changed:
        click.echo(one_line(f"Already set up: {shown} and the git config name the planner drivers; nothing changed"))
        return
    for line in done.lines:
        click.echo(one_line(f"{shown}: added {line}"))
    for key in done.config:
        click.echo(one_line(f"git config: set {key}"))
    if done.lines:
        click.echo(
            one_line(f"Commit {shown} so that everyone's git knows the plans; each clone runs planner git setup once.")
        )


@main.command(
    "approve",
    epilog=examples(
        "planner approve launch.toml ig-teaser-glaze",
        "planner approve launch.toml ig-teaser-glaze tt-glaze-test --by Dana",
    ),
)
@click.argument("plan", type=PlanPath())
@click.argument("post_ids", nargs=-1, required=True, metavar="POST_ID...")
@click.option("--by", "by", metavar="NAME", help="Who approves (default: git config user.name).")
def approve_cmd(plan: Path, post_ids: tuple[str, ...], by: str | None) -> None:
    """Approve posts of PLAN as they are now: who approved them, and what.

    Writes approved_by and approved_fingerprint (of the post's text, link,
    time and platform) and makes an idea, draft or review post `approved`.
    When any of those four change later, `planner check` warns "changed
    after approval by NAME" until the post is approved again, and `planner
    check --strict` fails. A plan open in the app is not written (exit 2).

    In the app, A (shift+a) in the calendar approves the selected post the
    same way; there the approver is the `approver` setting, else git config
    user.name.
    """
    from planner.git import repo
    from planner.plan.approval import approve
    from planner.plan.edits import Batch
    from planner.plan.plan_file import PlanFile
    from planner.plan.schema import suggest

    name = (by if by is not None else repo.user_name(plan.parent if str(plan.parent) else None)) or ""
    if not name.strip():
        fail("say who approves: --by NAME" + ("" if by is not None else " (git config user.name is not set)"))
    plan_file = PlanFile(_valid_loaded(plan))
    model = plan_file.plan
    index_of = {post.id: index for index, post in enumerate(model.posts)}
    edits = []
    for ident in dict.fromkeys(post_ids):
        if ident not in index_of:
            hint = suggest(ident, index_of)
            fail(f"{display_path(plan)}: no post {ident!r}" + (f"; {hint}" if hint else ""))
        edit = approve(model, index_of[ident], name)
        if edit is not None:
            edits.append(edit)
    file = display_path(plan)
    if not edits:
        click.echo(one_line(f"Already approved as they are: {', '.join(dict.fromkeys(post_ids))}; nothing to write"))
        return
    try:
        _save_edit(plan_file, edits[0] if len(edits) == 1 else Batch(tuple(edits), f"approve {len(edits)} posts"))
    except PlanLocked as error:
        fail(f"{plan}: not approved: {error.message}")
    except PlannerError as error:
        fail(f"{file}: not approved: {error.message}", error.exit_code)
    click.echo(one_line(f"Approved by {name.strip()} in {file}: {', '.join(dict.fromkeys(post_ids))}"))
