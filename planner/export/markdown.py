r"""The plan as a GitHub-flavoured Markdown page: checklist, agenda, platforms, competitors.

All text from the plan goes through `inline`, which escapes what Markdown
would read as markup (emphasis, links, HTML, code, headings, table pipes)
and writes line breaks as ``<br>``, so a cell or list item stays on its line.

GitHub also makes links of bare URLs, ``www.`` names and e-mail addresses
(GFM's autolink extension). Only the fields meant to be links are links
(`link`: a site, an SMO item's url); in any other text `inline` breaks them
up without changing what the page shows. cmark-gfm finds a URL or a
``www.`` name in the Markdown source itself, so a backslash escape is
enough there (``https:\//``, ``www\.``); it finds an e-mail address after
joining the text around escapes, so only something that is not text stops
it: an empty HTML comment before the ``@`` (which GitHub does not show).
"""

from __future__ import annotations

import re
from itertools import groupby

from planner.export import MARKER
from planner.export.common import category_title, platform_label, posts_in_order, week_start
from planner.export.proof import PLACEHOLDER
from planner.plan.model import Plan, SmoItem
from planner.rules.text import hashtags

# Backslash-escaped: ASCII punctuation that can start or end markup mid-line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
# What GitHub would turn into a link: a scheme's "://" (http, https, ftp; any, to be safe),
# "www." at the start of a word, and the "@" of an e-mail address.
_SCHEME = re.compile(r"(?<=[A-Za-z0-9+.-]):(?=//)")
_WWW = re.compile(r"(?i)(?<![A-Za-z0-9])(www)\.")
_EMAIL_AT = re.compile(r"(?<=[A-Za-z0-9.+_-])@(?=[A-Za-z0-9_-])")
NOT_A_LINK = "<!-- -->"
# A link field worth linking: http(s) with a host. Other schemes (javascript:, data:) stay text.
_LINKABLE = re.compile(r"https?://[^/?#\s]+.*", re.IGNORECASE | re.DOTALL)
# What a CommonMark autolink cannot hold, or would read differently: spaces, controls, < >,
# the backslash; and Unicode spaces and controls, which GitHub would end the link at.
_UNSAFE_IN_AUTOLINK = re.compile(
    r"[\x00-\x20<>\\\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]"
)
# Browsers drop tabs and line breaks anywhere in a URL, and spaces and controls at its ends.
_DROPPED_BY_BROWSERS = re.compile(r"[\t\r\n]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
UNCATEGORISED = "uncategorised"


def _unlinked(line: str) -> str:
    line = _SCHEME.sub(r":\\", line)  # https:\//host: the "//" is no longer there for the autolinker
    line = _WWW.sub(r"\1\\.", line)
    return _EMAIL_AT.sub(NOT_A_LINK + "@", line)


def inline(text: str) -> str:
    """``text`` as literal Markdown on one line: markup escaped, no autolinks, line breaks as ``<br>``."""
    lines = [_unlinked(_SPECIAL.sub(r"\\\1", line.strip())) for line in _BREAK.split(text.strip())]
    return "<br>".join(lines)


def link_destination(url: str) -> str:
    """``url`` as a browser reads it, percent-encoded where an autolink needs it; never backslash-escaped.

    Backslash escapes do not work inside an autolink (GitHub and markdown-it
    keep the backslash in the href), so `utm_source`, ``&`` and ``#`` are
    written as they are and only what would end or change the link is encoded.
    """
    url = _DROPPED_BY_BROWSERS.sub("", url).strip(_C0_AND_SPACE)
    return _UNSAFE_IN_AUTOLINK.sub(lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8")), url)


def link(url: str) -> str:
    """A field meant to be a link: an autolink when it is an http(s) URL, else text like any other."""
    destination = link_destination(url)
    return f"<{destination}>" if _LINKABLE.fullmatch(destination) else inline(url)


def render_markdown(plan: Plan, phase: str = "all") -> bytes:
    campaign = plan.campaign
    out = [
        f"<!-- {MARKER}: edit the plan, not this file; checksum {PLACEHOLDER} -->",
        "",
        f"# {inline(campaign.name)}",
        "",
    ]
    facts = [f"{campaign.start} to {campaign.end}", f"time zone {inline(campaign.timezone)}"]
    if campaign.site:
        facts.insert(0, link(campaign.site))
    out += [" · ".join(facts), ""]
    if campaign.objective:
        out += [f"Objective: {inline(campaign.objective)}", ""]
    if phase in ("all", "smo"):
        out += _checklist(plan)
    if phase in ("all", "smm"):
        out += _agenda(plan) + _platforms(plan) + _competitors(plan)
    while out and out[-1] == "":
        out.pop()
    return ("\n".join(out) + "\n").encode("utf-8")


def _progress(items: list[SmoItem]) -> str:
    return f"{sum(item.done for item in items)}/{len(items)} done"


def _checklist(plan: Plan) -> list[str]:
    items = plan.smo_items
    out = [f"## SMO checklist ({_progress(items)}, due {plan.smo_due})", ""]
    if not items:
        return out + ["No items.", ""]
    categories: dict[str, list[SmoItem]] = {}
    for item in items:  # categories in the order the file first uses them
        categories.setdefault(item.category.strip() or UNCATEGORISED, []).append(item)
    for category, members in categories.items():
        out += [f"### {inline(category_title(category))} ({_progress(members)})", ""]
        for item in members:
            out.append(f"- [{'x' if item.done else ' '}] {inline(item.title or item.id)}")
            details = []
            if item.owner:
                details.append(f"owner: {inline(item.owner)}")
            if item.done_on:
                details.append(f"done: {item.done_on}")
            if item.url:
                details.append(f"url: {link(item.url)}")
            if details:
                out.append(f"  - {' · '.join(details)}")
            if item.notes:
                out.append(f"  - notes: {inline(item.notes)}")
        out.append("")
    return out


def _cell(text: str) -> str:
    return inline(text) or " "


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


AGENDA_COLUMNS = ["Day", "Time", "Platform", "Format", "Status", "Title", "Text", "Link", "Hashtags"]


def _agenda(plan: Plan) -> list[str]:
    out = [f"## SMM calendar (from {plan.smm_start})", ""]
    posts = posts_in_order(plan.posts)
    if not posts:
        return out + ["No posts.", ""]
    for monday, week in groupby(posts, key=lambda post: week_start(post.at.date())):
        rows = [
            [
                f"{post.at:%a %Y-%m-%d}",
                f"{post.at:%H:%M}",
                _cell(platform_label(plan, post.platform)),
                _cell(post.format),
                _cell(post.status),
                _cell(post.title or post.id),
                _cell(post.text),
                link(post.link).replace("|", "\\|") if post.link.strip() else " ",
                _cell(" ".join(f"#{tag}" for tag in hashtags(post.text))),
            ]
            for post in week
        ]
        out += [f"### Week of {monday:%a %Y-%m-%d}", ""]
        out += _table(AGENDA_COLUMNS, rows)
    return out


def _platforms(plan: Plan) -> list[str]:
    out = ["## Platforms", ""]
    if not plan.platforms:
        return out + ["None chosen.", ""]
    rows = [
        [
            _cell(platform_label(plan, choice.name)),
            _cell(choice.handle),
            f"{choice.cadence} a week" if choice.cadence else "no target",
            _cell(", ".join(str(slot) for slot in choice.best_times)),
            _cell(choice.why),
        ]
        for choice in plan.platforms
    ]
    return out + _table(["Platform", "Handle", "Cadence", "Best times", "Why"], rows)


def _competitors(plan: Plan) -> list[str]:
    if not plan.competitors:
        return []
    out = ["## Competitors", ""]
    for competitor in plan.competitors:
        out += [f"### {inline(competitor.name)}", ""]
        facts = [
            ("site", competitor.site),
            ("handles", ", ".join(f"{platform_label(plan, name)} {handle}" for name, handle in competitor.handles)),
            ("cadence", competitor.cadence),
            ("strengths", competitor.strengths),
            ("weaknesses", competitor.weaknesses),
            ("notes", competitor.notes),
        ]
        out += [
            f"- {label}: {link(value) if label == 'site' else inline(value)}" for label, value in facts if value.strip()
        ]
        out.append("")
    return out
