"""The post editor: a modal form for one post of the calendar.

It dismisses with the post's fields as they go in the file (no ``id``), or
None when cancelled; the caller turns them into edits. The rules behind it
(default times, typed dates and times, daylight saving, limits and counts)
live in `planner.rules` and import no Textual.

Daylight saving: a typed time the clocks skip does not exist and the form
refuses to save it (it names the next valid time); a time the clocks pass
twice is shown as a warning but saved as typed, since the file stores local
time (and `planner check` warns about it too).
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from planner.app.screen_text import SafeInput, SafeTextArea, shown_line
from planner.plan.approval import in_words
from planner.plan.model import STATUSES, Plan, Post
from planner.plan.smm_edits import platform_label
from planner.rules.platforms import Count, builtin_platforms, formats_for, limits_for, measure
from planner.rules.slots import check_local_time, date_warning, default_time, parse_date, parse_time
from planner.words import quoted


def platform_options(plan: Plan, current: str = "") -> list[tuple[Text, str]]:
    """The platforms to choose from: the chosen ones first, then the other known ones, marked "not chosen"."""
    rules = builtin_platforms()
    options = [
        (shown_line(choice.label or (rules[choice.name].label if choice.name in rules else choice.name)), choice.name)
        for choice in plan.platforms
    ]
    chosen = {choice.name for choice in plan.platforms}
    others = [name for name in rules if name not in chosen]
    if current and current not in chosen and current not in rules:
        others.append(current)  # a post on a platform that is neither chosen nor known keeps it
    for name in others:
        options.append((shown_line(f"{rules[name].label if name in rules else name} (not chosen)"), name))
    return options


def format_options(platform: str, current: str = "") -> list[tuple[str, str]]:
    """The formats ``platform`` has (from the rules data) as ``(label, format)``; a ``current`` one it has not is kept, marked.

    A post keeps the format it has: one the platform does not list (your own
    word, or one of another platform after a change of platform) stays offered.
    """
    names = formats_for(platform)
    options = [(name, name) for name in names]
    if current and current not in names:
        known = platform in builtin_platforms()
        options.append(
            (f"{current} (not a {platform_label(platform)} format)" if known else f"{current} (your own)", current)
        )
    return options


def split_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, without empty or repeated ones."""
    return list(dict.fromkeys(tag.strip() for tag in text.split(",") if tag.strip()))


def _in(count: Count, amount: int = 2) -> str:
    """The unit after an ``amount`` of a count, said only where it is not characters (YouTube's description counts bytes)."""
    return (" byte" if amount == 1 else " bytes") if count.unit == "bytes" else ""


def counter_line(counts: list[Count]) -> tuple[str, bool]:
    """``"text 231/280 · hashtags 2/5"`` and whether any count is over its limit (which the line then says)."""
    parts = [f"{count.what} {count.used}" + (f"/{count.limit}" if count.limit else "") + _in(count) for count in counts]
    over = [
        f"{count.what} by {count.used - count.limit}{_in(count, count.used - count.limit)}"
        for count in counts
        if count.over and count.limit
    ]
    line = " · ".join(parts)
    if over:
        line += f"  ⚠ over the limit: {', '.join(over)} (saving is allowed)"
    return line, bool(over)


class PostForm(ModalScreen[dict | None]):
    """Add or edit a post; dismisses with its fields as they go in the file, or None when cancelled."""

    DEFAULT_CSS = """
    PostForm { align: center middle; }
    PostForm > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    PostForm .title { text-style: bold; }
    PostForm .row { height: 1; }
    PostForm .area-row { height: auto; }
    PostForm .row Label, PostForm .area-row Label { width: 10; color: $text-muted; }
    PostForm .row Input { width: 1fr; }
    PostForm TextArea { width: 1fr; background: $boost; }
    PostForm .row Select { width: 1fr; }
    PostForm #date { width: 12; }
    PostForm #time { width: 7; margin-left: 1; }
    PostForm #timezone { width: 1fr; margin-left: 1; color: $text-muted; }
    PostForm #status-label { width: 8; margin-left: 2; }
    PostForm .note { height: auto; padding-left: 10; color: $text-muted; }
    PostForm .note.-empty, PostForm #error.-empty { display: none; }
    PostForm .note.-error { color: $error; }
    PostForm .note.-warning { color: $warning; text-style: bold; }
    PostForm #text { height: 6; }
    PostForm #notes { height: 3; }
    PostForm #error { color: $error; height: auto; }
    PostForm .buttons { height: auto; align-horizontal: right; }
    PostForm Button { margin-left: 1; }
    PostForm.-tall .title { margin-bottom: 1; }
    PostForm.-tall #text { height: 10; }
    PostForm.-tall #notes { height: 4; }
    PostForm.-tall .buttons { margin-top: 1; }
    """
    VERTICAL_BREAKPOINTS = [(0, "-short"), (34, "-tall")]
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save the form", id="form.save", priority=True),
    ]

    def __init__(
        self,
        plan: Plan,
        post: Post | None = None,
        *,
        day: dt.date | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        """Edit ``post``, or add a new one on ``day`` (default: ``now``'s date, else the SMM start)."""
        super().__init__()
        self.AUTO_FOCUS = "#title" if post else "#platform"  # type: ignore[misc]  # focused each time the form is shown
        self.plan = plan
        self.post = post
        self.now = now
        self.day = day or (now.date() if now else plan.smm_start)
        if post is not None:
            self.platform = post.platform
        else:
            self.platform = plan.platforms[0].name if plan.platforms else next(iter(builtin_platforms()), "")
        # On a new post the time and format follow the platform until the user picks their own.
        self.auto_time = "" if post else f"{default_time(plan.platform(self.platform), self.day, now):%H:%M}"
        self.auto_format = "" if post else formats_for(self.platform)[0]

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        post = self.post
        timezone = self.plan.campaign.timezone
        with VerticalScroll():
            yield Static(
                shown_line(f"Edit post {quoted(post.title or post.id)}" if post else "New post"), classes="title"
            )
            approval = in_words(post) if post else ""
            if approval:  # approved posts say so; one changed since says by whom it was approved
                yield Static(
                    shown_line(("✓ " if approval.startswith("approved") else "⚠ ") + approval),
                    id="approval",
                    classes="note" + ("" if approval.startswith("approved") else " -warning"),
                )
            with Horizontal(classes="row"):
                yield Label("Platform")
                yield Select(
                    platform_options(self.plan, self.platform),
                    value=self.platform,
                    allow_blank=False,
                    compact=True,
                    id="platform",
                )
            with Horizontal(classes="row"):
                yield Label("When")
                yield SafeInput(
                    f"{post.at:%Y-%m-%d}" if post else f"{self.day:%Y-%m-%d}",
                    placeholder="YYYY-MM-DD",
                    compact=True,
                    id="date",
                )
                yield SafeInput(
                    f"{post.at:%H:%M}" if post else self.auto_time, placeholder="HH:MM", compact=True, id="time"
                )
                yield Static(shown_line(timezone), id="timezone")
            yield Static("", id="when-note", classes="note -empty")
            current_format = post.format if post else self.auto_format
            with Horizontal(classes="row"):
                yield Label("Format")
                yield Select(
                    self._formats(current_format), value=current_format, allow_blank=False, compact=True, id="format"
                )
                yield Label("Status", id="status-label")
                yield Select(
                    [(s, s) for s in STATUSES],
                    value=post.status if post and post.status in STATUSES else "idea",
                    allow_blank=False,
                    compact=True,
                    id="status",
                )
            with Horizontal(classes="row"):
                yield Label("Title")
                yield SafeInput(post.title if post else "", compact=True, id="title")
            yield Static("", id="title-count", classes="note")
            with Horizontal(classes="area-row"):
                yield Label("Text")
                yield SafeTextArea(post.text if post else "", soft_wrap=True, compact=True, id="text")
            yield Static("", id="text-count", classes="note")
            with Horizontal(classes="row"):
                yield Label("Link")
                yield SafeInput(post.link if post else "", placeholder="https://", compact=True, id="link")
            with Horizontal(classes="row"):
                yield Label("Tags")
                yield SafeInput(
                    ", ".join(post.tags) if post else "",
                    placeholder="comma separated, for filtering (hashtags go in the text)",
                    compact=True,
                    id="tags",
                )
            with Horizontal(classes="area-row"):
                yield Label("Notes")
                yield SafeTextArea(post.notes if post else "", soft_wrap=True, compact=True, id="notes")
            yield Static("", id="error", classes="-empty")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)

    def _formats(self, current: str) -> list[tuple[Text, str]]:
        return [(shown_line(label), name) for label, name in format_options(self.platform, current)]

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).can_focus = False  # tab goes from field to field
        self.update_counts()
        self.update_when()

    # -- live updates -----------------------------------------------------------------

    @on(Select.Changed, "#platform")
    def _platform_changed(self, event: Select.Changed) -> None:
        platform = event.value
        if not isinstance(platform, str) or platform == self.platform:
            return
        self.platform = platform
        formats = self.query_one("#format", Select)
        current = formats.value if isinstance(formats.value, str) else ""
        if self.post is None and current == self.auto_format:
            current = self.auto_format = formats_for(platform)[0]
        formats.set_options(self._formats(current))
        formats.value = current
        self.follow_slot()
        self.update_counts()

    @on(Input.Changed, "#date")
    def _date_changed(self) -> None:
        self.follow_slot()
        self.update_when()

    @on(Input.Changed, "#time")
    def _time_changed(self) -> None:
        self.update_when()

    @on(Input.Changed, "#title")
    @on(TextArea.Changed, "#text")
    @on(Select.Changed, "#format")  # a TikTok photo post has other limits than a video
    def _text_changed(self) -> None:
        self.update_counts()

    def follow_slot(self) -> None:
        """On a new post whose time the user has not typed, put the time on the platform's slot for the day."""
        time_input = self.query_one("#time", Input)
        if self.post is not None or time_input.value != self.auto_time:
            return
        try:
            day = parse_date(self.query_one("#date", Input).value)
        except ValueError:
            return
        self.auto_time = f"{default_time(self.plan.platform(self.platform), day, self.now):%H:%M}"
        time_input.value = self.auto_time

    def update_counts(self) -> None:
        fmt = self.query_one("#format", Select).value
        limits = limits_for(self.plan, self.platform, fmt if isinstance(fmt, str) else "")
        counts = {
            count.what: count
            for count in measure(limits, self.query_one("#title", Input).value, self.query_one("#text", TextArea).text)
        }
        title, text, hashtags = counts["title"], counts["text"], counts["hashtags"]
        for widget_id, shown_counts in (("#title-count", [title]), ("#text-count", [text, hashtags])):
            line, over = counter_line(shown_counts)
            note = self.query_one(widget_id, Static)
            note.update(shown_line(line))
            note.set_class(over, "-warning")

    def when(self) -> tuple[dt.datetime | None, str, str]:
        """The typed date and time, and an error (refuse to save) and a warning (save anyway) about them."""
        try:
            date = parse_date(self.query_one("#date", Input).value)
            time = parse_time(self.query_one("#time", Input).value)
        except ValueError as error:
            return None, str(error), ""
        at = dt.datetime.combine(date, time)
        found = check_local_time(at, self.plan.campaign.timezone)
        warning = " ".join(filter(None, (found.warning, date_warning(self.plan, date))))
        return (None if found.error else at), found.error, warning

    def update_when(self) -> None:
        _, error, warning = self.when()
        note = self.query_one("#when-note", Static)
        note.update(shown_line(error or (f"⚠ {warning}" if warning else "")))
        note.set_class(bool(error), "-error")
        note.set_class(bool(warning) and not error, "-warning")
        note.set_class(not (error or warning), "-empty")
        self.query_one("#error", Static).add_class("-empty")  # a refused save's message is out of date

    # -- keys -------------------------------------------------------------------------

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        at, _, _ = self.when()
        if at is None:  # what is wrong is in the note under the date and time
            message = self.query_one("#error", Static)
            message.update("Not saved: fix the date or time first.")
            message.remove_class("-empty")
            field = "#date"
            try:
                parse_date(self.query_one("#date", Input).value)
                field = "#time"
            except ValueError:
                pass
            self.query_one(field, Input).focus()
            return
        if self.post is not None and at == self.post.at.replace(second=0, microsecond=0):
            at = self.post.at  # seconds written by hand stay unless the time is changed
        fields = {
            "platform": self.platform,
            "at": at,
            "format": self.query_one("#format", Select).value,
            "status": self.query_one("#status", Select).value,
            "title": self.query_one("#title", Input).value.strip(),
            "text": self.query_one("#text", TextArea).text,
            "link": self.query_one("#link", Input).value.strip(),
            "tags": split_tags(self.query_one("#tags", Input).value),
            "notes": self.query_one("#notes", TextArea).text,
        }
        self.dismiss(fields)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
