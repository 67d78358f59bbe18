"""Reading a plan file: every bad input becomes one clear line, never a traceback.

Uses the toml-test corpus (../shared/corpora/toml-test): 499 invalid files,
each a TOML document a user could have typed by mistake, and 210 valid ones
that exercise every corner of the syntax the line index has to follow.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CORPUS, corpus_files, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.cli import main
from planner.errors import PlanUnreadable
from planner.plan import source as source_mod
from planner.plan.locate import header_lines, index_lines, line_of, lines_for
from planner.plan.plan_file import load
from planner.report import all_problems

INVALID = corpus_files("invalid")
VALID = corpus_files("valid")
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")

MINIMAL_PLAN = """schema = 1

[campaign]
name = "Spring sale"
timezone = "Europe/Berlin"
start = 2026-03-02
end = 2026-05-31

[smo]
due = 2026-03-13
"""


def _id(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _unreadable(path: Path) -> str:
    """The message of the `PlanUnreadable` that loading ``path`` must raise."""
    with pytest.raises(PlanUnreadable) as caught:
        load(path)
    return caught.value.message


# -- the invalid corpus -------------------------------------------------------


def test_the_corpora_are_all_there() -> None:
    # A missing corpus must fail here rather than turn the tests below into skips.
    assert len(INVALID) == 499
    assert len(VALID) == 210


def _reported(error: Exception) -> tuple[int, int]:
    """Line and column as the parser reports them (tomli 2.1+ has attributes; tomllib says it in the message)."""
    if getattr(error, "lineno", None) is not None:
        return error.lineno, error.colno
    found = re.search(r"\(at line (\d+), column (\d+)\)$", str(error))
    if found:
        return int(found.group(1)), int(found.group(2))
    text = error.doc  # "(at end of document)"
    return text.count("\n") + 1, len(text) - text.rfind("\n")


def _where_the_parser_says(raw: bytes) -> tuple[str, tuple[int, int]]:
    """Where the reader that finds the fault reports it, and what kind of fault it is.

    The kinds are those where planner points elsewhere on purpose (see the test below).
    """

    def at(offset: int) -> tuple[int, int]:  # line, and column in characters of that line
        line_start = raw.rfind(b"\n", 0, offset) + 1
        return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", (1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        if b"\x00" in raw:  # a NUL says "binary file" before any encoding error (planner's own check, before decoding)
            return "nul", at(raw.index(b"\x00"))
        return "decoder", at(error.start)
    text = text.removeprefix("\ufeff")  # what the parser is given
    try:
        source_mod.loads(text)  # the product's own parser (tomli, else tomllib)
    except source_mod.TOMLDecodeError as error:
        message = str(error)
        if message.startswith(
            ("Cannot overwrite a value", "Cannot mutate immutable namespace", "Cannot redefine namespace")
        ):
            return "after-value", _reported(error)
        if message.startswith(("Unescaped '\\'", "Invalid hex value", "Escaped character")):
            return "after-escape", _reported(error)
        if "(at end of document)" in message:
            return "end", _reported(error)
        return "parser", _reported(error)
    raise AssertionError("the parser reads it")


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_every_invalid_file_is_one_line_at_the_place_the_parser_reports(path: Path) -> None:
    message = _unreadable(path)
    assert "\n" not in message and "\r" not in message
    found = re.match(re.escape(str(path)) + r":(\d+):(\d+): \S", message)
    assert found, message
    ours = int(found.group(1)), int(found.group(2))
    raw = path.read_bytes()
    kind, theirs = _where_the_parser_says(raw)
    if kind in ("parser", "decoder", "utf-16", "nul"):
        assert ours == theirs, (kind, message)
        return
    # planner points elsewhere on purpose, always at or before the parser's place:
    text = raw.decode("utf-8").removeprefix("\ufeff")
    line = text.split("\n")[ours[0] - 1]
    assert ours <= theirs, (kind, theirs, message)
    if kind == "after-escape":
        # tomllib reports after the escape sequence it could not read; the backslash
        # is where the mistake is (at the end of a line the parser is on the next one)
        assert line[ours[1] - 1] == "\\" and theirs[0] - ours[0] <= 1, (theirs, message)
    else:
        # "after-value": a key set twice or a table extended is reported after the whole
        # key/value, which may span many lines; "end": a string, array or header never
        # closed is reported at the end of the file. The user needs the statement's
        # first line: planner points at the start of its key or header.
        assert line[: ours[1] - 1].strip() == "" and line[ours[1] - 1] != "#", (kind, theirs, message)


def test_the_invalid_corpus_reaches_every_kind_of_place() -> None:
    kinds = collections.Counter(_where_the_parser_says(path.read_bytes())[0] for path in INVALID)
    assert set(kinds) == {"parser", "decoder", "nul", "utf-16", "after-value", "after-escape", "end"}
    assert kinds["parser"] > 350  # the usual case: exactly the parser's line and column


@pytest.mark.parametrize(
    ("name", "line", "col", "says"),
    [
        # a bad escape: the column of the backslash, not of what follows
        ("string/bad-escape-01.toml", 1, 41, "unescaped '\\'"),
        # name = "Tom" / name = "Pradyun": the second key
        ("key/duplicate-keys-01.toml", 2, 1, "already set"),
        # a={b=1, b=2} on line 2 after a comment
        ("inline-table/duplicate-key-01.toml", 2, 12, "duplicate inline table key 'b'"),
        # [a] b = 1 then [a.b]: the header on line 5
        ("table/redefine-01.toml", 5, 1, "already has a value"),
        # "# " then a lone 0xC3 byte: column 3 of line 1
        ("encoding/bad-utf8-in-comment.toml", 1, 3, "not UTF-8"),
        # comment-null = "null"   # <NUL>
        ("control/comment-null.toml", 1, 27, "NUL"),
        # an array never closed: the line of its key, not the end of the file
        ("array/no-close-01.toml", 1, 1, "unclosed array"),
        # [' never closed: the header, not the character after the quote
        ("table/no-close-07.toml", 1, 1, 'expected "\'"'),
        # a key that ends the file with a backslash: the backslash, not the word before it
        ("key/end-in-escape.toml", 1, 28, "unescaped '\\'"),
        # UTF-16 with a byte order mark: say so instead of "binary"
        ("encoding/utf16-bom.toml", 1, 1, "UTF-16"),
    ],
)
def test_invalid_files_point_at_the_right_place(name: str, line: int, col: int, says: str) -> None:
    path = CORPUS / "invalid" / name
    message = _unreadable(path)
    assert message.startswith(f"{path}:{line}:{col}: "), message
    assert says in message


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        # a key set twice whose value spans lines: the key's line, not the closing quotes
        ('a = 1\nb = 2\na = """\none\ntwo\n"""\n', 3, 1),
        # a multi-line string never closed: where it starts, not the end of the file
        ('a = 1\ntext = """Hello\n\nmore\nand more\n', 2, 1),
        # an illegal control character in a string
        ('a = 1\n\nb = "x\x07y"\n', 3, 7),
        # a table defined twice
        ("[t]\na = 1\n\n[t]\nb = 2\n", 4, 3),
    ],
)
def test_syntax_errors_in_a_plan_point_at_the_right_line(tmp_path: Path, text: str, line: int, col: int) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    assert _unreadable(path).startswith(f"{path}:{line}:{col}: ")


INVALID_SAMPLE = random.Random(20260302).sample(INVALID, 30) if len(INVALID) >= 30 else INVALID


def test_check_reports_invalid_files_on_one_line_with_exit_code_2() -> None:
    assert len(INVALID_SAMPLE) == 30
    runner = CliRunner()
    for path in INVALID_SAMPLE:
        result = runner.invoke(main, ["check", str(path)])
        assert result.exit_code == 2, (path, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        lines = result.output.splitlines()
        assert len(lines) == 1, result.output
        assert lines[0].startswith(str(path) + ":")
        assert "\x1b" not in result.output and "\x00" not in result.output


# -- the valid corpus ---------------------------------------------------------


def _leaves(value: Any, path: tuple = ()):
    """Every key path tomllib produces that holds a value, array indices included."""
    if isinstance(value, dict):
        if not value and path:
            yield path
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        if not value:
            yield path
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_toml_that_is_not_a_plan_loads_and_says_why_it_is_not_a_plan(path: Path) -> None:
    loaded = load(path)  # never a PlannerError: that is for a file that is not TOML (or too large, or not a file)
    assert loaded.plan is None  # none of them is a plan ...
    assert loaded.errors  # ... so each one is explained
    assert all(p.line is None or p.line >= 1 for p in loaded.problems)
    assert all("\n" not in p.message for p in loaded.problems)


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_every_key_path_has_a_line(path: Path) -> None:
    text = _text(path)
    data = tomllib.loads(text)
    lines = index_lines(text)
    source_lines = text.split("\n")
    for key_path in _leaves(data):
        if not key_path:
            continue
        assert key_path in lines, key_path  # the exact path, not an ancestor
        line = line_of(lines, key_path)
        assert line is not None and 1 <= line <= len(source_lines), (key_path, line)
        last = key_path[-1]
        if isinstance(last, str) and BARE_KEY.match(last):
            assert last in source_lines[line - 1], (key_path, line, source_lines[line - 1])


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_lines_found_entry_by_entry_are_the_lines_of_the_whole_scan(path: Path) -> None:
    text = _text(path)
    data = tomllib.loads(text)
    paths = [key_path for key_path in _leaves(data) if key_path]
    whole = index_lines(text)
    assert lines_for(text, paths, data) == {key_path: line_of(whole, key_path) for key_path in paths}


def test_lines_of_a_few_entries_scan_those_entries_not_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """`planner check` with warnings finds their lines without the scan of the whole file."""
    from benchmarks.generate import generate_plan
    from planner.plan import locate

    text = generate_plan(300).text
    data = tomllib.loads(text)
    paths = [
        ("smm", "posts", 0, "tags"),
        ("smm", "posts", 150, "text"),
        ("smm", "posts", 299),
        ("smo", "items", 7, "done"),
        ("smm", "platforms", 2, "cadence"),
        ("competitors", 29, "handles", "x"),
        ("smm", "posts", 42, "nothing", 3),
    ]
    expected = {key_path: line_of(index_lines(text), key_path) for key_path in paths}
    scanned: list[int] = []
    monkeypatch.setattr(locate, "index_lines", lambda whole: scanned.append(len(whole)) or index_lines(whole))
    assert locate.lines_for(text, paths, data) == expected
    assert scanned == []
    assert locate.lines_for(text, [*paths, ("campaign", "timezone")], data)[("campaign", "timezone")] == line_of(
        index_lines(text), ("campaign", "timezone")
    )
    assert scanned == [len(text)]  # outside any entry: the whole file, once


def test_a_header_inside_a_string_sends_the_entry_lookup_to_the_whole_scan() -> None:
    text = (
        "[[posts]]\n"  # 1
        'id = "one"\n'  # 2
        'text = """\n[[posts]]\nid = 1\n"""\n'  # 3-6: a header inside a string
        "[[posts]]\n"  # 7
        'id = "two"\n'  # 8
    )
    data = tomllib.loads(text)
    assert len(data["posts"]) == 2 and len([h for h in header_lines(text) if h[1]]) == 3
    assert lines_for(text, [("posts", 1, "id"), ("posts", 0, "text")], data) == {
        ("posts", 1, "id"): 8,
        ("posts", 0, "text"): 3,
    }


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_the_line_index_finds_no_keys_that_are_not_there(path: Path) -> None:
    # A scanner that loses track of a string's end invents keys from its contents.
    text = _text(path)
    data = tomllib.loads(text)
    for key_path in index_lines(text):
        value: Any = data
        for part in key_path:
            value = value[part]  # KeyError or IndexError fails the test


def test_the_line_index_follows_tricky_strings_and_tables() -> None:
    text = (
        'a = """\n[fake]\nb = 1\n"""\n'  # 1-4: a header and a key inside a string
        "c = '''''two quotes'''''\n"  # 5: content ending in quotes, then the delimiter
        'd = "x # not a comment = 1"  # e = 2\n'  # 6
        "[[posts]]\n"  # 7
        "id = 'one'\n"  # 8
        "[[posts]]\n"  # 9
        "id = 'two'\n"  # 10
        "tags = [\n  'a',\n  'b', # c\n]\n"  # 11-14
        '[ "quoted key" . bare ]\n'  # 15
        "x . y = 1979-05-27 07:32:00Z\n"  # 16
        "z = { p = 1, q = [1, 2] }\n"  # 17
    )
    lines = index_lines(text)
    assert lines[("a",)] == 1
    assert ("fake",) not in lines and ("b",) not in lines
    assert lines[("c",)] == 5
    assert lines[("d",)] == 6 and ("e",) not in lines
    assert lines[("posts", 0)] == 7 and lines[("posts", 0, "id")] == 8
    assert lines[("posts", 1)] == 9 and lines[("posts", 1, "id")] == 10
    assert lines[("posts", 1, "tags", 0)] == 12 and lines[("posts", 1, "tags", 1)] == 13
    assert lines[("quoted key", "bare", "x", "y")] == 16
    assert lines[("quoted key", "bare", "z", "q", 1)] == 17
    assert line_of(lines, ("posts", 1, "tags", 5)) == 11  # nearest ancestor
    data = tomllib.loads(text)
    for key_path in lines:  # nothing invented from the strings' contents
        value: Any = data
        for part in key_path:
            value = value[part]


# -- bad input ----------------------------------------------------------------


def test_a_missing_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert _unreadable(path) == f"{path}: no such file"


def test_a_folder_is_explained(tmp_path: Path) -> None:
    assert _unreadable(tmp_path) == f"{tmp_path}: is a folder, not a plan file"


def test_an_empty_file_has_schema_errors_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_bytes(b"")
    loaded = load(path)
    assert loaded.plan is None
    messages = " | ".join(p.message for p in loaded.errors)
    assert "schema is missing" in messages and "[campaign] table is missing" in messages


def test_a_binary_file_is_explained_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "image.toml"
    path.write_bytes(b"schema = 1\nab\x00\x01\x02")
    message = _unreadable(path)
    assert message.startswith(f"{path}:2:3: ")
    assert "binary" in message


def test_non_utf8_text_is_explained_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    # "Café" in Latin-1 on line 2; the column counts characters, as an editor does
    path.write_bytes('schema = 1\nname = "Ça, café"\n'.encode().replace("é".encode(), b"\xe9"))
    message = _unreadable(path)
    assert message.startswith(f"{path}:2:16: "), message
    assert "UTF-8" in message and "0xe9" in message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    path.chmod(0)
    try:
        assert _unreadable(path) == f"{path}: permission denied"
    finally:
        path.chmod(0o644)


def test_permission_denied_is_explained_even_for_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")

    real_open = os.open

    def refuse(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert _unreadable(path) == f"{path}: permission denied"
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert result.output == f"{path}: permission denied\n"


def test_other_read_errors_are_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")

    def broken(fd, *args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "read", broken)
    assert _unreadable(path) == f"{path}: cannot read (Input/output error)"


def test_a_file_over_32_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:  # sparse: no 32 MB written to disk
        handle.truncate(source_mod.MAX_BYTES + 1)
    message = _unreadable(path)
    assert message == f"{path}: is larger than 32 MB; that is not a plan file planner can open"


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_mod, "MAX_BYTES", len(MINIMAL_PLAN))
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN, encoding="utf-8")
    assert load(path).plan is not None
    path.write_text(MINIMAL_PLAN + "\n", encoding="utf-8")
    assert "is larger than" in _unreadable(path)


def test_a_utf8_bom_file_loads_and_remembers_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL_PLAN.encode("utf-8"))
    loaded = load(path)
    assert loaded.errors == []
    assert loaded.plan is not None and loaded.plan.campaign.name == "Spring sale"
    assert loaded.source.bom and not loaded.source.text.startswith("\ufeff")


def test_a_crlf_file_loads_with_the_right_lines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.toml"
    text = MINIMAL_PLAN.replace('"Europe/Berlin"', '"Europe/Berln"')
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    loaded = load(path)
    assert loaded.source.crlf
    (problem,) = loaded.errors
    assert problem.line == 5 and problem.path == ("campaign", "timezone")
    path.write_bytes(MINIMAL_PLAN.replace("\n", "\r\n").encode("utf-8"))
    assert load(path).plan is not None


def test_a_bom_does_not_shift_syntax_error_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfa = 1\r\nb = ?\r\n")
    assert _unreadable(path).startswith(f"{path}:2:5: ")


def test_loading_never_writes(tmp_path: Path, sample) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    plans = [sample("shop-launch.toml"), tmp_path / "bad.toml", tmp_path / "invalid.toml"]
    plans[1].write_text(MINIMAL_PLAN.replace("schema = 1", "schema = 2"), encoding="utf-8")
    plans[2].write_text("a = [", encoding="utf-8")
    for index, plan in enumerate(plans):
        target = folder / plan.name
        plan.rename(target)
        os.utime(target, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000 + index))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    for path in sorted(folder.iterdir()):
        try:
            load(path)
        except PlanUnreadable:
            pass
        CliRunner().invoke(main, ["check", str(path)])
        CliRunner().invoke(main, ["status", str(path)])
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before


# -- mangled plans ------------------------------------------------------------------

SHOP = (Path(__file__).resolve().parent.parent / "sample_plans" / "shop-launch.toml").read_text("utf-8")
SHOP_LINES = SHOP.split("\n")


@st.composite
def _mangled(draw) -> str:
    """The sample plan with a few lines deleted, duplicated, swapped or cut short."""
    lines = list(SHOP_LINES)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "cut", "insert", "swap"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: draw(st.integers(0, max(len(lines[index]) - 1, 0)))]
        elif action == "insert":
            lines.insert(index, draw(st.text(alphabet="abc =[]{}\"'.,#\\\t1-:T\x1b\u00e9", max_size=12)))
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
    return "\n".join(lines)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_mangled())
def test_a_mangled_plan_is_explained_never_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "mangled.toml"
    path.write_text(text, encoding="utf-8")
    line_count = text.count("\n") + 1
    try:
        loaded = load(path)
    except PlanUnreadable as error:
        found = re.match(re.escape(str(path)) + r":(\d+):(\d+): \S", error.message)
        assert found and 1 <= int(found.group(1)) <= line_count, error.message
        return
    for problem in all_problems(loaded, now=dt.datetime(2027, 3, 1)):
        assert problem.line is None or 1 <= problem.line <= line_count
        if problem.path and problem.line is None:
            assert len(problem.path) == 1 or problem.path[0] not in loaded.data  # only for what is not there


_TOKENS = st.sampled_from(
    [*"abc =[]{}\"'.,#\\\t\n\r1-:TZ+_", '"""', "'''", "\x00", "\x1b", "é", "\ufeff", "[[", "]]", "\r\n"]
)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_TOKENS, max_size=40).map("".join))
@example(text="a")  # a key and then the end of the file
@example(text='\'"\r"')  # a quoted key that is not a valid string
@example(text='a = 1\nb = """x\n')
def test_any_text_is_explained_never_a_crash(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.toml"
    raw = text.encode("utf-8")
    path.write_bytes(raw)
    try:
        loaded = load(path)
    except PlanUnreadable as error:
        found = re.match(re.escape(str(path)) + r":(\d+):(\d+): \S", error.message)
        assert found, error.message
        assert 1 <= int(found.group(1)) <= raw.count(b"\n") + 1
        assert "\n" not in error.message
        return
    for problem in all_problems(loaded, now=dt.datetime(2026, 1, 1)):
        assert problem.line is None or 1 <= problem.line <= raw.count(b"\n") + 1


# -- the number of keys (issue 12 item 14) --------------------------------------------------------


def test_a_plan_with_too_many_keys_is_refused_with_one_line_by_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.5 million unknown keys took minutes to check, open and save; over the limit is one line, exit 2."""
    from planner.plan.limits import MAX_KEYS

    monkeypatch.chdir(tmp_path)
    extra = MAX_KEYS + 10
    (tmp_path / "keys.toml").write_text(
        MINIMAL_PLAN.replace("schema = 1\n", "schema = 1\n" + "".join(f"x{i} = 1\n" for i in range(extra))), "utf-8"
    )
    result = CliRunner().invoke(main, ["check", "keys.toml"])
    assert result.exit_code == 2
    assert (
        result.output == f"keys.toml: {extra + 8:,} keys; a plan holds at most {MAX_KEYS:,}\n"
    )  # and 8 in the plan itself


@pytest.mark.parametrize(
    "command", [["check"], ["status"], ["export", "--format", "json"], ["export", "--format", "csv", "--phase", "smm"]]
)
def test_every_reader_applies_the_key_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from planner.plan import limits

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(limits, "MAX_KEYS", 20)
    (tmp_path / "plan.toml").write_text(
        MINIMAL_PLAN + "".join(f"x{i} = 1\n" for i in range(13)), "utf-8"
    )  # 8 keys in the plan itself
    result = CliRunner().invoke(main, [command[0], "plan.toml", *command[1:]])
    assert result.exit_code == 2
    assert result.output.strip().endswith("plan.toml: 21 keys; a plan holds at most 20")


def test_the_app_refuses_a_plan_with_too_many_keys_on_its_load_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.app.main import load_failure, read_plan_file
    from planner.plan import limits

    monkeypatch.setattr(limits, "MAX_KEYS", 20)
    path = tmp_path / "plan.toml"
    path.write_text(MINIMAL_PLAN + "".join(f"x{i} = 1\n" for i in range(13)), "utf-8")  # 8 keys in the plan itself
    loaded = read_plan_file(path)
    lines, _ = load_failure(path, loaded)
    assert len(lines) == 1 and lines[0].endswith("21 keys; a plan holds at most 20")


def test_the_benchmark_plan_of_20000_posts_stays_well_inside_the_key_limit() -> None:
    from benchmarks.generate import generate_plan
    from planner.plan import limits

    data = tomllib.loads(generate_plan(20_000).text)
    assert limits.too_many_keys(data) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(limits, "MAX_KEYS", limits.MAX_KEYS // 3)  # it would fit in a third of it
        assert limits.too_many_keys(data) is None


# -- tables and arrays of tables split across the file (issue 12 item 11) --------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[[a]]\nx = 1\n[[a]]\nx = 2\n", None),
        ("[[a]]\n[a.sub]\ny = 1\n[[a]]\n", None),
        ("[[a]]\n[[a.b]]\n[a.c]\n[[a]]\n[[a.b]]\n", None),
        ("[[ a ]]\n\n# between\n[[a]]\n", None),
        ("[[a]]\ns = '''\n[x]\n'''\n[[a]]\n", None),  # a header-like line inside a string
        ("t = [\n  [1, 2],\n]\n[[a]]\n[b]\n", None),
        ("[smm]\n[[smm.posts]]\n[smm.extra]\n[competitors]\n", None),
        ("[[a]]\nx = 1\n\n# notes\n[b]\ny = 2\n\n[[a]]\nx = 3\n", (("a",), 8, True)),
        ("[smm]\n[[smm.posts]]\n[smm.extra]\n[[ smm . posts ]]\n", (("smm", "posts"), 4, True)),
        ("[[a]]\n[other]\n[a.c]\n", (("a",), 3, True)),
        ("[[a]]\ns = '''\n[[a]]\n'''\n[b]\n[[a]]\n", (("a",), 6, True)),
        ("[fruit.apple]\n[animal]\n[fruit.orange]\n", (("fruit",), 3, False)),  # TOML's "valid but discouraged"
        ("[smm]\n[[smm.posts]]\n[[competitors]]\n[[smm.posts]]\n", (("smm",), 4, False)),
    ],
)
def test_a_table_split_across_the_file_is_found_with_its_line(text: str, found) -> None:
    from planner.plan.locate import split_table

    tomllib.loads(text)  # each is valid TOML
    assert split_table(text) == found


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "a.c", "a.d", "b.e", "a.c.f"]), st.booleans()), min_size=1, max_size=6
    )
)
def test_every_layout_tomlkit_cannot_write_back_is_found_as_split(headers: list[tuple[str, bool]]) -> None:
    """Before any edit, the tree gives back the file's bytes unless the file has a split table (then edits are refused)."""
    import tomlkit

    from planner.plan.document import _Faithful
    from planner.plan.locate import split_table

    text = "".join(
        ("[[{}]]" if is_array else "[{}]").format(name) + f"\nk{i} = 1\n" for i, (name, is_array) in enumerate(headers)
    )
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError:  # tomlkit refuses a few valid split layouts outright
        assert split_table(text) is not None
        return
    document.__class__ = _Faithful
    if document.as_string() != text:
        assert split_table(text) is not None
