"""The audit's rules: what a page must carry to be found, shared and linked.

`parse` reads a page's HTML the way a browser does (selectolax, on the
Lexbor engine, which follows the WHATWG parsing algorithm: unclosed tags,
stray end tags and a ``<meta>`` in the body end up where a browser puts
them) into `PageFacts`; each rule turns the facts into a `RuleResult` with
a short reason and the offending value for everything it found wrong.
`duplicates` is the one rule across pages: the same title or description
on several pages.

The rule names are the values of an SMO item's ``audit`` key
(`planner.plan.schema.AUDIT_RULES`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from planner.audit.budget import Budget
from planner.audit.budget import check as check_budget
from planner.plan.model import PlatformChoice
from planner.plan.schema import AUDIT_RULES
from planner.rules.platforms import builtin_platforms
from planner.rules.text import count

LEVELS = ("note", "warning", "fail")  # a note does not stop a rule from passing
STATUSES = ("pass", "warning", "fail")

TITLE_RANGE = (10, 60)
DESCRIPTION_RANGE = (50, 160)
OG_REQUIRED = ("og:title", "og:type", "og:image", "og:url")  # the four ogp.me requires
TWITTER_CARDS = ("summary", "summary_large_image", "app", "player")
TWITTER_TITLE_MAX = 70
TWITTER_DESCRIPTION_MAX = 200
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found: ``level`` note, warning or fail; ``value`` the offending text."""

    level: str
    reason: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class RuleResult:
    """``found``: the rule positively found what it checks for (a pass made of notes alone has not)."""

    rule: str
    findings: tuple[Finding, ...] = ()
    evidence: str = ""  # what the page has that satisfies the rule (shown when it passes)
    found: bool = False

    @property
    def status(self) -> str:
        levels = {finding.level for finding in self.findings}
        return "fail" if "fail" in levels else "warning" if "warning" in levels else "pass"


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    rel: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the rules look at, read from one page. ``None`` means the element is not there."""

    title: str | None = None
    description: str | None = None
    h1: tuple[str, ...] = ()
    lang: str | None = None
    canonical: tuple[str, ...] = ()
    viewport: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # og: and twitter: properties, first value of each
    links: tuple[Link, ...] = ()
    linked_pages: frozenset[tuple[str, str]] = field(
        init=False, repr=False, compare=False
    )  # where the links point (host, path)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "linked_pages", frozenset(key for link in self.links if (key := _key(link.href)) is not None)
        )


def _clean(text: str) -> str:
    """Whitespace collapsed and trimmed, as ``document.title`` does."""
    return " ".join(text.split())


def parse(html: str, budget: Budget = Budget()) -> PageFacts:
    """The facts of a page. Never raises on broken markup: it is parsed as a browser would.

    A page beyond ``budget`` is not parsed: `TooComplex` says which limit it passed.
    """
    check_budget(html, budget)
    tree = LexborHTMLParser(html.replace("\x00", "\ufffd"))
    title_node = tree.css_first("title")
    root = tree.css_first("html")
    description = viewport = None
    meta: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        name = (attrs.get("name") or "").strip().lower()
        prop = (attrs.get("property") or "").strip().lower() or name
        content = _clean(attrs.get("content") or "")
        if name == "description" and description is None:
            description = content
        elif name == "viewport" and viewport is None:
            viewport = content
        if prop.startswith(("og:", "twitter:")):
            meta.setdefault(prop, content)
    canonical = []
    links = []
    for node in tree.css("link, a, area, form"):
        attrs = node.attributes
        href = (attrs.get("action") if node.tag == "form" else attrs.get("href")) or ""
        rel = tuple((attrs.get("rel") or "").lower().split())
        if node.tag == "link" and "canonical" in rel:
            canonical.append(href.strip())
        elif node.tag != "link" and href.strip():
            links.append(Link(href.strip(), rel))
        elif node.tag == "link" and "me" in rel and href.strip():
            links.append(Link(href.strip(), rel))
    return PageFacts(
        title=_clean(title_node.text(deep=True)) if title_node is not None else None,
        description=description,
        h1=tuple(_clean(node.text(deep=True)) for node in tree.css("h1")),
        lang=(root.attributes.get("lang") or "").strip()
        if root is not None and root.attributes.get("lang") is not None
        else None,
        canonical=tuple(canonical),
        viewport=viewport,
        meta=meta,
        links=tuple(links),
    )


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _length(value: str, limits: tuple[int, int], what: str) -> Finding | None:
    low, high = limits
    size = count(value)
    if size < low:
        return Finding("warning", f"{what} is {_characters(size)}, fewer than {low}", value)
    if size > high:
        return Finding("warning", f"{what} is {_characters(size)}, more than {high}", value)
    return None


def _characters(size: int) -> str:
    return f"{size} character{'s' if size != 1 else ''}"


def _result(rule: str, findings: Iterable[Finding | None], evidence: str = "", found: bool | None = None) -> RuleResult:
    """A rule's result; it has ``found`` what it checks for when it has evidence, unless it says otherwise."""
    return RuleResult(
        rule, tuple(f for f in findings if f is not None), evidence, bool(evidence) if found is None else found
    )


# -- the rules, one function each -------------------------------------------------------


def rule_title(page: PageFacts, plan: Audience) -> RuleResult:
    if page.title is None:
        return _result("title", [Finding("fail", "no <title>")])
    if not page.title:
        return _result("title", [Finding("fail", "the <title> is empty")])
    return _result("title", [_length(page.title, TITLE_RANGE, "title")], page.title)


def rule_description(page: PageFacts, plan: Audience) -> RuleResult:
    if page.description is None:
        return _result("description", [Finding("fail", 'no <meta name="description">')])
    if not page.description:
        return _result("description", [Finding("fail", "the meta description is empty")])
    return _result("description", [_length(page.description, DESCRIPTION_RANGE, "description")], page.description)


def rule_og(page: PageFacts, plan: Audience) -> RuleResult:
    findings = [Finding("fail", f"no {name}") for name in OG_REQUIRED if not page.meta.get(name)]
    image = page.meta.get("og:image", "")
    if image and not _absolute(image):
        findings.append(Finding("fail", "og:image is not an absolute http(s) URL", image))
    url = page.meta.get("og:url", "")
    if url and not _absolute(url):
        findings.append(Finding("warning", "og:url is not an absolute http(s) URL", url))
    if not page.meta.get("og:description"):
        findings.append(Finding("warning", "no og:description"))
    if image and not page.meta.get("og:image:alt"):
        findings.append(Finding("warning", "no og:image:alt (the image's text for screen readers)"))
    return _result("og", findings, page.meta.get("og:title", ""))


def rule_twitter(page: PageFacts, plan: Audience) -> RuleResult:
    card = page.meta.get("twitter:card")
    findings: list[Finding | None] = []
    if not card:
        findings.append(Finding("note", "no twitter:card; X shows the og: tags as a summary card"))
    elif card not in TWITTER_CARDS:
        findings.append(Finding("fail", f"twitter:card is not one of {', '.join(TWITTER_CARDS)}", card))
    title = page.meta.get("twitter:title", "")
    if count(title) > TWITTER_TITLE_MAX:
        findings.append(
            Finding("warning", f"twitter:title is {count(title)} characters, more than {TWITTER_TITLE_MAX}", title)
        )
    description = page.meta.get("twitter:description", "")
    if count(description) > TWITTER_DESCRIPTION_MAX:
        findings.append(
            Finding(
                "warning",
                f"twitter:description is {count(description)} characters, more than {TWITTER_DESCRIPTION_MAX}",
                description,
            )
        )
    # What an "X card tags" item asks for: a card type, a title and an image. X
    # takes the title and image from og:title and og:image when the twitter: ones
    # are missing, so those count, and the evidence says where each came from.
    title_from = next((name for name in ("twitter:title", "og:title") if page.meta.get(name)), "")
    image_from = next((name for name in ("twitter:image", "og:image") if page.meta.get(name)), "")
    found = card in TWITTER_CARDS and bool(title_from) and bool(image_from)
    if card in TWITTER_CARDS and not found:
        missing = " or ".join(what for what, source in (("title", title_from), ("image", image_from)) if not source)
        findings.append(Finding("note", f"no {missing} for the card (twitter:title/og:title, twitter:image/og:image)"))
    evidence = f"twitter:card {card}" if card else ""
    if found:
        evidence += f", title from {title_from}, image from {image_from}"
    return _result("twitter", findings, evidence, found)


def rule_share(page: PageFacts, plan: Audience) -> RuleResult:
    if not plan.share_patterns:
        return _result(
            "share", [Finding("warning", "none of the plan's platforms has a web share link (smm.platforms)")]
        )
    found = [
        name
        for name, patterns in plan.share_patterns.items()
        if any(_pattern_key(p) in page.linked_pages for p in patterns)
    ]
    if not found:
        names = ", ".join(plan.share_patterns)
        return _result("share", [Finding("fail", f"no share link for {names}")])
    return _result("share", [], "share links: " + ", ".join(found))


def rule_profiles(page: PageFacts, plan: Audience) -> RuleResult:
    unusable = [
        Finding(
            "warning",
            f"the plan's {name} handle is not an account name {name} accepts; no profile link to look for",
            handle,
        )
        for name, handle in plan.bad_handles.items()
    ]
    if not plan.profiles:
        return _result(
            "profiles", unusable or [Finding("warning", "the plan names no handles on its platforms (smm.platforms)")]
        )
    linked, missing = [], []
    rel_me = [link.href.lower() for link in page.links if "me" in link.rel]
    for name, (handle, expected) in plan.profiles.items():
        if (expected and _pattern_key(expected) in page.linked_pages) or any(handle in href for href in rel_me):
            linked.append(name)
        else:
            missing.append(f"no link to the brand's profile on {name} ({expected or f'rel=me with {handle}'})")
    level = "warning" if linked else "fail"
    return _result(
        "profiles",
        [*unusable, *(Finding(level, reason) for reason in missing)],
        "profiles: " + ", ".join(linked) if linked else "",
    )


def rule_canonical(page: PageFacts, plan: Audience) -> RuleResult:
    if not page.canonical:
        return _result("canonical", [Finding("fail", 'no <link rel="canonical">')])
    href = page.canonical[0]
    findings: list[Finding | None] = []
    if not href:
        findings.append(Finding("fail", "the canonical link has no href"))
    elif not _absolute(href):
        findings.append(Finding("warning", "the canonical link is not an absolute http(s) URL", href))
    if len(set(page.canonical)) > 1:
        findings.append(
            Finding("warning", f"{len(page.canonical)} different canonical links", " | ".join(page.canonical))
        )
    return _result("canonical", findings, href)


def rule_viewport(page: PageFacts, plan: Audience) -> RuleResult:
    if page.viewport is None:
        return _result("viewport", [Finding("fail", 'no <meta name="viewport">')])
    if "width=device-width" not in page.viewport.replace(" ", "").lower():
        return _result("viewport", [Finding("warning", "the viewport does not set width=device-width", page.viewport)])
    return _result("viewport", [], page.viewport)


def rule_lang(page: PageFacts, plan: Audience) -> RuleResult:
    if not page.lang:
        return _result("lang", [Finding("fail", "no lang on <html>" if page.lang is None else "<html lang> is empty")])
    if not LANGUAGE_TAG.match(page.lang):
        return _result("lang", [Finding("warning", "<html lang> is not a language tag such as en or de-CH", page.lang)])
    return _result("lang", [], page.lang)


def rule_h1(page: PageFacts, plan: Audience) -> RuleResult:
    if not page.h1:
        return _result("h1", [Finding("fail", "no <h1>")])
    if len(page.h1) > 1:
        return _result("h1", [Finding("warning", f"{len(page.h1)} <h1> headings; one is clearer", " | ".join(page.h1))])
    if not page.h1[0]:
        return _result("h1", [Finding("warning", "the <h1> is empty")])
    return _result("h1", [], page.h1[0])


PAGE_RULES: dict[str, Callable[[PageFacts, Audience], RuleResult]] = {
    "title": rule_title,
    "description": rule_description,
    "og": rule_og,
    "twitter": rule_twitter,
    "share": rule_share,
    "profiles": rule_profiles,
    "canonical": rule_canonical,
    "viewport": rule_viewport,
    "lang": rule_lang,
    "h1": rule_h1,
}
assert tuple(PAGE_RULES) == AUDIT_RULES, "every audit rule the plan format names has a check, in the same order"


def check_page(page: PageFacts, plan: Audience) -> tuple[RuleResult, ...]:
    return tuple(rule(page, plan) for rule in PAGE_RULES.values())


def duplicates(pages: list[tuple[str, PageFacts, tuple[RuleResult, ...]]]) -> list[tuple[RuleResult, ...]]:
    """Each page's results with a warning added to ``title`` and ``description`` when another page has the same text."""
    seen: dict[tuple[str, str], list[str]] = {}
    for name, facts, _ in pages:
        for rule, text in (("title", facts.title), ("description", facts.description)):
            if text:
                seen.setdefault((rule, text), []).append(name)
    out = []
    for name, facts, results in pages:
        updated = []
        for result in results:
            text = (
                facts.title if result.rule == "title" else facts.description if result.rule == "description" else None
            )
            others = [other for other in seen.get((result.rule, text or ""), []) if other != name] if text else []
            if others:
                shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
                result = replace(
                    result,
                    findings=(*result.findings, Finding("warning", f"same {result.rule} as {shown}", text or "")),
                )
            updated.append(result)
        out.append(tuple(updated))
    return out


# -- what the plan tells the rules ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Audience:
    """From the plan: the share link pattern and the profile address per chosen platform.

    A handle its platform would not accept (``Kaffeewerk Berlin`` on Facebook)
    gives no profile address: it is in ``bad_handles`` instead.
    """

    share_patterns: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # platform -> its share link patterns (documented first)
    profiles: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # platform -> (handle lowercased, profile URL or "")
    bad_handles: dict[str, str] = field(default_factory=dict)  # platform -> the handle as the plan writes it

    @classmethod
    def of(cls, platforms: Iterable[PlatformChoice]) -> Audience:
        rules = builtin_platforms()
        share, profiles, bad = {}, {}, {}
        for choice in platforms:
            known = rules.get(choice.name)
            if known is not None and known.share_urls:
                share[choice.name] = known.share_urls
            handle = choice.handle.strip().removeprefix("@")
            if handle and known is not None and not known.accepts_handle(handle):
                bad[choice.name] = choice.handle
            elif handle:
                profiles[choice.name] = (handle.lower(), profile_url(known.profile_url if known else "", handle))
        return cls(share, profiles, bad)


def profile_url(pattern: str, handle: str) -> str:
    """The profile address for ``handle``; a Mastodon-style ``user@server`` handle lives on its server."""
    if not pattern:
        return ""
    if "@" in handle and "mastodon" in pattern:
        user, server = handle.split("@", 1)
        return f"https://{server}/@{user}"
    return pattern.replace("{handle}", handle)


def _key(url: str) -> tuple[str, str] | None:
    """Host (without ``www.``) and path (without a trailing ``/``) of an absolute or scheme-relative URL."""
    if "//" not in url:  # a relative link (most are) has no host
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    return host, parts.path.rstrip("/").lower()


@functools.lru_cache(maxsize=256)
def _pattern_key(pattern: str) -> tuple[str, str] | None:
    """Where a share or profile ``pattern`` points (host and path; the query is not compared)."""
    return _key(pattern.split("?", 1)[0].replace("{url}", "").replace("{handle}", ""))
