"""The site audit's core: reading pages, the rules, the summary and ticking linked items.

The fixture site in tests/fixtures/site has good pages, pages that miss
each tag, broken markup and two pages with the same title; a huge page is
generated at test time. URLs are fetched from a local server on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import shutil
import socket
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.audit.apply import linked
from planner.audit.budget import Budget, TooComplex
from planner.audit.budget import check as check_budget
from planner.audit.reading import Limits, RawPage, decode
from planner.audit.rules import PAGE_RULES, Audience, check_page, parse, profile_url
from planner.audit.run import run_audit
from planner.plan.model import PlatformChoice
from planner.plan.plan_file import PlanFile, load
from planner.plan.schema import AUDIT_RULES
from planner.words import quoted

SITE = ROOT / "tests" / "fixtures" / "site"
TODAY = dt.date(2027, 3, 10)

# What each fixture page gets, rule by rule (shop-launch.toml: Instagram, TikTok and Pinterest).
P, W, F = "pass", "warning", "fail"
EXPECTED = {
    #                        title description og twitter share profiles canonical viewport lang h1
    "index.html": (P, P, P, P, P, P, P, P, P, P),
    "collections/tide.html": (P, P, P, P, P, P, P, P, P, P),
    "bare.html": (F, F, F, P, F, F, F, F, F, F),
    "broken.html": (P, P, F, P, F, F, F, F, P, W),
    "missing-og.html": (P, P, F, F, P, P, P, P, P, P),
    "short.html": (W, W, P, P, P, W, W, W, W, W),
    "dup-a.html": (W, W, P, P, P, P, P, P, P, P),
    "blog/dup-b.html": (W, W, P, P, P, P, P, P, P, P),
}


def shop_plan():
    loaded = load(SAMPLES / "shop-launch.toml")
    assert loaded.plan is not None
    return loaded.plan


def audit(*targets: str | Path, **kwargs):
    return run_audit(
        shop_plan(),
        [str(t) for t in targets],
        name=lambda p: p.relative_to(SITE).as_posix() if p.is_relative_to(SITE) else p.name,
        **kwargs,
    )


def findings(report, page: str, rule: str) -> list[tuple[str, str, str]]:
    result = next(p for p in report.pages if p.name == page).result(rule)
    return [(f.level, f.reason, f.value) for f in result.findings]


# -- the rules, page by page --------------------------------------------------------------


def test_the_rules_are_the_ones_the_plan_format_names() -> None:
    assert tuple(PAGE_RULES) == AUDIT_RULES


def test_every_fixture_page_gets_the_expected_result_for_every_rule() -> None:
    report = audit(SITE)
    assert sorted(page.name for page in report.pages) == sorted(EXPECTED)  # style.css is not a page
    for page in report.pages:
        got = tuple(result.status for result in page.results)
        assert dict(zip(AUDIT_RULES, got)) == dict(zip(AUDIT_RULES, EXPECTED[page.name])), page.name
    assert report.exit_code == 1


def test_a_good_page_shows_what_passed() -> None:
    page = audit(SITE / "index.html").pages[0]
    evidence = {result.rule: result.evidence for result in page.results}
    assert evidence["title"] == "Kiln & Co. | Handmade stoneware from Berlin"  # entities decoded, as a browser shows it
    assert evidence["share"] == "share links: pinterest"
    assert evidence["profiles"] == "profiles: instagram, tiktok, pinterest"
    assert evidence["canonical"] == "https://kilnandco.example/"
    assert evidence["twitter"] == "twitter:card summary_large_image, title from og:title, image from og:image"


def test_missing_tags_are_named_and_offending_values_quoted() -> None:
    report = audit(SITE)
    assert findings(report, "bare.html", "title") == [("fail", "no <title>", "")]
    assert ("fail", "no og:image", "") in findings(report, "bare.html", "og")
    assert findings(report, "missing-og.html", "og") == [
        ("fail", "no og:url", ""),
        ("fail", "og:image is not an absolute http(s) URL", "/img/care.jpg"),
        ("warning", "no og:description", ""),
        ("warning", "no og:image:alt (the image's text for screen readers)", ""),
    ]
    assert findings(report, "missing-og.html", "twitter") == [
        ("fail", "twitter:card is not one of summary, summary_large_image, app, player", "large"),
        (
            "warning",
            "twitter:title is 78 characters, more than 70",
            "How to wash, stack and store handmade stoneware so that the glaze stays bright",
        ),
    ]
    assert findings(report, "short.html", "title") == [("warning", "title is 4 characters, fewer than 10", "Home")]
    assert findings(report, "short.html", "canonical") == [
        ("warning", "the canonical link is not an absolute http(s) URL", "/short")
    ]
    assert findings(report, "short.html", "viewport") == [
        ("warning", "the viewport does not set width=device-width", "initial-scale=1")
    ]
    assert findings(report, "short.html", "lang") == [
        ("warning", "<html lang> is not a language tag such as en or de-CH", "english!")
    ]
    assert findings(report, "short.html", "h1") == [("warning", "2 <h1> headings; one is clearer", "Home | Also home")]
    assert findings(report, "short.html", "profiles") == [
        ("warning", "no link to the brand's profile on tiktok (https://www.tiktok.com/@kilnandco)", ""),
        ("warning", "no link to the brand's profile on pinterest (https://www.pinterest.com/kilnandco/)", ""),
    ]


def test_missing_x_tags_are_a_note_not_an_error() -> None:
    assert findings(audit(SITE), "bare.html", "twitter") == [
        ("note", "no twitter:card; X shows the og: tags as a summary card", "")
    ]


def test_the_same_title_and_description_on_two_pages_is_a_warning_on_both() -> None:
    report = audit(SITE)
    assert findings(report, "dup-a.html", "title") == [
        ("warning", "same title as blog/dup-b.html", "Kiln & Co. journal")
    ]
    assert findings(report, "blog/dup-b.html", "title") == [
        ("warning", "same title as dup-a.html", "Kiln & Co. journal")
    ]
    assert findings(report, "dup-a.html", "description")[0][1] == "same description as blog/dup-b.html"


def test_broken_markup_is_read_as_a_browser_reads_it() -> None:
    facts = parse((SITE / "broken.html").read_text("utf-8"))
    assert facts.title == "Studio visits and open days"  # a <title> in the body still titles the page
    assert facts.lang == "en-GB"  # a late <html> adds its attributes to the root element
    assert facts.description is not None and facts.description.startswith("Visit the Kiln & Co. studio")
    assert len(facts.h1) == 2  # an <h1> inside an open <h1> closes it
    assert facts.viewport is None  # `</table` without `>` swallows the <meta> after it as attributes


@settings(max_examples=examples(200), deadline=None)
@given(st.text())
def test_any_text_parses_without_an_error(text: str) -> None:
    facts = parse(text)  # and the rules run on whatever came out
    assert len(
        check_page(facts, Audience.of([PlatformChoice("x", "@a"), PlatformChoice("mastodon", "@me@example.social")]))
    ) == len(AUDIT_RULES)


def test_share_and_profile_links_follow_the_plans_platforms() -> None:
    page = parse(
        '<a href="https://x.com/intent/post?url=https%3A%2F%2Fa.example">Post</a>'
        '<a href="https://hachyderm.io/@brand" rel="me">Mastodon</a>'
        '<a href="https://x.com/Brand_HQ">X</a>'
    )
    audience = Audience.of(
        [
            PlatformChoice("x", "@brand_hq"),
            PlatformChoice("mastodon", "@brand@hachyderm.io"),
            PlatformChoice("linkedin"),
        ]
    )
    results = {r.rule: r for r in (PAGE_RULES["share"](page, audience), PAGE_RULES["profiles"](page, audience))}
    assert results["share"].status == "pass" and results["share"].evidence == "share links: x"
    assert results["profiles"].status == "pass" and results["profiles"].evidence == "profiles: x, mastodon"
    assert profile_url("https://mastodon.social/@{handle}", "brand@hachyderm.io") == "https://hachyderm.io/@brand"
    nothing = Audience.of([PlatformChoice("instagram")])  # no share link on Instagram, and no handle
    assert (
        PAGE_RULES["share"](page, nothing).findings[0].reason
        == "none of the plan's platforms has a web share link (smm.platforms)"
    )
    assert PAGE_RULES["profiles"](page, nothing).status == "warning"


@pytest.mark.parametrize(
    "href",
    [
        "https://x.com/intent/tweet?url=a",
        "https://twitter.com/intent/tweet?text=hi",
        "https://www.x.com/intent/post/?url=a",
    ],
)
def test_a_share_link_is_recognised_in_its_documented_and_older_forms(href: str) -> None:
    page = parse(f'<a href="{href}">Share</a>')
    result = PAGE_RULES["share"](page, Audience.of([PlatformChoice("x")]))
    assert result.status == "pass" and result.evidence == "share links: x"


@pytest.mark.parametrize(
    ("platform", "href"),
    [
        ("facebook", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fa.example"),
        ("facebook", "https://www.facebook.com/sharer.php?u=https%3A%2F%2Fa.example"),
        ("facebook", "https://facebook.com/share.php?u=a"),
        ("facebook", "https://m.facebook.com/sharer.php?u=a"),
        ("linkedin", "https://www.linkedin.com/sharing/share-offsite/?url=a"),
        ("linkedin", "https://www.linkedin.com/shareArticle?mini=true&url=a&title=b"),
        ("linkedin", "https://www.linkedin.com/cws/share?url=a"),
        ("x", "https://twitter.com/share?url=a&text=b"),
        ("pinterest", "https://pinterest.com/pin/create/link/?url=a"),
        ("pinterest", "//www.pinterest.com/pin/create/bookmarklet/?url=a"),
        ("threads", "https://www.threads.net/intent/post?text=a"),
    ],
)
def test_every_platforms_share_link_is_recognised_in_its_common_forms(platform: str, href: str) -> None:
    page = parse(f'<a href="{href}">Share</a>')
    result = PAGE_RULES["share"](page, Audience.of([PlatformChoice(platform)]))
    assert result.status == "pass" and result.evidence == f"share links: {platform}"


def test_a_handle_its_platform_would_not_accept_builds_no_profile_link() -> None:
    audience = Audience.of([PlatformChoice("facebook", "Kaffeewerk Berlin"), PlatformChoice("x", "@kaffeewerk")])
    assert audience.bad_handles == {"facebook": "Kaffeewerk Berlin"}
    assert list(audience.profiles) == ["x"]
    page = parse('<a href="https://www.facebook.com/Kaffeewerk Berlin">FB</a><a href="https://x.com/kaffeewerk">X</a>')
    result = PAGE_RULES["profiles"](page, audience)
    assert [(f.level, f.reason, f.value) for f in result.findings] == [
        (
            "warning",
            "the plan's facebook handle is not an account name facebook accepts; no profile link to look for",
            "Kaffeewerk Berlin",
        ),
    ]
    assert result.evidence == "profiles: x"
    only_bad = PAGE_RULES["profiles"](page, Audience.of([PlatformChoice("facebook", "Kaffeewerk Berlin")]))
    assert only_bad.status == "warning" and not only_bad.found
    assert "facebook.com/Kaffeewerk" not in repr(only_bad)


def test_a_link_to_another_page_of_the_platform_is_not_a_share_link() -> None:
    page = parse(
        '<a href="https://x.com/intent/follow?screen_name=a">Follow</a><a href="https://twitter.com/home">X</a>'
    )
    assert PAGE_RULES["share"](page, Audience.of([PlatformChoice("x")])).status == "fail"


def test_progress_is_reported_once_the_pages_are_known_and_after_each() -> None:
    calls: list[tuple[int, int, str]] = []
    audit(SITE / "index.html", SITE / "bare.html", SITE / "index.html", progress=lambda *call: calls.append(call))
    assert calls == [(0, 2, ""), (1, 2, "index.html"), (2, 2, "bare.html")]  # a page named twice is read once


# -- reading -------------------------------------------------------------------------------------


def test_a_folder_without_pages_or_a_missing_target_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    report = audit(tmp_path / "empty", tmp_path / "nothere.html")
    assert report.errors == (
        f"{tmp_path / 'empty'}: no .html files in this folder",
        f"{tmp_path / 'nothere.html'}: no such file or folder",
    )
    assert report.exit_code == 2


@pytest.mark.serial  # a time limit
def test_a_huge_page_is_audited_and_one_over_the_limit_is_refused_with_a_reason(tmp_path: Path) -> None:
    head = (SITE / "index.html").read_text("utf-8").split("<body>")[0]
    paragraph = "<p>" + "Stoneware thrown by hand. " * 40 + "</p>\n"
    huge = tmp_path / "huge.html"
    huge.write_text(head + "<body><h1>Huge</h1>" + paragraph * (4_000_000 // len(paragraph)) + "</body>", "utf-8")
    started = time.monotonic()
    report = audit(huge)
    assert time.monotonic() - started < 10
    assert report.pages[0].result("title").status == "pass"
    assert report.pages[0].result("h1").evidence == "Huge"

    report = audit(huge, limits=Limits(max_bytes=1_000_000))
    assert report.pages[0].error == "huge.html: larger than 976 KB; not audited"
    assert report.exit_code == 2


def test_one_unreadable_page_does_not_stop_the_others(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    (site / "gone.html").symlink_to(site / "deleted.html")  # a page the generator removed
    report = run_audit(shop_plan(), [str(site)], name=lambda p: p.name)
    assert [(p.name, p.error) for p in report.pages if p.error] == [
        ("gone.html", "gone.html: cannot read: No such file or directory")
    ]
    assert len(report.audited) == len(EXPECTED)
    assert report.exit_code == 2


def test_the_encoding_is_found_as_a_browser_finds_it() -> None:
    assert (
        decode("<meta charset=iso-8859-1><title>Caf\xe9</title>".encode("latin-1"))
        == "<meta charset=iso-8859-1><title>Café</title>"
    )
    assert decode("<title>€</title>".encode("cp1252"), "iso-8859-1") == "<title>€</title>"  # latin-1 means windows-1252
    assert decode("\ufeff<title>é</title>".encode("utf-8"), "iso-8859-1") == "<title>é</title>"  # the BOM wins
    assert decode(b"<title>\xff</title>") == "<title>\ufffd</title>"
    assert decode(b"<meta charset=nonsense><p>ok") == "<meta charset=nonsense><p>ok"


# -- URLs, from a local server -----------------------------------------------------------------


class _Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[int, str, bytes]] = {}

    redirects: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        if self.path.startswith("/drip"):  # a byte at a time, in the headers or the body, for a minute at most
            self._drip(self.path == "/drip-headers")
            return
        if self.path == "/garbage":  # not an HTTP answer at all
            self.wfile.write(b"SPAM 42\r\n\r\n")
            return
        if self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
            return
        status, kind, body = self.pages.get(self.path, (404, "text/html", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if self.path != "/unsized":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _drip(self, in_headers: bool) -> None:
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
        self.wfile.write(head if in_headers else head + b"\r\n")
        try:
            for _ in range(6000):
                self.wfile.write(b"x" if in_headers else b" ")
                time.sleep(0.01)  # the server's pace, not a wait of the test
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    good = (SITE / "index.html").read_bytes()
    big = b"<title>big</title>" + b"<p>x</p>" * 20_000
    _Site.pages = {
        "/": (200, "text/html; charset=utf-8", good),
        "/slow": (200, "text/html", good),
        "/big": (200, "text/html", big),
        "/unsized": (200, "text/html", big),
        "/image.png": (200, "image/png", b"\x89PNG"),
        "/moved": (301, "text/html", b""),
    }
    _Site.redirects = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_url_is_fetched_and_audited(server: str) -> None:
    report = audit(server + "/")
    assert report.pages[0].name == server + "/"
    assert report.pages[0].status == "pass"
    assert report.exit_code == 0


def test_a_url_that_fails_says_why_in_one_line(server: str) -> None:
    limits = Limits(max_bytes=100_000, timeout=0.5, max_redirects=3)
    report = audit(
        server + "/slow",
        server + "/big",
        server + "/unsized",
        server + "/image.png",
        server + "/missing",
        server + "/loop",
        server + "/garbage",
        limits=limits,
    )
    assert [page.error.removeprefix(page.name + ": ") for page in report.pages] == [
        "no complete answer within 0.5 seconds",
        "larger than 97 KB; not audited",
        "larger than 97 KB; not audited",
        "not an HTML page (image/png)",
        "HTTP 404 Not Found",
        "more than 3 redirects",
        "cannot fetch: SPAM 42",
    ]
    assert report.exit_code == 2


def test_a_redirect_to_another_scheme_is_refused_before_connecting(server: str, tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # where the ftp:// redirect points: nothing may connect to it
    listener.setblocking(False)
    port = listener.getsockname()[1]
    (tmp_path / "local.html").write_text("<title>A file on the auditing machine</title>", "utf-8")
    _Site.redirects = {
        "/to-ftp": f"ftp://127.0.0.1:{port}/page.html",
        "/to-file": (tmp_path / "local.html").as_uri(),
        "/to-data": "data:text/html,<title>hi</title>",
        "/hop": "/to-ftp",  # a second redirect, relative, still refused
        "/to-https-upper": "HTTPS://127.0.0.1:1/",  # http(s) in any case is followed (nothing listens there)
    }
    try:
        report = audit(
            server + "/to-ftp", server + "/to-file", server + "/to-data", server + "/hop", limits=Limits(timeout=2)
        )
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection was attempted
    finally:
        listener.close()
    assert [page.error.removeprefix(page.name + ": ") for page in report.pages] == [
        f"refused a redirect to ftp://127.0.0.1:{port}/page.html: only http and https are fetched",
        f"refused a redirect to {(tmp_path / 'local.html').as_uri()}: only http and https are fetched",
        "refused a redirect to data:text/html,<title>hi</title>: only http and https are fetched",
        f"refused a redirect to ftp://127.0.0.1:{port}/page.html: only http and https are fetched",
    ]
    followed = audit(server + "/to-https-upper", limits=Limits(timeout=2)).pages[0].error
    assert "only http and https" not in followed and followed.startswith(server + "/to-https-upper: cannot fetch: ")


def test_a_fetch_has_one_deadline_however_slowly_the_server_sends(server: str) -> None:
    report = audit(
        server + "/drip-body", server + "/drip-headers", limits=Limits(timeout=0.3)
    )  # each read gets a byte well within 0.3 s
    assert [page.error.removeprefix(page.name + ": ") for page in report.pages] == [
        "no complete answer within 0.3 seconds"
    ] * 2
    assert report.exit_code == 2


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_https_gets_the_same_scheme_check_deadline_and_encodings(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl
    import subprocess

    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))  # the audit's default context trusts it
    _Site.pages["/rot13"] = (200, "text/html; charset=rot13", (SITE / "index.html").read_bytes())
    _Site.redirects = {"/to-ftp": "ftp://127.0.0.1:1/page.html"}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    silent = socket.create_server(("127.0.0.1", 0))  # accepts the connection, never says a word of TLS
    base, mute = f"https://127.0.0.1:{httpd.server_address[1]}", f"https://127.0.0.1:{silent.getsockname()[1]}/"
    try:
        report = audit(base + "/rot13", base + "/to-ftp", base + "/drip-body", mute, limits=Limits(timeout=0.5))
    finally:
        httpd.shutdown()
        httpd.server_close()
        silent.close()
    assert report.pages[0].result("title").evidence == "Kiln & Co. | Handmade stoneware from Berlin"
    assert [page.error.removeprefix(page.name + ": ") for page in report.pages[1:]] == [
        "refused a redirect to ftp://127.0.0.1:1/page.html: only http and https are fetched",
        "no complete answer within 0.5 seconds",
        "no complete answer within 0.5 seconds",
    ]


# -- hostile pages -----------------------------------------------------------------------------


LABELS_THAT_ARE_NOT_TEXT = [
    "rot13",
    "rot_13",
    "zlib",
    "base64",
    "hex",
    "bz2",
    "uu",
    "quopri",
    "idna",
    "punycode",
    "utf-7",
    "nonsense",
    "",
]


@pytest.mark.parametrize("label", LABELS_THAT_ARE_NOT_TEXT)
def test_a_label_that_is_no_text_encoding_is_ignored_as_a_browser_ignores_it(label: str) -> None:
    page = "<meta charset=LABEL><title>Café</title>".replace("LABEL", label).encode("utf-8")
    assert decode(page) == page.decode("utf-8")
    assert decode(page, label) == page.decode("utf-8")  # from the HTTP header
    assert decode("<title>Café</title>".encode("cp1252"), label) == "<title>Caf\ufffd</title>"


def test_every_whatwg_label_decodes_as_the_standard_says() -> None:
    assert decode("<meta charset=rot13><meta charset=koi8-r><title>Привет</title>".encode("koi8_r")).endswith(
        "<title>Привет</title>"
    )  # the first valid label wins
    assert decode("<title>日本</title>".encode("cp932"), "Shift_JIS") == "<title>日本</title>"
    assert decode("<title>한국</title>".encode("cp949"), " EUC-KR ") == "<title>한국</title>"
    assert decode("<title>€</title>".encode("cp1252"), "us-ascii") == "<title>€</title>"
    assert (
        decode(b"<meta charset=utf-16><title>\xc3\xa9</title>") == "<meta charset=utf-16><title>é</title>"
    )  # UTF-16 in a <meta> means UTF-8
    assert decode("<title>é</title>".encode("utf-16-le"), "utf-16") == "<title>é</title>"  # ... but not from HTTP
    assert (
        decode(b"<meta charset=iso-2022-kr><title>x</title>") == "\ufffd"
    )  # the replacement encoding, as a browser shows it
    assert decode(b"<title>\x80</title>", "x-user-defined") == "<title>\uf780</title>"
    assert decode(b"<meta charset=x-user-defined><title>\x80</title>").endswith("<title>€</title>")


def test_a_page_or_server_naming_a_non_text_encoding_does_not_stop_the_audit(server: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    for label in ("rot13", "zlib", "base64", "hex", "bz2", "uu", "quopri", "idna", "nonsense"):
        (site / f"{label}.html").write_text(
            (SITE / "index.html").read_text("utf-8").replace("<head>", f"<head><meta charset={label}>"), "utf-8"
        )
    report = run_audit(shop_plan(), [str(site)], name=lambda p: p.name)
    assert len(report.audited) == len(EXPECTED) + 9 and not report.unreadable
    rot13 = next(page for page in report.pages if page.name == "rot13.html")
    assert rot13.result("title").evidence == "Kiln & Co. | Handmade stoneware from Berlin"  # read as UTF-8
    _Site.pages["/rot13"] = (200, "text/html; charset=rot13", (SITE / "index.html").read_bytes())
    _Site.pages["/base64"] = (200, 'text/html; charset="base64"', (SITE / "index.html").read_bytes())
    report = audit(server + "/rot13", server + "/base64")
    assert [page.result("title").evidence for page in report.pages] == [
        "Kiln & Co. | Handmade stoneware from Berlin"
    ] * 2


def test_an_unexpected_error_on_one_page_becomes_that_pages_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import planner.audit.run

    real = planner.audit.run.parse

    def parse_or_fail(text: str, budget):
        if "Broken by a test" in text:
            raise ValueError("something nobody foresaw")
        return real(text, budget)

    monkeypatch.setattr(planner.audit.run, "parse", parse_or_fail)
    monkeypatch.setattr(
        planner.audit.run,
        "read",
        lambda ref, limits: RawPage(
            ref.name,
            "<title>Broken by a test</title>" if "bare" in ref.name else (SITE / "index.html").read_text("utf-8"),
        ),
    )
    report = audit(SITE / "index.html", SITE / "bare.html", SITE / "short.html")
    assert [(page.name, page.error) for page in report.pages] == [
        ("index.html", ""),
        ("bare.html", "bare.html: unexpected ValueError: something nobody foresaw (please report this)"),
        ("short.html", ""),
    ]
    assert report.exit_code == 2


def _finishes(work, unblock=lambda: None):
    """``work()``'s result; if it has not returned after a minute (a hang), ``unblock()`` and fail."""
    result: list = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(60)
    if thread.is_alive():
        unblock()
        thread.join(10)
        pytest.fail("the audit hung")
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_lying_as_a_page_is_refused_and_the_rest_audited(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    os.mkfifo(site / "pipe.html")
    (site / "blog" / "link-to-pipe.html").symlink_to(site / "pipe.html")

    def unblock() -> None:
        for _ in range(2):
            os.close(os.open(site / "pipe.html", os.O_WRONLY | os.O_NONBLOCK))

    report = _finishes(
        lambda: run_audit(shop_plan(), [str(site)], name=lambda p: p.relative_to(site).as_posix()), unblock
    )
    assert [(page.name, page.error) for page in report.pages if page.error] == [
        ("pipe.html", "pipe.html: not a regular file (a named pipe); not audited"),
        ("blog/link-to-pipe.html", "blog/link-to-pipe.html: not a regular file (a named pipe); not audited"),
    ]
    assert len(report.audited) == len(EXPECTED)
    assert report.exit_code == 2


def _deep(depth: int) -> str:
    return "<title>Nested</title>" + "<div>" * depth


def _attributes(count: int) -> str:
    return "<title>Attributes</title><div " + " ".join(f"a{i}=1" for i in range(count)) + ">"


def _reopened(blocks: int) -> str:  # a few unclosed <b>s, opened again by the parser after every block
    return "<title>Re-opened</title><div>" + "".join(f"<b id={i}>" for i in range(100)) + "</div>" + "<p>x</p>" * blocks


@pytest.mark.parametrize(
    ("html", "budget", "reason"),
    [
        (_deep(30_000), Budget(), "elements nested more than 1,000 deep"),
        (_attributes(30_000), Budget(), "a <div> tag with more than 1,000 attributes"),
        (_reopened(6_000), Budget(), "more than 500,000 elements"),
        ("<title>Flat</title>" + "<br>" * 1_001, Budget(elements=1_000), "more than 1,000 elements"),
    ],
    ids=["nested", "attributes", "reopened", "many"],
)
def test_a_page_beyond_the_work_budget_is_too_complex(tmp_path: Path, html: str, budget: Budget, reason: str) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(html, "utf-8")
    report = audit(page, SITE / "index.html", limits=Limits(budget=budget))
    assert report.pages[0].error == f"hostile.html: page too complex ({reason}); not audited"
    assert report.pages[1].status == "pass"
    assert report.exit_code == 2


def test_real_markup_stays_within_the_budget() -> None:
    sloppy = (
        "<title>Old</title><ul>"
        + "<li><p>An item <font size=2>left open" * 5_000
        + "<table>"
        + "<tr><td><b>cell" * 5_000
    )
    deep_but_closed = ("<div>" * 900 + "</div>" * 900) * 10
    scripts = "<script>" + "if (a<b) { x = '<div>'; }" * 5_000 + "</script><!-- " + "<div>" * 5_000 + " -->"
    for html in (sloppy, deep_but_closed, scripts, *(path.read_text("utf-8") for path in SITE.rglob("*.html"))):
        check_budget(html)
    with pytest.raises(TooComplex):
        check_budget(_deep(11), Budget(depth=10))


def test_the_benchmark_site_audits_clean_of_errors_and_its_measurement_has_the_right_shape(tmp_path: Path) -> None:
    from benchmarks.generate import generate_plan
    from benchmarks.site import generate_site, measure_audit, pages_for

    plan = tmp_path / "plan.toml"
    plan.write_text(generate_plan(200).text, "utf-8")
    assert pages_for(200) == 20
    assert generate_site(tmp_path / "site", 20) > 20 * 10_000  # pages of some size
    raw = measure_audit(plan, tmp_path / "site", repeat=2)
    assert raw["pages"] == [20, 20]  # every page read, none too complex
    assert all(len(raw[key]) == 2 and all(v > 0 for v in raw[key]) for key in ("value", "baseline"))


# -- ticking the linked items ------------------------------------------------------------------


def good_site(tmp_path: Path) -> Path:
    site = tmp_path / "good"
    (site / "collections").mkdir(parents=True)
    shutil.copyfile(SITE / "index.html", site / "index.html")
    shutil.copyfile(SITE / "collections" / "tide.html", site / "collections" / "tide.html")
    return site


def test_items_are_ticked_when_every_page_passes_their_rule(tmp_path: Path) -> None:
    report = audit(good_site(tmp_path))
    assert report.exit_code == 0
    result = linked(shop_plan(), report, TODAY)
    assert [item.id for _, item, _ in result.tick] == ["meta-descriptions", "og-tags"]
    assert [item.id for item in result.passing] == ["meta-titles", "share-buttons", "mobile-friendly", "follow-links"]
    assert result.failing == [] and result.open == []
    assert (
        result.tick[0][2]
        == f"Site audit 2027-03-10: every page passes the description rule (2 pages: {tmp_path / 'good'})."
    )


def test_ticked_items_that_now_fail_are_reported_not_unticked() -> None:
    result = linked(shop_plan(), audit(SITE), TODAY)
    assert result.tick == []
    assert [(item.id, why) for item, why in result.failing] == [
        ("meta-titles", "fails on 1 of 8 pages; warnings on 3 of 8 pages"),
        ("share-buttons", "fails on 2 of 8 pages"),
        ("mobile-friendly", "fails on 2 of 8 pages; warnings on 1 of 8 pages"),
        ("follow-links", "fails on 2 of 8 pages; warnings on 1 of 8 pages"),
    ]
    assert [item.id for item, _ in result.open] == ["meta-descriptions", "og-tags"]
    assert result.edit() is None


def test_nothing_is_ticked_when_a_page_could_not_be_read(tmp_path: Path) -> None:
    report = audit(good_site(tmp_path), tmp_path / "gone.html")
    result = linked(shop_plan(), report, TODAY)
    assert result.tick == []
    assert dict((item.id, why) for item, why in result.open)["og-tags"] == "1 target or page could not be read"


def _x_card_plan(done: bool = False):
    from dataclasses import replace

    from planner.plan.model import SmoItem

    item = SmoItem("x-cards", "X card tags (twitter:card, twitter:title, twitter:image)", done=done, audit="twitter")
    return replace(shop_plan(), smo_items=[item])


def _without_twitter_tags(site: Path) -> Path:
    for page in site.rglob("*.html"):
        page.write_text(
            "".join(line for line in page.read_text("utf-8").splitlines(keepends=True) if "twitter:" not in line),
            "utf-8",
        )
    return site


def test_an_item_is_ticked_only_when_its_rule_found_what_it_asks_for(tmp_path: Path) -> None:
    site = _without_twitter_tags(good_site(tmp_path))
    report = audit(site)
    assert report.exit_code == 0  # no X tags is a note on the page, not a fault
    result = linked(_x_card_plan(), report, TODAY)
    assert result.tick == [] and result.edit() is None
    assert [(item.id, why) for item, why in result.open] == [("x-cards", "nothing it checks for found on 2 of 2 pages")]
    ticked = linked(_x_card_plan(done=True), report, TODAY)
    assert [(item.id, why) for item, why in ticked.failing] == [
        ("x-cards", "nothing it checks for found on 2 of 2 pages")
    ]

    with_tags = linked(_x_card_plan(), audit(good_site(tmp_path / "tagged")), TODAY)
    assert [item.id for _, item, _ in with_tags.tick] == ["x-cards"]


def test_a_card_type_without_a_title_or_image_is_not_found() -> None:
    page = parse('<meta name="twitter:card" content="summary"><meta property="og:title" content="A title">')
    result = PAGE_RULES["twitter"](page, Audience())
    assert result.status == "pass" and not result.found
    assert [f.reason for f in result.findings] == [
        "no image for the card (twitter:title/og:title, twitter:image/og:image)"
    ]


def test_no_page_read_gives_no_verdicts(tmp_path: Path) -> None:
    report = audit(tmp_path / "gone.html")
    result = linked(shop_plan(), report, TODAY)  # shop-launch has ticked items linked to rules
    assert not result.readable
    assert (result.tick, result.failing, result.open, result.passing) == ([], [], [], [])


def test_a_ticked_item_is_not_failing_because_a_page_could_not_be_read(tmp_path: Path) -> None:
    report = audit(good_site(tmp_path), tmp_path / "gone.html")
    result = linked(shop_plan(), report, TODAY)
    assert result.failing == []  # meta-titles and the others pass on every page that was read


def test_the_ticks_change_only_the_ticked_items_lines_and_keep_the_comments(tmp_path: Path, sample) -> None:
    plan = sample("shop-launch.toml")
    before = plan.read_bytes()
    report = audit(good_site(tmp_path))
    plan_file = PlanFile(load(plan))
    edit = linked(plan_file.plan, report, TODAY).edit()
    titles = {item.id: quoted(item.title) for item in plan_file.plan.smo_items}
    assert edit is not None and edit.describe() == f"audit: tick {titles['meta-descriptions']}, {titles['og-tags']}"
    plan_file.apply(edit)
    plan_file.save()
    evidence = f"Site audit 2027-03-10: every page passes the %s rule (2 pages: {tmp_path / 'good'})."
    expected = (
        before.decode()
        .replace(
            'done = false\nowner = "jonas"\nurl = "https://kilnandco.example/collections/tide"\naudit = "description"\n',
            # New keys go where the format has them: done_on after done, notes after url.
            f'done = true\ndone_on = 2027-03-10\nowner = "jonas"\nurl = "https://kilnandco.example/collections/tide"\n'
            f'notes = "{evidence % "description"}"\naudit = "description"\n',
        )
        .replace(
            'done = false\nowner = "jonas"\nnotes = "og:image: use the square table shot cropped to 1200x630, not the logo."\naudit = "og"\n',
            'done = true\ndone_on = 2027-03-10\nowner = "jonas"\nnotes = """og:image: use the square table shot cropped to 1200x630, not the logo.\n'
            f'{evidence % "og"}"""\naudit = "og"\n',
        )
    )
    after = plan.read_bytes()
    assert after.decode() == expected and expected.count("done_on = 2027-03-10") == 2
    items = {item["id"]: item for item in tomllib.loads(after.decode())["smo"]["items"]}
    assert items["og-tags"]["done"] is True and items["og-tags"]["done_on"] == TODAY
    assert [line for line in before.decode().splitlines() if line.startswith("#")] == [
        line for line in after.decode().splitlines() if line.startswith("#")
    ]

    plan_file.undo()
    plan_file.save()
    assert plan.read_bytes() == before


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run ``planner ARGS`` in tmp_path (reports show paths relative to it)."""
    from click.testing import CliRunner

    from planner.cli import main

    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def test_audit_exits_0_when_every_page_passes(cli, sample, tmp_path: Path) -> None:
    plan = sample("shop-launch.toml")
    good_site(tmp_path)
    result = cli("audit", str(plan), "good")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "good/index.html  pass" in lines
    assert "  pass     title        Kiln & Co. | Handmade stoneware from Berlin" in lines
    assert "2 pages audited: 2 pass, 0 with warnings, 0 failing" in lines
    assert "Would tick with --apply:" in lines and "  “Open Graph tags with the new product ph…” (og)" in lines


def test_audit_exits_1_on_warnings_or_failures_and_writes_json_for_scripts(cli, tmp_path: Path) -> None:
    shutil.copytree(SITE, tmp_path / "site")
    result = cli("audit", str(SAMPLES / "shop-launch.toml"), "site", "--format", "json")
    assert result.exit_code == 1
    import json

    data = json.loads(result.output)
    assert data["exit_code"] == 1
    pages = {page["page"]: page for page in data["pages"]}
    assert set(pages) == {f"site/{name}" for name in EXPECTED}
    og = next(rule for rule in pages["site/missing-og.html"]["rules"] if rule["rule"] == "og")
    assert og["status"] == "fail"
    assert {"level": "fail", "reason": "og:image is not an absolute http(s) URL", "value": "/img/care.jpg"} in og[
        "findings"
    ]
    assert next(s for s in data["summary"] if s["rule"] == "title") == {
        "rule": "title",
        "status": "fail",
        "pass": 4,
        "warning": 3,
        "fail": 1,
        "found": 7,
    }
    assert [item["id"] for item in data["items"]["failing"]] == [
        "meta-titles",
        "share-buttons",
        "mobile-friendly",
        "follow-links",
    ]
    assert data["items"]["applied"] is False

    text = cli("audit", str(SAMPLES / "shop-launch.toml"), "site").output
    assert "site/missing-og.html  fail" in text
    assert "  fail     og           og:image is not an absolute http(s) URL: “/img/care.jpg”" in text
    assert "  warning  title        same title as site/blog/dup-b.html: “Kiln & Co. journal”" in text
    assert "Ticked, but the audit does not pass now (left ticked; check them):" in text


def test_audit_exits_2_when_a_target_or_the_plan_cannot_be_read(cli, tmp_path: Path) -> None:
    good_site(tmp_path)
    result = cli("audit", str(SAMPLES / "shop-launch.toml"), "good", "nothere")
    assert result.exit_code == 2
    assert "cannot audit: nothere: no such file or folder" in result.output
    assert "2 pages audited: 2 pass, 0 with warnings, 0 failing; 1 could not be read" in result.output
    (tmp_path / "bad.toml").write_text("schema = [", "utf-8")
    result = cli("audit", "bad.toml", "good")
    assert result.exit_code == 2 and result.output.startswith("planner: ")
    result = cli("audit", str(SAMPLES / "shop-launch.toml"), "nothere")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [  # no table of zeros, no item list when no page was read
        "cannot audit: nothere: no such file or folder",
        "",
        "0 pages audited: 0 pass, 0 with warnings, 0 failing; 1 could not be read",
    ]
    import json

    items = json.loads(cli("audit", str(SAMPLES / "shop-launch.toml"), "nothere", "--format", "json").output)["items"]
    assert items["verdicts"] is False and items["failing"] == items["passing"] == items["open"] == []
    assert cli("audit", str(SAMPLES / "shop-launch.toml")).exit_code == 2  # TARGET is required


def test_page_text_cannot_drive_the_terminal(cli, tmp_path: Path) -> None:
    (tmp_path / "evil.html").write_text("<title>Hi \x1b]0;pwned\x07\x1b[2J there, friends</title>", "utf-8")
    result = cli("audit", str(SAMPLES / "shop-launch.toml"), "evil.html")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Hi ^[]0;pwned^G^[[2J there, friends" in result.output
    assert "\x1b" not in cli("audit", str(SAMPLES / "shop-launch.toml"), "evil.html", "--format", "json").output
    # A C1 control (U+009B is CSI) decoded from a legacy encoding, and a reason that quotes the page's own words
    (tmp_path / "c1.html").write_bytes(b"<meta charset=iso-8859-2><title>Hi \x9b2J there, friends</title>")
    (tmp_path / "deep.html").write_text("<title>x</title>" + "<div>" * 1_001, "utf-8")
    (tmp_path / "\x1b]0;pwned\x07.html").write_text("<title>A page with a hostile name</title>", "utf-8")
    for fmt in ("text", "json"):
        output = cli("audit", str(SAMPLES / "shop-launch.toml"), "c1.html", "deep.html", ".", "--format", fmt).output
        assert not {"\x1b", "\x07", "\x9b"} & set(output), fmt
    text = cli("audit", str(SAMPLES / "shop-launch.toml"), "c1.html", "deep.html", "--format", "text").output
    assert "Hi \\u009b2J there, friends" in text
    assert "deep.html  could not be read: page too complex (elements nested more than 1,000 deep); not audited" in text


def test_audit_apply_ticks_the_passing_items_saves_and_says_so(cli, sample, tmp_path: Path) -> None:
    plan = sample("shop-launch.toml")
    before = plan.read_bytes()
    good_site(tmp_path)
    result = cli("audit", str(plan), "good", "--apply")
    assert result.exit_code == 0
    assert (
        "Ticked:\n  “Meta descriptions that mention 'handmad…” (description)\n  “Open Graph tags with the new product ph…” (og)\n"
        in result.output
    )
    assert result.output.endswith("Saved shop-launch.toml\n")
    after = plan.read_bytes()
    today = _today_in_berlin()
    changed = set(after.decode().splitlines()) - set(before.decode().splitlines())
    assert changed == {
        f"done_on = {today}",
        f'notes = "Site audit {today}: every page passes the description rule (2 pages: good)."',
        'notes = """og:image: use the square table shot cropped to 1200x630, not the logo.',
        f'Site audit {today}: every page passes the og rule (2 pages: good)."""',
    }
    assert (
        len(after.decode().splitlines()) == len(before.decode().splitlines()) + 4
    )  # two done_on, a notes key, a notes line
    assert after.count(b"done = true") == before.count(b"done = true") + 2

    again = cli("audit", str(plan), "good", "--apply")
    assert "Ticked" not in again.output and "Saved" not in again.output
    assert plan.read_bytes() == after


def test_audit_apply_writes_nothing_while_the_plan_is_open_in_the_app(cli, sample, tmp_path: Path) -> None:
    from planner.plan.lock import PlanLock

    plan = sample("shop-launch.toml")
    before = plan.read_bytes()
    good_site(tmp_path)
    with PlanLock(plan) as lock:  # as the app holds it
        assert lock.held
        result = cli("audit", str(plan), "good", "--apply")
    assert result.exit_code == 2
    assert "shop-launch.toml: nothing ticked: the plan is open in planner (process" in result.output
    assert plan.read_bytes() == before


def _today_in_berlin() -> dt.date:
    from planner.rules.checks import now_in

    return now_in(shop_plan()).date()


def test_audit_help_names_the_targets_rules_and_exit_codes(cli) -> None:
    result = cli("audit", "--help")
    for words in ("TARGET...", "http(s)://", "--apply", "--format [text|json]", "Exit 0", "og:image"):
        assert words in result.output
    assert "planner audit PLAN TARGET" in cli("--help").output
