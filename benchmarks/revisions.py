"""Two revisions of a generated plan, as two people make them on branches (the diff and merge benchmarks).

From the same base, "ours" changes the status of every hundredth post and
"theirs" the title of the post halfway between, and each adds a post at the
end of the calendar: edits to different posts, which merge cleanly. Made
on the text (the generated layout is known), so that making them costs
nothing to measure.
"""

from __future__ import annotations

import re

EVERY = 100
_STATUS = re.compile(r'^status = "([a-z]+)"$', re.MULTILINE)
_TITLE = re.compile(r'^title = "(.*)"$', re.MULTILINE)
HEADER = "[[smm.posts]]\n"


def _posts(text: str) -> tuple[str, list[str], str]:
    """The text before the first post, each post's block (up to the next header), and what follows the last post's keys."""
    from planner.plan.merge import entry_regions

    first = text.index(HEADER)
    regions = entry_regions(text, ("smm", "posts"), text.count("\n" + HEADER) + text.startswith(HEADER))
    assert regions is not None, "the generated posts are not where they were"
    end = regions[-1][1]
    blocks = text[first:end].split("\n" + HEADER)
    return text[:first], [blocks[0]] + [HEADER + block for block in blocks[1:]], text[end:]


def _new_post(ident: str, day: str) -> str:
    return f'\n{HEADER}id = "{ident}"\nplatform = "x"\nat = {day}T23:30:00\ntitle = "Added on a branch: {ident}"\n'


def revisions(text: str) -> tuple[str, str]:
    """(ours, theirs) made from the plan ``text``."""
    before, blocks, after = _posts(text)
    ours, theirs = list(blocks), list(blocks)
    for index in range(0, len(blocks), EVERY):
        ours[index] = _STATUS.sub(
            lambda m: f'status = "{"review" if m.group(1) != "review" else "draft"}"', blocks[index], count=1
        )
        other = index + EVERY // 2
        if other < len(blocks):
            theirs[other] = _TITLE.sub(lambda m: f'title = "{m.group(1)} (edited)"', blocks[other], count=1)
    day = "2026-12-30"
    joined = "\n".join
    return (
        before + joined(ours) + _new_post("ours-added", day) + after,
        before + joined(theirs) + _new_post("theirs-added", day) + after,
    )
