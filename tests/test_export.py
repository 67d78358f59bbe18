"""`planner export`: Markdown, CSV, iCalendar and JSON, golden files, determinism, safety."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
import zoneinfo
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt
from markdown_it.rules_core.linkify import linkify

from planner.cli import main
from planner.export import is_export, render
from planner.export.csv_export import POST_COLUMNS, SMO_COLUMNS, neutralise, unneutralise
from planner.export.markdown import AGENDA_COLUMNS, NOT_A_LINK
from planner.plan.plan_file import load

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PLANNER_UPDATE_GOLDEN") == "1"  # regenerate, then review the diff by eye
SHOP = SAMPLES / "shop-launch.toml"


def toml_str(text: str) -> str:
    """A TOML basic string for ``text`` (JSON's escapes are TOML's; TOML wants DEL escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def hostile_plan(titles: list[str], texts: list[str] | None = None) -> str:
    """A valid plan with one SMO item and one post per title."""
    texts = texts or titles
    lines = [
        "schema = 1",
        "[campaign]",
        f"name = {toml_str('Hostile | # [launch] `x`')}",
        'timezone = "Europe/Berlin"',
        "start = 2027-03-01",
        "end = 2027-04-30",
        "[smo]",
        "due = 2027-03-14",
    ]
    for index, title in enumerate(titles):
        lines += [
            "[[smo.items]]",
            f'id = "item-{index}"',
            f"title = {toml_str(title)}",
            f"category = {toml_str(title)}",
            f"notes = {toml_str(title)}",
            f"owner = {toml_str(title)}",
        ]
    lines += ["[smm]", "[[smm.platforms]]", 'name = "instagram"']
    for index, (title, text) in enumerate(zip(titles, texts)):
        lines += [
            "[[smm.posts]]",
            f'id = "post-{index}"',
            'platform = "instagram"',
            f"at = 2027-03-{16 + index % 10:02d}T{9 + index // 10:02d}:00:00",
            f"title = {toml_str(title)}",
            f"text = {toml_str(text)}",
            f"notes = {toml_str(text)}",
            f"format = {toml_str(title)}",
            f"tags = [{toml_str(title)}, {toml_str(text)}]",
        ]
    return "\n".join(lines) + "\n"


def plan_from(tmp_path: Path, text: str):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.plan is not None, [p.located("plan") for p in loaded.errors]
    return loaded.plan


@pytest.fixture
def shop():
    return load(SHOP).plan


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


# -- golden files and determinism ----------------------------------------------

GOLDEN_CASES = [
    ("md", "all", "shop-launch.md"),
    ("ics", "all", "shop-launch.ics"),
    ("json", "all", "shop-launch.json"),
    ("csv", "smo", "shop-launch-smo.csv"),
    ("csv", "smm", "shop-launch-smm.csv"),
]


@pytest.mark.parametrize(("fmt", "phase", "name"), GOLDEN_CASES)
def test_export_matches_its_golden_file(shop, fmt: str, phase: str, name: str) -> None:
    data = render(shop, fmt, phase)
    assert isinstance(data, bytes)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        (GOLDEN / name).write_bytes(data)
    assert data == (GOLDEN / name).read_bytes()


@pytest.mark.parametrize(("fmt", "phase", "name"), GOLDEN_CASES)
def test_the_command_writes_the_same_bytes_every_time(runner: CliRunner, fmt: str, phase: str, name: str) -> None:
    first = runner.invoke(main, ["export", str(SHOP), "--format", fmt, "--phase", phase])
    second = runner.invoke(main, ["export", str(SHOP), "--format", fmt, "--phase", phase])
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == second.stdout_bytes == (GOLDEN / name).read_bytes()


def test_csv_of_both_phases_gives_two_files(shop) -> None:
    both = render(shop, "csv", "all")
    assert both == {"smo": render(shop, "csv", "smo"), "smm": render(shop, "csv", "smm")}


@pytest.mark.parametrize("fmt", ["md", "ics", "json"])
def test_phases_select_what_is_exported(shop, fmt: str) -> None:
    smo = render(shop, fmt, "smo").decode()
    smm = render(shop, fmt, "smm").decode()
    item, post = shop.smo_items[0], shop.posts[0]
    shown = item.title if fmt == "md" else item.id  # the Markdown shows no ids; iCalendar folds long titles
    assert shown in smo and shown not in smm
    assert post.title in smm and post.title not in smo


# -- Markdown ---------------------------------------------------------------------

HOSTILE = [
    "a | b || c",
    "[x] not done, [link](http://evil.example)",
    "# not a heading",
    "`code` and ``more``",
    "*bold* _under_ **x** ~~gone~~",
    "<script>alert(1)</script> &amp; <b>",
    "two\nlines | here",
    "- a list?",
    "1. numbered",
    "> quote",
    "back\\slash \\| escaped pipe",
    "![img](x.png)",
]


def _inline_text(token) -> str:
    return "".join(child.content for child in token.children if child.type in ("text", "code_inline"))


def test_markdown_with_hostile_text_keeps_its_shape(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan(HOSTILE))
    source = render(plan, "md").decode()
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    types = [token.type for token in tokens]
    # No HTML (but our marker comment), no code blocks, no block quotes from the plan's text.
    assert types[0] == "html_block" and tokens[0].content.startswith("<!-- generated by planner export")
    types[0] = "marker"
    assert "html_block" not in types and "code_block" not in types and "fence" not in types
    assert "blockquote_open" not in types
    inlines = [token for token in tokens if token.type == "inline"]
    for token in inlines:
        assert all(child.type in ("text", "code_inline", "softbreak", "html_inline") for child in token.children), (
            token.content
        )
        assert all(child.content in ("<br>", NOT_A_LINK) for child in token.children if child.type == "html_inline")
    # Headings: the title, two sections, one per category (= per item here), two weeks, platforms.
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 1 + 1 + len(HOSTILE) + 1 + 2 + 1  # title, smo, categories, smm, 2 weeks, platforms
    assert _inline_text(tokens[types.index("heading_open") + 1]) == "Hostile | # [launch] `x`"
    # The agenda: one table row per post, six cells each, the title intact.
    tables = [i for i, t in enumerate(types) if t == "table_open"]
    body_rows = []
    for start in tables[:-1]:  # the last table is the platforms
        end = types.index("table_close", start)
        rows = [i for i in range(start, end) if types[i] == "tr_open"][1:]  # without the header
        for row in rows:
            cells = [tokens[i + 1] for i in range(row, types.index("tr_close", row)) if types[i] == "td_open"]
            assert len(cells) == len(AGENDA_COLUMNS)
            body_rows.append(cells)
    assert len(body_rows) == len(HOSTILE)
    titles = sorted(_inline_text(cells[5]) for cells in body_rows)
    assert titles == sorted(title.replace("\n", "") for title in HOSTILE)
    # The checklist: one task per item, its title intact after the box.
    tasks = [_inline_text(t) for t in inlines if t.content.startswith(("[ ] ", "[x] "))]
    assert len(tasks) == len(HOSTILE)
    assert sorted(task[4:] for task in tasks) == sorted(title.replace("\n", "") for title in HOSTILE)


# GitHub's autolinks (GFM): markdown-it-py with linkify finds the same kinds. cmark-gfm matches
# URLs and www. names in the Markdown source, but e-mail addresses only after joining the text
# around escapes (extensions/autolink.c: cmark_consolidate_text_nodes); `joined` does that too.
AUTOLINKS = {
    "bare URL": "see https://evil.com/login?next=/ now",
    "ftp URL": "or ftp://files.evil.com/x",
    "www name": "go to www.evil.com/offer today",
    "capital WWW": "(WWW.evil.com)",
    "e-mail": "write to jane.doe+promo@evil.com please",
    "mailto": "mailto:sales@evil.com",
}


def gfm(*, joined: bool = False) -> MarkdownIt:
    md = MarkdownIt("gfm-like")
    if joined:
        md.core.ruler.disable("linkify")
        md.core.ruler.push("linkify_joined", linkify)
    return md


def links_in(source: str, *, joined: bool = False) -> list[str]:
    tokens = gfm(joined=joined).parse(source)
    return [
        child.attrs["href"]
        for token in tokens
        if token.type == "inline"
        for child in token.children
        if child.type == "link_open"
    ]


@pytest.mark.parametrize("kind", AUTOLINKS)
def test_text_that_github_would_autolink_is_no_link_in_any_field(tmp_path: Path, kind: str) -> None:
    text = AUTOLINKS[kind]
    assert links_in(text), "the example must be a link when written raw"
    plan = plan_from(tmp_path, hostile_plan([text]))
    source = render(plan, "md").decode()
    assert links_in(source) == []
    assert [href for href in links_in(source, joined=True) if href.startswith("mailto:")] == []
    html = re.sub(r"<!-- -->|<[^>]+>", "", gfm().render(source))
    assert html.count(text.replace("&", "&amp;")) >= 4  # title, category, owner, notes: shown as written


def test_the_fields_meant_to_be_links_are_links(tmp_path: Path) -> None:
    plan = plan_from(
        tmp_path,
        hostile_plan(["x"])
        .replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nsite = "https://kiln.example"')
        .replace('owner = "x"', 'owner = "x"\nurl = "https://kiln.example/tide"')
        + '[[competitors]]\nname = "Globex"\nsite = "https://globex.example/"\nnotes = "www.globex.com"\n'
        + '[[competitors]]\nname = "Hooli"\nsite = "javascript:alert(1)"\n',
    )
    source = render(plan, "md").decode()
    assert links_in(source) == ["https://kiln.example", "https://kiln.example/tide", "https://globex.example/"]


LINKS = [
    "https://kiln.example/tide?utm_source=newsletter&utm_medium=email#shop",
    "https://kiln.example/a_b/c*d/?q=x|y&r=~z",
    "https://kiln.example/caf%C3%A9?x=1&y=2",
]


def links_plan(tmp_path: Path, links: list[str]):
    """The hostile plan with ``links`` as the site, the SMO item's url, the posts' links and a competitor's site."""
    text = hostile_plan(["x"] * len(links))
    text = text.replace('timezone = "Europe/Berlin"', f'timezone = "Europe/Berlin"\nsite = {toml_str(links[0])}')
    text = text.replace('owner = "x"', f'owner = "x"\nurl = {toml_str(links[0])}', 1)
    first, *posts = text.split('platform = "instagram"\n')
    text = first + "".join(
        f'platform = "instagram"\nlink = {toml_str(link)}\n{rest}' for link, rest in zip(links, posts)
    )
    return plan_from(tmp_path, text + f'[[competitors]]\nname = "Globex"\nsite = {toml_str(links[-1])}\n')


def cmark_gfm_links(source: str) -> list[str]:
    """The hrefs cmark-gfm (GitHub's renderer) makes of ``source``, as a browser reads them."""
    program = shutil.which("cmark-gfm")
    if program is None:
        pytest.skip("cmark-gfm is not installed (apt-get install cmark-gfm): GitHub's own renderer is not checked here")
    rendered = subprocess.run(
        [program, "-e", "table", "-e", "autolink", "-e", "tasklist", "-e", "strikethrough"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [html.unescape(href) for href in re.findall(r'<a href="([^"]*)"', rendered)]


@pytest.mark.parametrize("renderer", ["markdown-it-py", "cmark-gfm"])
def test_link_destinations_reach_the_href_unchanged(tmp_path: Path, renderer: str) -> None:
    # Backslash escapes do not work in a link destination: `utm\_source` would stay in the href.
    plan = links_plan(tmp_path, LINKS)
    source = render(plan, "md").decode()
    assert "\\_" not in source.split("## Platforms")[0].replace("\\_under", "")
    found = links_in(source) if renderer == "markdown-it-py" else cmark_gfm_links(source)
    posts = [post.link for post in sorted(plan.posts, key=lambda post: post.at)]
    # The renderers may percent-encode a character such as "|" themselves: that is the same URL.
    assert [unquote(href) for href in found] == [unquote(href) for href in [LINKS[0], LINKS[0], *posts, LINKS[-1]]]
    assert found[0] == LINKS[0]  # utm_source, & and # exactly as written


@pytest.mark.parametrize("renderer", ["markdown-it-py", "cmark-gfm"])
def test_a_link_with_spaces_or_a_backslash_is_percent_encoded_not_escaped(tmp_path: Path, renderer: str) -> None:
    plan = links_plan(tmp_path, ["https://kiln.example/spring sale/<now>?a=b c", "https://kiln.example/a\\b"])
    source = render(plan, "md").decode()
    found = links_in(source) if renderer == "markdown-it-py" else cmark_gfm_links(source)
    assert "https://kiln.example/spring%20sale/%3Cnow%3E?a=b%20c" in found
    assert "https://kiln.example/a%5Cb" in found


def test_the_smm_export_shows_each_post_for_review(shop) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(render(shop, "md", "smm").decode())
    rows = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "tr_close")
            rows.append([tokens[i + 1] for i in range(index, end) if tokens[i].type in ("th_open", "td_open")])
    header = [_inline_text(cell) for cell in rows[0]]
    assert header == ["Day", "Time", "Platform", "Format", "Status", "Title", "Text", "Link", "Hashtags"]
    by_title = {_inline_text(cells[5]): cells for cells in rows if len(cells) == len(header)}
    for post in shop.posts:
        cells = by_title[post.title]
        assert _inline_text(cells[0]) == f"{post.at:%a %Y-%m-%d}" and _inline_text(cells[1]) == f"{post.at:%H:%M}"
        assert _inline_text(cells[4]) == post.status
        assert _inline_text(cells[6]).strip() == post.text.replace("\n", "").strip()
        links = [child.attrs["href"] for child in cells[7].children if child.type == "link_open"]
        assert links == ([post.link] if post.link else [])
    tagged = [post for post in shop.posts if "#" in post.text]
    assert tagged, "the sample plan has posts with hashtags"
    for post in tagged:
        shown = _inline_text(by_title[post.title][8]).split()
        assert shown and all(tag.startswith("#") and tag in post.text for tag in shown)


def test_the_checklist_is_headed_by_category_titles_without_ids(shop) -> None:
    text = render(shop, "md", "smo").decode()
    headings = re.findall(r"^### (.*) \(\d+/\d+ done\)$", text, flags=re.MULTILINE)
    assert headings[:2] == ["On-page basics", "Help your content travel"]
    assert not any(item.category in headings for item in shop.smo_items)
    assert not any(
        re.search(rf"\b{re.escape(item.id)}\b", text) for item in shop.smo_items if item.id not in item.title
    )


def test_markdown_lists_progress_owner_and_agenda(shop) -> None:
    text = render(shop, "md").decode()
    assert text.startswith("<!-- generated by planner export")
    assert "## SMO checklist (5/12 done, due 2027-03-14)" in text
    assert "- [x] Meta titles on the collection and product pages" in text
    assert "  - owner: jonas · done: 2026-11-16\n" in text
    assert "| Thu 2027-03-25 | 20:00 | TikTok | live | review | Open studio live |" in text
    assert "| Instagram | @kilnandco | 2 a week | tue 19:00, thu 19:00, sun 10:00 |" in text
    assert "### Claywork Studio" in text


# -- CSV ----------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("http://evil.example")',
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "'=already quoted",
    "''+two",
]


@pytest.mark.parametrize("cell", FORMULAS)
def test_neutralise_round_trips(cell: str) -> None:
    assert neutralise(cell).startswith("'")
    assert unneutralise(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["plain", "'quoted", "", "a=b", "2027-03-01", "it's"])
def test_plain_cells_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell == unneutralise(cell)


def test_formula_looking_text_is_neutralised_in_every_cell(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan(FORMULAS[:6], texts=["=1+1"] * 6))
    for phase, columns in (("smo", SMO_COLUMNS), ("smm", POST_COLUMNS)):
        data = render(plan, "csv", phase)
        assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert tuple(rows[0]) == columns
        for row in rows[1:]:
            assert len(row) == len(columns)
            for cell in row:
                assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row


# What comes before a formula's sign that a spreadsheet may skip: LibreOffice ran "\0=HYPERLINK(...)".
HIDDEN_FORMULAS = [
    '\x00=HYPERLINK("http://evil.example")',
    " =1+1",
    "\x00\x00 +1",
    "\x1b@SUM(A1)",
    "\x7f-2",
    "\x85=1",
    "\xa0=1",
    "\u200b=1",
    "\ufeff=1",
    "\u3000=1",
    "\n=1",
    "'\x00=1",
]


@pytest.mark.parametrize("cell", HIDDEN_FORMULAS)
def test_a_formula_after_control_characters_or_spaces_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert unneutralise(neutralise(cell)) == cell


@given(st.text())
def test_neutralise_round_trips_any_text(cell: str) -> None:
    assert unneutralise(neutralise(cell)) == cell


def test_no_exported_cell_starts_a_formula_even_after_what_a_spreadsheet_skips(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan(HIDDEN_FORMULAS[:6], texts=HIDDEN_FORMULAS[6:]))
    skipped = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b\ufeff]*")
    for phase in ("smo", "smm"):
        rows = list(csv.reader(io.StringIO(render(plan, "csv", phase).decode("utf-8"), newline="")))
        for row in rows[1:]:
            for cell in row:
                assert cell[skipped.match(cell).end() :][:1] not in ("=", "+", "-", "@"), row


def test_csv_rows_are_one_per_post_with_joined_tags(shop) -> None:
    rows = list(csv.DictReader(io.StringIO(render(shop, "csv", "smm").decode(), newline="")))
    assert len(rows) == len(shop.posts)
    by_id = {row["id"]: row for row in rows}
    assert by_id["tt-glaze-test"]["tags"] == "teaser, process"
    assert by_id["ig-countdown-story"]["text"] == "4 days to go -- tap the countdown to get a reminder."
    assert (by_id["ig-launch-day"]["date"], by_id["ig-launch-day"]["time"]) == ("2027-03-25", "09:00")


# -- iCalendar ------------------------------------------------------------------------


def test_ics_has_one_event_per_post_and_one_todo_per_item(shop) -> None:
    calendar = Calendar.from_ical(render(shop, "ics"))
    assert calendar["PRODID"] == "-//planner//EN"
    events = calendar.walk("VEVENT")
    todos = calendar.walk("VTODO")
    assert len(events) == len(shop.posts) and len(todos) == len(shop.smo_items)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    uids = [str(c["UID"]) for c in events + todos]
    assert len(set(uids)) == len(uids)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    by_uid = {str(e["UID"]): e for e in events}
    for post in shop.posts:
        event = by_uid[f"{post.id}.tide-collection-launch@planner"]
        start = event.decoded("DTSTART")
        assert start == post.at.replace(tzinfo=berlin) and start.tzinfo.key == "Europe/Berlin"
        assert event.decoded("DURATION") == dt.timedelta(minutes=30)
        assert event.decoded("DTSTAMP") == dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
        assert str(event["STATUS"]) == (
            "CONFIRMED" if post.status in ("approved", "scheduled", "published") else "TENTATIVE"
        )
        assert str(event["SUMMARY"]).startswith("[")
    launch = by_uid["ig-launch-day.tide-collection-launch@planner"]
    assert str(launch["SUMMARY"]) == "[Instagram] Launch: Tide is here"
    assert str(launch["URL"]) == "https://kilnandco.example/collections/tide"
    assert str(launch["DESCRIPTION"]).endswith("\n\nhttps://kilnandco.example/collections/tide")
    assert launch["CATEGORIES"].cats == ["launch"]
    done = next(t for t in todos if str(t["UID"]).startswith("meta-titles."))
    assert str(done["STATUS"]) == "COMPLETED"
    assert done.decoded("COMPLETED") == dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
    assert done.decoded("DUE") == dt.date(2027, 3, 14)
    open_item = next(t for t in todos if str(t["UID"]).startswith("og-tags."))
    assert str(open_item["STATUS"]) == "NEEDS-ACTION" and "COMPLETED" not in open_item


def test_ics_text_with_hostile_characters_parses_back(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan(["a;b,c\\d", "line\nbreak", "x:y"]))
    calendar = Calendar.from_ical(render(plan, "ics"))
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["[Instagram] a;b,c\\d", "[Instagram] line break", "[Instagram] x:y"]  # a title is one line


CONTROLS = "nul\x00 esc\x1b[2J vt\x0b ff\x0c del\x7f c1\x9b bell\x07 us\x1f"


def test_ics_writes_no_control_character_and_titles_on_one_line(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan([CONTROLS, "two\nlines\r\nthree\u2028four\x85five"]))
    data = render(plan, "ics")
    text = data.decode("utf-8")
    assert not re.search("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)|(?<!\r)\n", text)
    calendar = Calendar.from_ical(data)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == [
        "[Instagram] nul\ufffd esc\ufffd[2J vt  ff  del\ufffd c1\ufffd bell\ufffd us\ufffd",
        "[Instagram] two lines three four five",
    ]
    descriptions = sorted(str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT"))
    assert descriptions[1] == "two\nlines\nthree\nfour\nfive"  # a description keeps its lines
    assert [str(t["SUMMARY"]) for t in calendar.walk("VTODO")] == [
        "nul\ufffd esc\ufffd[2J vt  ff  del\ufffd c1\ufffd bell\ufffd us\ufffd",
        "two lines three four five",
    ]


def uids(data: bytes) -> list[str]:
    calendar = Calendar.from_ical(data)
    return [str(component["UID"]) for component in calendar.walk("VEVENT") + calendar.walk("VTODO")]


def test_renaming_the_campaign_keeps_every_uid(tmp_path: Path) -> None:
    text = SHOP.read_text("utf-8").replace(
        "[campaign]\n", '[campaign]\nid = "tide-collection-launch"\n', 1
    )  # as `planner new` writes one
    before = uids(render(plan_from(tmp_path, text), "ics"))
    renamed = plan_from(
        tmp_path, text.replace('name = "Tide collection launch"', 'name = "Tide: spring launch (renamed)"', 1)
    )
    assert renamed.campaign.name == "Tide: spring launch (renamed)"
    assert uids(render(renamed, "ics")) == before
    assert len(set(before)) == len(before) == len(renamed.posts) + len(renamed.smo_items)


def test_a_plan_without_a_campaign_id_keeps_the_uids_earlier_exports_had(tmp_path: Path) -> None:
    text = SHOP.read_text("utf-8")  # made before campaign ids: it has none
    plan = plan_from(tmp_path, text)
    assert plan.campaign.id == ""
    assert uids(render(plan, "ics")) == uids(render(load(SHOP).plan, "ics"))
    assert all(".tide-collection-launch@" in uid for uid in uids(render(plan, "ics")))


def test_planner_new_writes_a_campaign_id_once(runner: CliRunner) -> None:
    for name in ("a.toml", "b.toml"):
        result = runner.invoke(
            main, ["new", name, "--name", "Spring sale", "--timezone", "UTC", "--start", "2027-03-01"]
        )
        assert result.exit_code == 0, result.output
    first, second = (load(Path(name)).plan.campaign.id for name in ("a.toml", "b.toml"))
    assert first.startswith("spring-sale-") and second.startswith("spring-sale-") and first != second


@pytest.mark.parametrize(
    ("link", "written"),
    [
        ("javascript:alert(1)", None),
        ("JavaScript:alert(document.cookie)", None),
        ("@evil", None),
        ("@evil.example", None),
        ("https://kilnandco.example@evil.example/", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("https://", None),
        ("kilnandco.example/tide", None),
        ("https://kilnandco.example/tide?utm_source=cal#x", "https://kilnandco.example/tide?utm_source=cal#x"),
        ("HTTP://kilnandco.example", "HTTP://kilnandco.example"),
    ],
)
def test_only_web_addresses_go_into_url(runner: CliRunner, link: str, written: str | None) -> None:
    text = SHOP.read_text("utf-8").replace(
        'link = "https://kilnandco.example/collections/tide"', f"link = {toml_str(link)}"
    )
    text = text.replace('url = "https://kilnandco.example/collections/tide"', f"url = {toml_str(link)}")
    Path("plan.toml").write_text(text, encoding="utf-8")
    calendar = Calendar.from_ical(render(load(Path("plan.toml")).plan, "ics"))
    urls = {str(c["URL"]) for c in calendar.walk("VEVENT") + calendar.walk("VTODO") if "URL" in c}
    assert all(url.startswith("https://kilnandco.example/") for url in urls - {written})
    assert (written in urls) if written else link not in urls


@pytest.mark.parametrize(
    "link", ["https://kiln.example/tide\r\n", "https://kiln.example/\rti\nde", "\nhttps://kiln.example/tide "]
)
def test_a_link_or_url_with_a_line_break_is_exported_as_a_browser_reads_it(runner: CliRunner, link: str) -> None:
    text = SHOP.read_text("utf-8").replace(
        'link = "https://kilnandco.example/collections/tide"', f"link = {toml_str(link)}", 1
    )
    text = text.replace('url = "https://kilnandco.example/collections/tide"', f"url = {toml_str(link)}", 1)
    Path("plan.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["export", "plan.toml", "--format", "ics", "-o", "plan.ics"])
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(Path("plan.ics").read_bytes())
    urls = {str(c["URL"]) for c in calendar.walk("VEVENT") + calendar.walk("VTODO") if "URL" in c}
    assert "https://kiln.example/tide" in urls
    assert not any(char in url for url in urls for char in " \r\n\t")


# -- JSON -------------------------------------------------------------------------------


def test_json_is_the_whole_plan_with_plain_values(shop) -> None:
    data_bytes = render(shop, "json")
    assert data_bytes.endswith(b"}\n") and "🌊".encode() in data_bytes
    data = json.loads(data_bytes)
    assert list(data)[:4] == ["generated_by", "checksum", "schema", "export_version"]
    assert data["schema"] == 1
    assert data["campaign"]["start"] == "2027-03-01"
    assert data["smo"]["items"][0]["done_on"] == "2026-11-09"
    assert data["smm"]["start"] == "2027-03-15"
    assert data["smm"]["posts"][0]["at"] == "2027-03-16T19:00:00"
    assert data["smm"]["platforms"][0]["best_times"] == ["tue 19:00", "thu 19:00", "sun 10:00"]
    assert data["competitors"][0]["handles"] == {"instagram": "@clayworkstudio", "tiktok": "@claywork"}
    assert len(data["smm"]["posts"]) == len(shop.posts)


EXPORT_SCHEMA = Path(__file__).parent.parent / "planner" / "data" / "export.schema.json"


@pytest.mark.parametrize("phase", ["all", "smo", "smm"])
@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.toml")), ids=lambda path: path.stem)
def test_every_sample_json_export_matches_the_shipped_schema(runner: CliRunner, sample: Path, phase: str) -> None:
    import jsonschema

    schema = json.loads(EXPORT_SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    result = runner.invoke(main, ["export", str(sample), "--format", "json", "--phase", phase])
    assert result.exit_code == 0, result.output
    jsonschema.Draft202012Validator(schema).validate(json.loads(result.stdout_bytes))


def test_the_json_schema_is_shipped_with_planner() -> None:
    from importlib.resources import files

    assert json.loads(files("planner.data").joinpath("export.schema.json").read_text("utf-8"))["properties"][
        "export_version"
    ] == {"const": 1, "description": "The version of this JSON shape."}


def test_json_keeps_the_keys_planner_does_not_know(runner: CliRunner) -> None:
    text = SHOP.read_text("utf-8").replace("[campaign]\n", "budget_eur = 2500\n\n[campaign]\n", 1)
    text = text.replace(
        'name = "Tide collection launch"\n',
        'name = "Tide collection launch"\nbudget_eur = 1200.5\nkickoff = 2027-02-20\n',
        1,
    )
    text = text.replace('id = "keyword-research"\n', 'id = "keyword-research"\nhours = 3\n', 1)
    text += '\n[analytics]\nutm_campaign = "tide"\ngoals = ["sign-up", "order"]\n'
    Path("plan.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["export", "plan.toml", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout_bytes)
    assert data["budget_eur"] == 2500
    assert data["analytics"] == {"utm_campaign": "tide", "goals": ["sign-up", "order"]}
    assert data["campaign"]["budget_eur"] == 1200.5 and data["campaign"]["kickoff"] == "2027-02-20"
    assert data["campaign"]["name"] == "Tide collection launch"
    assert data["smo"]["items"][0]["hours"] == 3
    import jsonschema

    jsonschema.validate(data, json.loads(EXPORT_SCHEMA.read_text("utf-8")))


# -- the command: -o, --force, errors -----------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("md", "out.md"), ("ics", "out.ics"), ("json", "out.json")])
def test_output_replaces_an_earlier_export_but_not_another_file(runner: CliRunner, fmt: str, name: str) -> None:
    args = ["export", str(SHOP), "--format", fmt, "-o", name]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    first = Path(name).read_bytes()
    assert is_export(first, fmt)
    assert runner.invoke(main, args).exit_code == 0  # an earlier export is replaced
    assert Path(name).read_bytes() == first
    Path(name).write_text("my own notes\n", encoding="utf-8")
    refused = runner.invoke(main, args)
    assert refused.exit_code == 2
    assert refused.output == f"planner: {name}: exists and is not a planner export; use --force to overwrite it\n"
    assert Path(name).read_text("utf-8") == "my own notes\n"
    forced = runner.invoke(main, [*args, "--force"])
    assert forced.exit_code == 0 and Path(name).read_bytes() == first


def test_csv_of_all_phases_writes_two_files_named_after_the_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", str(SHOP), "--format", "csv", "-o", "plan.csv"])
    assert result.exit_code == 0, result.output
    assert Path("plan-smo.csv").read_bytes() == (GOLDEN / "shop-launch-smo.csv").read_bytes()
    assert Path("plan-smm.csv").read_bytes() == (GOLDEN / "shop-launch-smm.csv").read_bytes()
    assert not Path("plan.csv").exists()
    # The two files as written are replaced; when one of them is not, neither file is written.
    assert runner.invoke(main, ["export", str(SHOP), "--format", "csv", "-o", "plan.csv"]).exit_code == 0
    Path("plan-smm.csv").write_text("name,amount\r\nrent,=1200\r\n", encoding="utf-8")
    earlier = Path("plan-smo.csv").read_bytes()
    refused = runner.invoke(main, ["export", str(SHOP), "--format", "csv", "-o", "plan.csv"])
    assert refused.exit_code == 2 and "plan-smm.csv: exists and is not a planner export" in refused.output
    assert Path("plan-smo.csv").read_bytes() == earlier


def test_csv_of_all_phases_needs_an_output_file(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", str(SHOP), "--format", "csv"])
    assert result.exit_code == 2
    assert "CSV holds one phase per file" in result.output and "Traceback" not in result.output


def test_export_of_an_unreadable_or_invalid_plan(runner: CliRunner) -> None:
    missing = runner.invoke(main, ["export", "nope.toml", "--format", "md"])
    assert missing.exit_code == 2 and missing.output.startswith("planner: ") and missing.output.count("\n") == 1
    Path("bad.toml").write_text('schema = 1\n[campaign]\nname = ""\n', encoding="utf-8")
    invalid = runner.invoke(main, ["export", "bad.toml", "--format", "md"])
    assert invalid.exit_code == 1 and "bad.toml:3: campaign.name" in invalid.output
    assert "Traceback" not in invalid.output


def test_export_to_a_missing_folder_fails_on_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", str(SHOP), "--format", "md", "-o", "missing/out.md"])
    assert result.exit_code == 2 and result.output.startswith("planner: missing/out.md: not saved")


def test_export_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    for word in ("--format", "md|csv|ics|json", "--phase", "--force", "FILE-smo.csv"):
        assert word in result.output


# -- replacing an earlier export: only when it is proven unchanged ------------------------


def _edit_plan(path: Path) -> None:
    """A new plan state: one post's title changed."""
    text = path.read_text("utf-8")
    path.write_text(
        text.replace('title = "Launch: Tide is here"', 'title = "Launch: Tide is finally here"', 1), encoding="utf-8"
    )


@pytest.fixture
def plan_copy(runner: CliRunner) -> Path:
    path = Path("plan.toml")
    path.write_bytes(SHOP.read_bytes())
    return path


def test_a_csv_edited_in_a_spreadsheet_is_not_replaced_without_force(runner: CliRunner, plan_copy: Path) -> None:
    args = ["export", "plan.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]
    assert runner.invoke(main, args).exit_code == 0
    edited = Path("posts.csv").read_bytes().replace(b"Launch: Tide is here", b"Launch: Tide is here (Maria's wording)")
    Path("posts.csv").write_bytes(edited)  # the header is still ours
    _edit_plan(plan_copy)
    refused = runner.invoke(main, args)
    assert refused.exit_code == 2
    assert refused.output == "planner: posts.csv: was edited since planner exported it; use --force to overwrite it\n"
    assert Path("posts.csv").read_bytes() == edited
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert b"Tide is finally here" in Path("posts.csv").read_bytes()


@pytest.mark.parametrize("fmt", ["md", "csv", "ics", "json"])
def test_an_unchanged_earlier_export_is_replaced_when_the_plan_changed(
    runner: CliRunner, plan_copy: Path, fmt: str
) -> None:
    args = ["export", "plan.toml", "--format", fmt, "--phase", "smm", "-o", f"out.{fmt}"]
    assert runner.invoke(main, args).exit_code == 0
    _edit_plan(plan_copy)
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert b"Tide is finally here" in Path(f"out.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", ["md", "ics", "json"])
def test_an_export_with_a_checksum_proves_itself_on_another_machine(
    runner: CliRunner, plan_copy: Path, fmt: str, isolated_home: Path
) -> None:
    args = ["export", "plan.toml", "--format", fmt, "-o", f"out.{fmt}"]
    assert runner.invoke(main, args).exit_code == 0
    shutil.rmtree(isolated_home / "state" / "exports")  # as if committed by a teammate: no record here
    _edit_plan(plan_copy)
    assert runner.invoke(main, args).exit_code == 0
    exported = Path(f"out.{fmt}").read_bytes()
    assert b"Tide is finally here" in exported
    assert exported == render(load(plan_copy).plan, fmt, "all")


@pytest.mark.parametrize(
    ("fmt", "before", "after"),
    [
        ("md", b"# Tide", b"# My Tide"),
        ("ics", b"SUMMARY:[Instagram]", b"SUMMARY:[IG]"),
        ("json", b'"schema": 1', b'"schema": 1, "mine": 2'),
    ],
)
def test_an_export_edited_by_hand_is_not_replaced_without_force(
    runner: CliRunner, plan_copy: Path, isolated_home: Path, fmt: str, before: bytes, after: bytes
) -> None:
    args = ["export", "plan.toml", "--format", fmt, "-o", f"out.{fmt}"]
    assert runner.invoke(main, args).exit_code == 0
    shutil.rmtree(isolated_home / "state" / "exports")  # the checksum alone tells
    edited = Path(f"out.{fmt}").read_bytes().replace(before, after, 1)
    Path(f"out.{fmt}").write_bytes(edited)
    _edit_plan(plan_copy)
    refused = runner.invoke(main, args)
    assert refused.exit_code == 2
    assert refused.output == f"planner: out.{fmt}: was edited since planner exported it; use --force to overwrite it\n"
    assert Path(f"out.{fmt}").read_bytes() == edited


def test_a_csv_planner_has_no_record_of_is_replaced_only_when_nothing_would_change(
    runner: CliRunner, plan_copy: Path, isolated_home: Path
) -> None:
    args = ["export", "plan.toml", "--format", "csv", "--phase", "smm", "-o", "posts.csv"]
    assert runner.invoke(main, args).exit_code == 0
    shutil.rmtree(isolated_home / "state" / "exports")  # exported on another machine
    assert runner.invoke(main, args).exit_code == 0  # byte-identical to the new export: nothing is lost
    shutil.rmtree(isolated_home / "state" / "exports")
    _edit_plan(plan_copy)
    refused = runner.invoke(main, args)
    assert refused.exit_code == 2
    assert refused.output == (
        "planner: posts.csv: may have been edited since it was exported (planner has no checksum or record of it);"
        " use --force to overwrite it\n"
    )


# -- the Markdown as GitHub's renderer (cmark-gfm) shows it --------------------------------------

GFM_TAGS = {  # what cmark-gfm makes of Markdown, and the <br> the export writes for a line break in a note
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "input",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "em",
    "strong",
    "del",
    "br",
    "hr",
    "blockquote",
    "pre",
}


def cmark_gfm_html(source: str) -> str:
    program = shutil.which("cmark-gfm")
    if program is None:
        pytest.skip("cmark-gfm is not installed (apt-get install cmark-gfm): GitHub's own renderer is not checked here")
    # --unsafe: GitHub lets raw HTML through its own sanitizer, so what the export lets through must show here.
    command = [program, "--unsafe", "-e", "table", "-e", "autolink", "-e", "tasklist", "-e", "strikethrough"]
    return subprocess.run(command, input=source, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.toml")), ids=lambda path: path.stem)
def test_github_shows_every_task_table_cell_and_link_of_the_markdown(sample: Path) -> None:
    plan = load(sample).plan
    rendered = cmark_gfm_html(render(plan, "md").decode())
    boxes = re.findall(r'<input type="checkbox" (checked="" )?disabled="" />', rendered)
    assert len(boxes) == len(plan.smo_items)  # one task per SMO item, ticked as in the plan
    assert sum(bool(checked) for checked in boxes) == sum(item.done for item in plan.smo_items)
    tables = re.findall(r"<table>.*?</table>", rendered, flags=re.S)
    assert tables  # the SMM calendar's weeks, platforms, competitors
    for table in tables:
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in rows}
        assert len(widths) == 1, table  # every row has the header's number of cells: no `|` in a text split one
    links = {html.unescape(href) for href in re.findall(r'<a href="([^"]*)"', rendered)}
    expected = {
        plan.campaign.site,
        *(item.url for item in plan.smo_items),
        *(post.link for post in plan.posts),
        *(c.site for c in plan.competitors),
    }
    assert links == {url for url in expected if url}


def test_no_html_from_the_plan_survives_github_rendering(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, hostile_plan(HOSTILE))
    rendered = cmark_gfm_html(render(plan, "md").decode())
    assert "<table>" in rendered and 'type="checkbox"' in rendered
    tags = {tag.lower() for tag in re.findall(r"<([A-Za-z][A-Za-z0-9]*)", rendered)}
    assert tags <= GFM_TAGS, tags - GFM_TAGS  # <script>, <b> and the like from the plan are text, not tags


# The iCalendar export as the icalendar library builds it, component by component: what
# `render_ics` wrote before it wrote the components itself. Its bytes must not change.
def reference_ics(plan, phase: str = "all") -> bytes:
    from icalendar import Event, Todo

    from planner.export import MARKER
    from planner.export.common import platform_label, posts_in_order
    from planner.export.ics import DURATION, PRODID, STATUS, calendar_text, item_uid, post_uid, web_url
    from planner.export.proof import PLACEHOLDER

    campaign = plan.campaign
    zone = zoneinfo.ZoneInfo(campaign.timezone)
    stamp = dt.datetime.combine(campaign.start, dt.time(), tzinfo=dt.UTC)
    calendar = Calendar()
    for name, value in (
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-generated-by", MARKER),
        ("x-planner-checksum", PLACEHOLDER),
        ("x-wr-calname", calendar_text(campaign.name, one_line=True)),
        ("x-wr-timezone", campaign.timezone),
    ):
        calendar.add(name, value)
    for item in plan.smo_items if phase in ("all", "smo") else []:
        todo = Todo()
        todo.add("uid", item_uid(plan, item))
        todo.add("dtstamp", stamp)
        todo.add("summary", calendar_text(item.title, one_line=True))
        todo.add("due", plan.smo_due)
        details = ([item.notes] if item.notes else []) + ([f"Owner: {item.owner}"] if item.owner else [])
        if details:
            todo.add("description", calendar_text("\n\n".join(details)))
        if web_url(item.url):
            todo.add("url", web_url(item.url))
        if item.category:
            todo.add("categories", [calendar_text(item.category, one_line=True)])
        todo.add("status", "COMPLETED" if item.done else "NEEDS-ACTION")
        if item.done and item.done_on is not None:
            todo.add("completed", dt.datetime.combine(item.done_on, dt.time(), tzinfo=dt.UTC))
        calendar.add_component(todo)
    posts = posts_in_order(plan.posts) if phase in ("all", "smm") else []
    for post in posts:
        event = Event()
        event.add("uid", post_uid(plan, post))
        event.add("dtstamp", stamp)
        event.add("dtstart", post.at.replace(tzinfo=zone))
        event.add("duration", DURATION)
        event.add(
            "summary", calendar_text(f"[{platform_label(plan, post.platform)}] {post.title or post.id}", one_line=True)
        )
        description = [part for part in (post.text, post.link) if part]
        if description:
            event.add("description", calendar_text("\n\n".join(description)))
        if web_url(post.link):
            event.add("url", web_url(post.link))
        if post.tags:
            event.add("categories", [calendar_text(tag, one_line=True) for tag in post.tags])
        event.add("status", STATUS[post.status])
        calendar.add_component(event)
    if posts:
        days = [campaign.start, campaign.end, *(post.at.date() for post in posts)]
        calendar.add_missing_timezones(
            first_date=dt.date(min(days).year, 1, 1), last_date=dt.date(min(max(days).year + 1, dt.MAXYEAR), 1, 1)
        )
    return calendar.to_ical()


def test_the_ics_export_writes_the_bytes_the_icalendar_library_writes_for_every_sample() -> None:
    from planner.export.ics import render_ics

    for sample in sorted(SAMPLES.glob("*.toml")):
        plan = load(sample).plan
        assert plan is not None
        for phase in ("all", "smo", "smm"):
            assert render_ics(plan, phase) == reference_ics(plan, phase), (sample.name, phase)


# Text that escapes (\ ; ,), folds (long, multi-byte, an escape across a fold), or is cleaned (controls, breaks).
ICS_TEXT = st.text(st.sampled_from('ab ,;\\^:"é€🎉\n\r\t\x00\u2028N') | st.characters(codec="utf-8"), max_size=240)


@settings(deadline=None)  # builds two calendars an example: on a loaded machine one can pass 200 ms
@given(
    titles=st.lists(ICS_TEXT, min_size=1, max_size=3),
    text=ICS_TEXT,
    tags=st.lists(ICS_TEXT.filter(str.strip), max_size=3),
    link=st.sampled_from(
        ["", "https://kiln.example/a,b;c\\d^e?" + "x" * 70, "javascript:alert(1)", "https://h.example/ é"]
    ),
    zone=st.sampled_from(["Europe/Berlin", "UTC", "Etc/GMT+5", "America/Argentina/ComodRivadavia", "Asia/Kolkata"]),
)
def test_the_ics_export_of_any_text_is_the_icalendar_librarys_byte_for_byte(titles, text, tags, link, zone) -> None:
    import dataclasses

    from planner.export.ics import render_ics

    plan = load(SHOP).plan
    assert plan is not None
    posts = [
        dataclasses.replace(post, title=titles[i % len(titles)], text=text, tags=tuple(tags), link=link)
        for i, post in enumerate(plan.posts[:4])
    ]
    items = [
        dataclasses.replace(
            item, title=titles[i % len(titles)], notes=text, owner=titles[0], category=titles[-1], url=link
        )
        for i, item in enumerate(plan.smo_items[:3])
    ]
    campaign = dataclasses.replace(plan.campaign, timezone=zone, name=titles[0])
    plan = dataclasses.replace(plan, campaign=campaign, posts=posts, smo_items=items)
    assert render_ics(plan) == reference_ics(plan)


def test_the_ics_export_folds_as_the_icalendar_library_with_an_escape_or_a_wide_character_at_every_place() -> None:
    import dataclasses

    from planner.export.ics import render_ics

    plan = load(SHOP).plan
    assert plan is not None
    for mark in ("^", "\\", ",", "é", "€", "🎉"):
        for lead in ("", "é", "€€"):
            texts = [lead + "a" * k + mark + "b" * 90 + mark * 30 for k in range(40, 160)]
            posts = [dataclasses.replace(plan.posts[0], title=text, text=text) for text in texts]
            changed = dataclasses.replace(plan, posts=posts, smo_items=[])
            assert render_ics(changed, "smm") == reference_ics(changed, "smm"), (mark, lead)
