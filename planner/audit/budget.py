"""The work budget of one page: how much markup the audit agrees to parse.

An HTML parser does work that grows faster than the page for some markup:
every element opened inside thousands of open elements walks the stack of
open elements (5 MB of nested ``<div>`` took minutes), every attribute of a
tag is compared with the ones before it (200,000 attributes on one tag), and
formatting elements left open (``<b>``, ``<font>``…) are opened again after
every block that closes them (a few kilobytes can make a million elements).

`check` scans the text once, in linear time and without building a tree,
and raises `TooComplex` as soon as the page goes beyond its `Budget`: more
elements than ``elements`` (counting those the parser re-opens for unclosed
formatting elements), nesting deeper than ``depth``, or a tag with more than
``attributes`` attributes. The scan follows the tokenizer and tree builder
closely enough for real pages (raw text in ``<script>``, comments, void
elements, the end tags a browser implies for ``<p>``, ``<li>``, table cells)
and errs on the side of counting more. Browsers themselves stop nesting at
a depth of 512 (Chromium) and real pages stay far below every limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Budget:
    elements: int = 500_000
    depth: int = 1_000
    attributes: int = 1_000


class TooComplex(Exception):
    """A page beyond the budget; ``reason`` says which limit, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\s/>\x00]*)([^>]*)>?)")
_ATTRIBUTE = re.compile(r"""[^\s/=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr basefont bgsound frame".split()
)
RAW_TEXT = frozenset("script style title textarea xmp iframe noembed noframes".split())
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
# Start tags that close an open <p> (the HTML tree builder's "close a p element").
CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr listing main menu nav ol p plaintext pre search section summary table ul xmp".split()
)
# Start tags that close the nearest open element of these names, and what is open inside it
# (list items, definitions, table rows, cells and sections, options).
CLOSES_SAME = {
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "tr": ("tr",),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "thead": ("thead", "tbody", "tfoot"),
    "tbody": ("thead", "tbody", "tfoot"),
    "tfoot": ("thead", "tbody", "tfoot"),
    "option": ("option",),
    "optgroup": ("option", "optgroup"),
    "a": ("a",),
    "button": ("button",),
    "nobr": ("nobr",),
}
MARKERS = frozenset("td th caption marquee object applet template".split())  # re-opening stops at these
NOAHS_ARK = 3  # the tree builder keeps at most three identical formatting elements to re-open


_FORMATTING_START = re.compile(r"<(?:{})[\s/>]".format("|".join(sorted(FORMATTING))), re.IGNORECASE)


def _surely_within(html: str, budget: Budget) -> bool:
    """A quick proof that a small page is within ``budget`` (most pages are), without the scan.

    Depth and elements cannot exceed the number of ``<``; the parser re-opens
    at most one element per formatting start tag; and a tag shorter than two
    characters per attribute cannot hold more attributes than the budget.
    """
    tags = html.count("<")
    if tags > budget.depth:
        return False
    if tags * (1 + tags) > budget.elements and tags * (1 + len(_FORMATTING_START.findall(html))) > budget.elements:
        return False
    return (
        re.search(rf"<[A-Za-z][^>]{{{2 * budget.attributes}}}", html) is None
    )  # at most `tags` starts, each looks 2 * attributes ahead


def check(html: str, budget: Budget = Budget()) -> None:
    """Raise `TooComplex` when ``html`` goes beyond ``budget``; otherwise return."""
    if _surely_within(html, budget):
        return
    stack: list[str] = []
    open_count: dict[str, int] = {}
    formatting: dict[str, dict[str, int]] = {}  # name -> attributes -> unclosed count
    reopened = 0  # formatting elements the parser would re-open before an element (at most NOAHS_ARK per kind)
    elements = 0
    position, size = 0, len(html)

    saved: list[tuple[dict[str, dict[str, int]], int]] = []  # the formatting state outside each open marker

    def pop_until(names: tuple[str, ...]) -> None:
        nonlocal formatting, reopened
        while stack:
            name = stack.pop()
            open_count[name] -= 1
            if name in MARKERS:  # closing a cell forgets the formatting elements opened in it
                formatting, reopened = saved.pop()
            if name in names:
                return

    while position < size:
        tag = _TAG.search(html, position)
        if tag is None:
            break
        position = tag.end()
        if tag.group(1):  # a comment: nothing in it is markup
            end = html.find("-->", position)
            position = size if end < 0 else end + 3
            continue
        name = tag.group(3).lower()
        if tag.group(2):  # an end tag
            if open_count.get(name):
                pop_until((name,))
            if name in FORMATTING and formatting.get(name):
                kinds = formatting[name]
                attributes, count = next(reversed(kinds.items()))
                reopened -= count <= NOAHS_ARK
                if count == 1:
                    del kinds[attributes]
                else:
                    kinds[attributes] = count - 1
            continue
        rest = tag.group(4)
        if len(rest) > budget.attributes and len(_ATTRIBUTE.findall(rest)) > budget.attributes:
            raise TooComplex(f"a <{name[:20]}> tag with more than {budget.attributes:,} attributes")
        if name in CLOSES_P and open_count.get("p"):
            pop_until(("p",))
        closes = CLOSES_SAME.get(name)
        if closes and any(open_count.get(other) for other in closes):
            pop_until(closes)
        elements += 1 + reopened
        if elements > budget.elements:
            raise TooComplex(f"more than {budget.elements:,} elements")
        if name in FORMATTING:
            kinds = formatting.setdefault(name, {})
            key = " ".join(rest.split())
            count = kinds.pop(key, 0) + 1
            kinds[key] = count  # the most recent last, for the end tag
            reopened += count <= NOAHS_ARK
        if name in VOID:
            continue
        if name == "plaintext":  # everything after it is text
            break
        if name in RAW_TEXT:  # its text is not markup: skip to its end tag
            closing = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(html, position)
            position = size if closing is None else closing.start()
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if name in MARKERS:
            saved.append((formatting, reopened))
            formatting, reopened = {}, 0
        if len(stack) > budget.depth:
            raise TooComplex(f"elements nested more than {budget.depth:,} deep")
