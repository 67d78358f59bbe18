"""Counting post text the way platforms count it.

Platforms count "characters" differently: Bluesky counts what a reader sees
as one character (a grapheme: an emoji with skin tone and ZWJ joins is one),
X weighs characters (most Latin text 1, CJK and emoji 2, every link 23).
This module implements those counts without extra dependencies.
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
_URL = re.compile(
    r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]}'\"]"
    rf"|(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?![@.-]\w)(?:/[^\s<>\"]*[^\s<>\".,;:!?)\]}}'\"])?/?",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<![\w&#])[#＃](\w*[^\W\d]\w*)")
ZWJ = "\u200d"
X_URL_LENGTH = 23
# twitter-text v3: code points in these ranges weigh 1, all others 2.
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


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


def _is_emoji(cluster: str) -> bool:
    return any(ord(c) >= 0x1F000 or c in "\ufe0f\u200d" for c in cluster) or (
        len(cluster) == 1 and 0x2600 <= ord(cluster) <= 0x27BF
    )


def _x_weight(cluster: str) -> int:
    if _is_emoji(cluster):
        return 2
    return sum(1 if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT) else 2 for c in cluster)


def count(text: str, method: str = "graphemes") -> int:
    """Length of ``text`` as a platform with this counting ``method`` sees it."""
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
    return grapheme_count(text)


def _x_count(text: str) -> int:
    if _simple(text):  # every character below U+0300 weighs 1 (CR LF is one grapheme but weighs 2)
        return len(text)
    return sum(_x_weight(c) for c in graphemes(text))


def hashtags(text: str) -> list[str]:
    """The hashtags in ``text``, without the ``#``."""
    if "#" not in text and "＃" not in text:  # no hashtag, and no need to blank out the links
        return []
    return _HASHTAG.findall(_URL.sub(" ", text))  # a link's #fragment is not a hashtag
