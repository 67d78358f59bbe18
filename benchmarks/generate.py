"""A large, realistic plan with a fixed seed: what an agency keeps for a year.

`generate_plan(posts)` writes the text of a plan with ``posts`` posts over
six chosen platforms, 100 SMO items and 30 competitors, with comments
throughout (a file header, section comments per week, comments above
entries and at the end of lines). The plan checks clean with
`planner check`: every post is inside the SMM phase, at least an hour from
the next one on its platform, within its platform's limits, and each
platform's cadence is met in every full week. Posts marked published are
dated before `CLOCK`, which is in the past.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass

SEED = 20260
START = dt.date(2026, 1, 5)  # a Monday
SMO_DUE = dt.date(2026, 1, 18)
SMM_START = dt.date(2026, 1, 19)
END = dt.date(2026, 12, 31)
TIMEZONE = "Europe/Berlin"
CLOCK = dt.datetime(2026, 6, 15, 12, 0)  # the app's clock in the benchmarks: mid-campaign
PUBLISHED_BEFORE = dt.datetime(2026, 6, 1)

PLATFORMS = ("x", "linkedin", "instagram", "facebook", "mastodon", "bluesky")


def _handle(platform: str, name: str) -> str:
    """An account name ``platform`` accepts (Bluesky's is a domain name)."""
    return f"{name}.bsky.social" if platform == "bluesky" else f"@{name}"


SMO_ITEMS = 100
COMPETITORS = 30
CATEGORIES = (
    "on-page",
    "increase-linkability",
    "easy-tagging-bookmarking",
    "reward-inbound-links",
    "help-content-travel",
    "encourage-mashup",
    "connect-communities",
)
AUDITS = ("title", "description", "og", "twitter", "share", "profiles", "canonical", "viewport", "lang", "h1")
OWNERS = ("lena", "jonas", "aisha", "tom", "grace", "mei", "ravi")
FORMATS = ("post", "video", "carousel", "article", "live")
STATUSES = ("idea", "draft", "review", "approved", "scheduled")
WORDS = (
    "launch spring collection handmade stoneware plates newsletter readers discount week early "
    "preview behind the scenes studio kiln glaze team story customers photo video guide tips "
    "how we make every piece by hand café crème déjà vu gift idea shipping free order today "
    "limited batch colours blue tide sand morning coffee table dinner set review thank you"
).split()


@dataclass(frozen=True)
class Generated:
    """A plan's text and what the benchmarks need to know about it."""

    text: str
    posts: int
    first_item_title: str  # the first row of the SMO checklist
    post_titles: tuple[str, ...]  # in file order


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for these strings)."""
    return json.dumps(value, ensure_ascii=False)


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize()


def _post_text(rng: random.Random, platform: str) -> str:
    """Text well inside every chosen platform's limits (Bluesky's 300, X's weighted 280)."""
    parts = [_sentence(rng, 6, 14) + "."]
    if rng.random() < 0.4:
        parts.append(_sentence(rng, 4, 10) + "!")
    text = " ".join(parts)[:200]
    if rng.random() < 0.3:
        text += "\n\n" + _sentence(rng, 3, 6)[:30] + "."
    if rng.random() < 0.5:
        text += " #" + rng.choice(("tide", "handmade", "stoneware", "launch"))
    if platform in ("linkedin", "facebook") and rng.random() < 0.2:
        text += " 🎉"
    return text


def _times(posts: int) -> list[tuple[dt.datetime, str]]:
    """When and where each post goes: spread evenly over the SMM phase, round robin over the platforms.

    Posts on one platform and day are an hour apart (07:mm to 22:mm, clear of
    the daylight-saving hours); the minute is fixed per platform.
    """
    days = (END - SMM_START).days + 1
    slots: dict[tuple[int, str], int] = {}
    out = []
    for i in range(posts):
        day = i * days // posts
        platform = PLATFORMS[i % len(PLATFORMS)]
        n = slots.get((day, platform), 0)
        slots[day, platform] = n + 1
        if n >= 16:
            raise ValueError(f"{posts} posts do not fit one year at one an hour per platform")
        minute = (PLATFORMS.index(platform) * 10) % 60
        out.append((dt.datetime.combine(SMM_START + dt.timedelta(days=day), dt.time(7 + n, minute)), platform))
    return out


def _cadence(times: list[tuple[dt.datetime, str]]) -> dict[str, int]:
    """The highest weekly cadence each platform meets in every full week of the SMM phase."""
    weeks = [SMM_START + dt.timedelta(days=7 * w) for w in range(((END - SMM_START).days + 1) // 7)]
    counts = {(p, w): 0 for p in PLATFORMS for w in weeks}
    for at, platform in times:
        week = at.date() - dt.timedelta(days=at.weekday())
        if (platform, week) in counts:
            counts[platform, week] += 1
    return {p: min((counts[p, w] for w in weeks), default=0) for p in PLATFORMS}


def generate_plan(posts: int, seed: int = SEED) -> Generated:
    """The text of a plan with ``posts`` posts (and 100 SMO items, 30 competitors, 6 platforms)."""
    rng = random.Random(seed)
    out: list[str] = []
    w = out.append
    w("# Kiln & Co. -- a year of posts for the Tide collection (generated for the benchmarks).")
    w("# Review the calendar every Monday; the agency owns the posting.")
    w("schema = 1")
    w("")
    w("[campaign]")
    w(f"name = {_s(f'Tide year plan ({posts} posts)')}")
    w('site = "https://kilnandco.example"')
    w(f"timezone = {_s(TIMEZONE)}")
    w(f"start = {START}")
    w(f"end = {END}                 # the whole year")
    w('objective = """')
    w("Sell the Tide collection all year and grow the newsletter.")
    w('Every platform gets its cadence, every week."""')
    w("")
    w("# SMO first: the product pages must be ready before we post.")
    w("[smo]")
    w(f"due = {SMO_DUE}                 # Sunday; posting starts Monday")

    first_item_title = ""
    per_category = SMO_ITEMS // len(CATEGORIES) + 1
    index = 0
    for category in CATEGORIES:
        w("")
        w(f"# --- {category} ---")
        for _ in range(per_category):
            if index >= SMO_ITEMS:
                break
            title = f"{_sentence(rng, 3, 8)} ({category} {index + 1})"
            first_item_title = first_item_title or title
            w("")
            if rng.random() < 0.15:
                w(f"# {_sentence(rng, 3, 7)}")
            w("[[smo.items]]")
            w(f'id = "smo-{index + 1:03d}"')
            w(f"title = {_s(title)}")
            w(f"category = {_s(category)}")
            # Mid-campaign every SMO item is done (`planner check` warns about open
            # ones once SMM starts); about 40% carry the day they were ticked.
            dated = rng.random() < 0.4
            w("done = true")
            if dated:
                w(f"done_on = {SMO_DUE - dt.timedelta(days=rng.randint(0, 12))}")
            w(f"owner = {_s(rng.choice(OWNERS))}")
            if rng.random() < 0.5:
                w(f'url = "https://kilnandco.example/tide/{index + 1}"')
            if rng.random() < 0.3:
                w(f"audit = {_s(rng.choice(AUDITS))}")
            if rng.random() < 0.2:
                w(f'notes = """\n{_sentence(rng, 5, 12)}.\n{_sentence(rng, 3, 9)}.\n"""')
            index += 1

    times = _times(posts)
    cadence = _cadence(times)
    w("")
    w("# SMM: six platforms, posting all year.")
    w("[smm]")
    w(f"start = {SMM_START}")
    for n, platform in enumerate(PLATFORMS):
        w("")
        w("[[smm.platforms]]")
        w(f"name = {_s(platform)}")
        w(f"handle = {_s(_handle(platform, 'kilnandco' if n % 2 else 'kilnandcostudio'))}")
        w(f"why = {_s(_sentence(rng, 3, 7))}")
        w(f"cadence = {cadence[platform]}      # posts a week")
        slots = [f"{day} {hour:02d}:00" for day, hour in (("tue", 9), ("thu", 12 + n % 3), ("sat", 10))]
        w(f"best_times = {json.dumps(slots)}")

    titles: list[str] = []
    week = None
    for i, (at, platform) in enumerate(times):
        monday = at.date() - dt.timedelta(days=at.weekday())
        if monday != week:
            week = monday
            w("")
            w(f"# --- Week of {monday} ---")
        title = f"{_sentence(rng, 2, 5)} {i + 1}"
        titles.append(title)
        w("")
        if rng.random() < 0.05:
            w(f"# {_sentence(rng, 3, 8)}")
        w("[[smm.posts]]")
        w(f'id = "{platform}-{i + 1:05d}"')
        w(f"platform = {_s(platform)}")
        w(f"at = {at.isoformat()}")
        w(f"format = {_s(rng.choice(FORMATS))}")
        status = "published" if at < PUBLISHED_BEFORE and rng.random() < 0.8 else rng.choice(STATUSES)
        w(f"status = {_s(status)}{'  # waiting for the photos' if status == 'draft' and rng.random() < 0.1 else ''}")
        w(f"title = {_s(title)}")
        text = _post_text(rng, platform)
        w(f'text = """{text}"""' if "\n" in text else f"text = {_s(text)}")
        if rng.random() < 0.4:
            w(f'link = "https://kilnandco.example/tide?utm_source={platform}&p={i + 1}"')
        if rng.random() < 0.5:
            w(
                f"tags = {json.dumps(rng.sample(['tide', 'launch', 'studio', 'sale', 'ugc', 'press'], rng.randint(1, 3)))}"
            )
        if rng.random() < 0.1:
            w(f"notes = {_s(_sentence(rng, 4, 10))}")

    for n in range(COMPETITORS):
        w("")
        if n == 0:
            w("# Competitors we watch; update monthly.")
            w("")
        w("[[competitors]]")
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(('Ceramics', 'Pottery', 'Tableware', 'Studio'))} {n + 1}"
        w(f"name = {_s(name)}")
        w(f'site = "https://competitor{n + 1}.example"')
        handles = rng.sample(PLATFORMS, 3)
        w("handles = { " + ", ".join(f"{p} = {_s(_handle(p, f'competitor{n + 1}'))}" for p in handles) + " }")
        w(f"cadence = {_s(f'{rng.randint(1, 7)} posts a week')}")
        w(f"strengths = {_s(_sentence(rng, 3, 8))}")
        w(f"weaknesses = {_s(_sentence(rng, 3, 8))}")
        if rng.random() < 0.3:
            w(f'notes = """\n{_sentence(rng, 5, 12)}.\n"""')
    w("")
    return Generated("\n".join(out), posts, first_item_title, tuple(titles))


def generate_csv(rows: int, seed: int = SEED) -> str:
    """A CSV of ``rows`` new posts as a spreadsheet gives them back to `planner import`.

    The columns the CSV export writes, without ids: each row is a new post
    whose id comes from its title (short titles from few words, so many
    share a slug and get numbered). Dates are in the SMM phase, platforms
    are the chosen ones; text may span lines and hold quotes.
    """
    rng = random.Random(seed + 1)
    days = (END - SMM_START).days + 1
    lines = ["date,time,platform,format,status,title,text,link,tags,notes"]
    for i in range(rows):
        platform = PLATFORMS[i % len(PLATFORMS)]
        day = SMM_START + dt.timedelta(days=rng.randrange(days))
        text = _post_text(rng, platform)
        if rng.random() < 0.1:
            text = f'"{text[:40]}", she said'
        cells = [
            day.isoformat(),
            f"{rng.randint(7, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}",
            platform,
            rng.choice(FORMATS),
            rng.choice(STATUSES),
            _sentence(rng, 2, 4),
            text,
            "https://kiln.example/tide" if rng.random() < 0.3 else "",
            "tide,launch" if rng.random() < 0.2 else "",
            "",
        ]
        lines.append(
            ",".join('"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n') else cell for cell in cells)
        )
    return "\r\n".join(lines) + "\r\n"


def with_warnings(text: str) -> tuple[str, int]:
    """``text`` (a generated plan) with one post in a thousand (at least one) given a tag with a comma in it.

    Each is a warning of `planner check` ("tag ... has a comma"), as real
    plans have some, whatever the day: the check then finds the lines of
    what it reports. The posts are spread over the second half of the
    file. Returns the text and how many posts were changed.
    """
    import re

    headers = [m.start() for m in re.finditer(r"^\[\[smm\.posts\]\]$", text, re.MULTILINE)] + [len(text)]
    posts = len(headers) - 1
    count = max(1, posts // 1000)
    step = max(1, posts // 2 // count)
    chosen = sorted({posts - 1 - k * step for k in range(count)})
    tags = re.compile(r"^tags = .*$", re.MULTILINE)
    status = re.compile(r'^status = "[a-z]+".*$', re.MULTILINE)
    out, last = [], 0
    for index in chosen:
        start, end = headers[index], headers[index + 1]
        found = tags.search(text, start, end)
        if found is not None:
            out += [text[last : found.start()], 'tags = ["tide, launch"]']
            last = found.end()
        else:
            found = status.search(text, start, end)
            assert found is not None
            out += [text[last : found.end()], '\ntags = ["tide, launch"]']
            last = found.end()
    out.append(text[last:])
    return "".join(out), len(chosen)
