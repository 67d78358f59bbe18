"""The audit benchmark: a generated site of built pages, audited against parsing them alone.

`generate_site(folder, pages)` writes ``pages`` pages of about 14 KB (a
head with the tags the rules look at, a body of paragraphs, lists, a table
and links), with a fixed seed, in a few sub-folders as a static generator
builds them. `measure_audit` times the audit of the folder (finding,
reading, checking the pages, the linked items and the report, as
``planner audit PLAN FOLDER`` does) against the baseline: reading
the same pages and parsing each with selectolax's Lexbor parser, nothing
else. The site grows with the plan: one page per ten posts.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from benchmarks.generate import CLOCK, WORDS

SEED = 20261
POSTS_PER_PAGE = 10
SECTIONS = ("collections", "journal", "studio", "care")


def pages_for(posts: int) -> int:
    return max(1, posts // POSTS_PER_PAGE)


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def page_html(rng: random.Random, number: int, section: str) -> str:
    """One built page: every rule has something to look at, and the body is most of the bytes."""
    slug = f"{section}/page-{number:05d}"
    url = f"https://kilnandco.example/{slug}"
    title = f"{_words(rng, 3, 5).capitalize()} | Kiln & Co. {number}"
    description = f"{_words(rng, 10, 16).capitalize()} (page {number})."
    head = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title.replace('&', '&amp;')}</title>",
        f'<meta name="description" content="{description}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:title" content="{title.replace("&", "&amp;")}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:image" content="https://kilnandco.example/img/{number}.jpg">',
        f'<meta property="og:image:alt" content="{_words(rng, 4, 8)}">',
        '<meta name="twitter:card" content="summary_large_image">',
        '<link rel="stylesheet" href="/style.css">',
        "</head>",
    ]
    body = [
        "<body>",
        '<header><nav><a href="/">Kiln &amp; Co.</a> '
        + " ".join(f'<a href="/{s}/">{s}</a>' for s in SECTIONS)
        + "</nav></header>",
    ]
    body.append(f"<main><article><h1>{title.split(' | ')[0]}</h1>")
    for _ in range(rng.randint(25, 35)):
        kind = rng.random()
        if kind < 0.7:
            body.append(
                f'<p>{_words(rng, 40, 90)} <a href="/{rng.choice(SECTIONS)}/page-{rng.randint(1, 99999):05d}">{_words(rng, 2, 4)}</a>.</p>'
            )
        elif kind < 0.85:
            body.append("<ul>" + "".join(f"<li>{_words(rng, 4, 12)}</li>" for _ in range(rng.randint(3, 8))) + "</ul>")
        else:
            rows = "".join(
                f"<tr><td>{_words(rng, 1, 3)}</td><td>{rng.randint(10, 400)} €</td></tr>"
                for _ in range(rng.randint(3, 10))
            )
            body.append(f"<table><thead><tr><th>Piece</th><th>Price</th></tr></thead><tbody>{rows}</tbody></table>")
    body.append("</article></main>")
    body.append(
        f'<aside><a class="share" href="https://x.com/intent/post?url={url}">Post</a> '
        f'<a class="share" href="https://www.facebook.com/sharer/sharer.php?u={url}">Share</a></aside>'
    )
    body.append(
        '<footer><a rel="me" href="https://mastodon.social/@kilnandco">Mastodon</a> '
        '<a href="https://www.instagram.com/kilnandco/">Instagram</a></footer>'
    )
    body += ["</body>", "</html>", ""]
    return "\n".join(head + body)


def generate_site(folder: Path, pages: int, seed: int = SEED) -> int:
    """Write ``pages`` pages below ``folder``; the number of bytes written."""
    rng = random.Random(seed)
    written = 0
    for number in range(1, pages + 1):
        section = SECTIONS[number % len(SECTIONS)]
        path = folder / section / f"page-{number:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        written += path.write_text(page_html(rng, number, section), encoding="utf-8")
    return written


def parse_only(site: Path) -> None:
    """The baseline: read every page and parse it with selectolax's Lexbor parser, nothing else."""
    for page in sorted(site.rglob("*.html")):
        LexborHTMLParser(page.read_bytes().decode("utf-8", "replace")).css_first("title")


def measure_audit(plan: Path, site: Path, repeat: int) -> dict[str, list[float]]:
    """The audit of ``site`` as ``planner audit PLAN SITE`` does it, against `parse_only`.

    In this process, with the plan loaded first (the check row times
    loading a plan): what is timed is what grows with the site, from
    finding the pages to the report. Both are timed in CPU seconds of this
    process (`time.process_time`, reading the files included), so that
    other work on a shared machine does not blur the ratio.
    """
    from planner.audit.apply import linked
    from planner.audit.output import text_report
    from planner.audit.run import run_audit
    from planner.plan.plan_file import load

    loaded = load(plan).plan
    assert loaded is not None
    out: dict[str, list[float]] = {
        "value": [],
        "baseline": [],
        "pages": [],
    }  # CPU seconds: the row is judged by CPU time
    for _ in range(repeat):
        start = time.process_time()
        parse_only(site)
        out["baseline"].append(time.process_time() - start)
        start = time.process_time()
        report = run_audit(loaded, [str(site)])
        text_report(report, linked(loaded, report, CLOCK.date()))
        out["value"].append(time.process_time() - start)
        out["pages"].append(len(report.audited))
    return out
