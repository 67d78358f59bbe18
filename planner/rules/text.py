"""Counting post text the way platforms count it.

Platforms count "characters" differently: Bluesky counts what a reader sees
as one character (a grapheme: an emoji with skin tone and ZWJ joins is one),
X weighs characters (1 inside the ranges of its configuration, 2 outside,
every link 23), Threads counts an emoji as its UTF-8 bytes, Mastodon counts
every link as 23, YouTube counts a video description in UTF-8 bytes. This
module implements those counts without extra dependencies; `METHODS` names
them (the ``counting`` of a platform, or of one of its limits, in
``planner/data/platforms.toml``).
"""

from __future__ import annotations

import re
import unicodedata

# A link as X finds it: with a scheme, or a bare domain with a common top-level
# domain (X links "shop.com/sale" too). Closing punctuation is not part of it.
_TLDS = (
    "com|org|net|edu|gov|info|biz|io|co|ai|app|dev|me|tv|shop|store|online|site|xyz|link|"
    "de|uk|fr|es|it|nl|eu|us|ca|au|ch|at|be|se|no|dk|fi|pl|pt|ie|cz|jp|cn|kr|in|br|mx|ru|nz"
)
_SCHEME_URL = r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]}'\"]"
_URL = re.compile(
    _SCHEME_URL
    + rf"|(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?![@.-]\w)(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]}}'\"])?/?",
    re.IGNORECASE,
)
# Mastodon shortens only links with a scheme (its validator extracts URLs with
# extract_url_without_protocol: false) and counts a remote @user@server mention
# as @user: https://github.com/mastodon/mastodon/blob/main/app/validators/status_length_validator.rb
_MASTODON_ENTITY = re.compile(
    rf"(?P<url>{_SCHEME_URL})|(?<![=/\w])(?P<mention>@\w+(?:[\w.-]+\w)?)@[\w.-]+\w",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<![\w&#])[#＃](\w*[^\W\d]\w*)")
# An @mention: @ and an account name (letters, digits, _ and inner dots), not
# part of an e-mail address; a dot at the end is the sentence's.
_MENTION = re.compile(r"(?<![\w@.])[@＠](\w(?:[\w.]*\w)?)")
ZWJ = "\u200d"
# X's open-source character-count configuration, twitter-text config v3
# (https://github.com/twitter/twitter-text/blob/master/config/v3.json, checked
# 2026-12-02): scale 100, defaultWeight 200, transformedURLLength 23, emoji
# parsing on, and four ranges of weight 100. So a code point inside one of these
# ranges weighs 1, every other code point weighs 2 (not only CJK and emoji:
# Hangul jamo, Greek extended, dashes, arrows, symbols too), an emoji sequence
# weighs 2 as a whole, and every link weighs 23. When X publishes a new version,
# update these numbers and the boundary tests in tests/test_platform_rules.py.
X_URL_LENGTH = 23
X_DEFAULT_WEIGHT = 2
X_LIGHT_RANGES = (  # (first, last) code point, both included; weight 1
    (0x0000, 0x10FF),  # 0 to 4351: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Georgian ...
    (0x2000, 0x200D),  # 8192 to 8205: spaces, zero-width joiner
    (0x2010, 0x201F),  # 8208 to 8223: dashes and quotation marks
    (0x2032, 0x2037),  # 8242 to 8247: primes
)
MASTODON_URL_LENGTH = 23  # characters_reserved_per_url of a stock Mastodon server


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (flag sequences)
        or 0x1160 <= code <= 0x11FF  # Hangul medial vowels and final consonants
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


# Below U+0300 no character combines with the one before it (the first
# combining marks are U+0300..U+036F; ZWJ, variation selectors, regional
# indicators and skin tones come later): there, a grapheme is a character,
# except that CR LF is one.
_FIRST_COMBINING = "\u0300"


def _simple(text: str) -> bool:
    return text.isascii() or max(text) < _FIRST_COMBINING  # isascii is a flag lookup; max reads the text


_NOT_SIMPLE = re.compile("[^\x00-\u02ff]")


def _simple_count(text: str) -> int:
    """``len(graphemes(text))`` for a `_simple` text, without splitting it."""
    return len(text) - text.count("\r\n")


def grapheme_count(text: str) -> int:
    """``len(graphemes(text))``, splitting only from the first to the last character at or above U+0300.

    Before that stretch every character is a grapheme (CR LF is one); the
    stretch is split as usual, starting from the last grapheme before it;
    after it, the first character joins the grapheme before it only if
    that ends with a joiner (and then a CR LF there is two graphemes).
    """
    if _simple(text):
        return _simple_count(text)
    marks = [m.start() for m in _NOT_SIMPLE.finditer(text)]
    start, end = marks[0], marks[-1] + 1
    head, tail = text[:start], text[end:]
    seed = ["\r\n" if head.endswith("\r\n") else head[-1]] if head else []
    clusters = _split(text[start:end], seed)
    total = _simple_count(head) + len(clusters) - bool(head)  # the seed is counted in the head
    if tail:
        total += _simple_count(tail)
        if clusters[-1].endswith(ZWJ) and not tail.startswith("\r\n"):  # the first joins
            total -= 1  # (a CR joins and its LF stands alone: CR LF still counts one)
    return total


def graphemes(text: str) -> list[str]:
    """Split ``text`` into user-perceived characters (extended grapheme clusters, simplified)."""
    return _split(text, [])


def _split(text: str, clusters: list[str]) -> list[str]:
    """``clusters`` with the graphemes of ``text`` added (its first character may join the last of them)."""
    for char in text:
        if clusters:
            last = clusters[-1]
            if char < _FIRST_COMBINING:  # neither extends nor is a regional indicator
                joins = last.endswith(ZWJ) or (char == "\n" and last == "\r")
            else:
                joins = _extends(char) or last.endswith(ZWJ) or (_regional(char) and len(last) == 1 and _regional(last))
            if joins:
                clusters[-1] = last + char
                continue
        clusters.append(char)
    return clusters


def _pictographic(char: str) -> bool:
    code = ord(char)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF


def _is_emoji(cluster: str) -> bool:
    """A grapheme that shows as an emoji: a pictograph, or a character asking for emoji style (U+FE0F, a keycap)."""
    return any(_pictographic(c) for c in cluster) or ("\ufe0f" in cluster) or ("\u20e3" in cluster)


def _x_code_point_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(first <= code <= last for first, last in X_LIGHT_RANGES) else X_DEFAULT_WEIGHT


def _x_weight(cluster: str) -> int:
    if _is_emoji(cluster):
        return X_DEFAULT_WEIGHT
    return sum(_x_code_point_weight(c) for c in cluster)


METHODS = ("graphemes", "utf16", "x-weighted", "emoji-bytes", "mastodon", "utf8-bytes")


def unit(method: str) -> str:
    """What a count by ``method`` is in, as messages say it: bytes, or characters (however a platform weighs them)."""
    return "bytes" if method == "utf8-bytes" else "characters"


def count(text: str, method: str = "graphemes") -> int:
    """Length of ``text`` as a platform with this counting ``method`` (one of `METHODS`) sees it."""
    if method == "graphemes":
        return grapheme_count(text)
    if method == "utf16":
        return len(text.encode("utf-16-le")) // 2
    if method == "x-weighted":
        text = unicodedata.normalize("NFC", text)  # X counts the composed form: e + U+0301 is é
        total = 0
        position = 0
        for url in _URL.finditer(text):
            total += _x_count(text[position : url.start()]) + X_URL_LENGTH
            position = url.end()
        return total + _x_count(text[position:])
    if method == "emoji-bytes":
        # Threads: "Emojis are counted as the number of UTF-8 bytes" (4 for most,
        # 3 for older ones such as U+2728; a sequence counts all of its bytes).
        if _simple(text):
            return _simple_count(text)
        return sum(len(c.encode("utf-8")) if _is_emoji(c) else 1 for c in graphemes(text))
    if method == "mastodon":
        return _mastodon_count(text)
    if method == "utf8-bytes":
        # YouTube's video description: "5000 bytes", so é is 2, 陶 3 and 😀 4.
        return len(text.encode("utf-8", "surrogatepass"))
    raise ValueError(f"unknown counting method {method!r}; use one of {', '.join(METHODS)}")


def _mastodon_count(text: str) -> int:
    total = 0
    position = 0
    for entity in _MASTODON_ENTITY.finditer(text):
        total += grapheme_count(text[position : entity.start()])
        total += MASTODON_URL_LENGTH if entity["url"] else grapheme_count(entity["mention"])
        position = entity.end()
    return total + grapheme_count(text[position:])


def _x_count(text: str) -> int:
    if _simple(text):  # every character below U+0300 weighs 1 (CR LF is one grapheme but weighs 2)
        return len(text)
    return sum(_x_weight(c) for c in graphemes(text))


def hashtags(text: str) -> list[str]:
    """The hashtags in ``text``, without the ``#``."""
    if "#" not in text and "＃" not in text:  # no hashtag, and no need to blank out the links
        return []
    return _HASHTAG.findall(_URL.sub(" ", text))  # a link's #fragment is not a hashtag


def mentions(text: str) -> list[str]:
    """The accounts ``text`` mentions (``@name``), without the ``@``; a link's ``/@name`` is not one."""
    if "@" not in text and "＠" not in text:
        return []
    return _MENTION.findall(_URL.sub(" ", text))
