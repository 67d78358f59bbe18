"""The agenda: every post (or those the filter lets through) as one line each, drawn lazily.

`AgendaList` is a Line API widget: it holds a list of post indexes and
renders only the lines on screen, so 20,000 posts cost a list, not 20,000
widgets. The view owns the cursor and the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from planner.app.calendar.days import CHANGED_MARK, STATUS_MARKS, Shown, post_title, status_mark
from planner.app.calendar.grids import STATUS_CLASSES, fit, status_css
from planner.textsafe import one_line

# (heading, width) of each column before the title, which takes the rest; a
# narrow agenda shows the platform's mark alone (the detail line names it).
WIDE = 100
COLUMNS = (("Date", 14), ("Time", 5), ("Platform", 12), ("Format", 9), ("Status", 11))
NARROW_COLUMNS = (("Date", 14), ("Time", 5), ("Pl", 3), ("Format", 9), ("Status", 11))
SORT_COLUMNS = {"date": "Date", "platform": "Platform", "status": "Status", "title": "Title"}


def columns(width: int) -> tuple[tuple[str, int], ...]:
    return COLUMNS if width >= WIDE else NARROW_COLUMNS


def heading(sort: str, width: int, descending: bool = False) -> Text:
    """The column headings, the sorted one marked ``▲`` (ascending) or ``▼`` (descending)."""
    text = Text("  ")
    marked = SORT_COLUMNS.get(sort, "Date")
    for name, size in (*columns(width), ("Title", 0)):
        here = name == marked or (name == "Pl" and marked == "Platform")
        label = Text(name + ("▼" if descending else "▲") if here else name, style="bold" if here else "")
        if size:
            text.append_text(fit(label, size))
            text.append(" ")
        else:
            text.append_text(label)
    text.truncate(width, overflow="ellipsis")
    return text


class AgendaList(ScrollView, can_focus=True, inherit_bindings=False):
    """The agenda's lines. Keys are the calendar view's (no scrolling bindings of its own)."""

    COMPONENT_CLASSES = {"agenda--cursor", "agenda--early", "agenda--changed", "agenda--muted", *STATUS_CLASSES}
    DEFAULT_CSS = """
    AgendaList { height: 1fr; overflow-x: hidden; }
    AgendaList > .agenda--cursor { background: $accent; color: $text; }
    AgendaList > .agenda--early { color: $warning; text-style: bold; }
    AgendaList > .agenda--muted { color: $text-muted; }
    AgendaList > .agenda--changed { color: $text-accent; text-style: bold; }
    """ + status_css("AgendaList")

    @dataclass
    class Clicked(Message):
        """A click on row ``row``; ``chain`` 2 is a double click."""

        agenda: AgendaList
        row: int
        chain: int

        @property
        def control(self) -> AgendaList:
            return self.agenda

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: Shown | None = None
        self.rows: list[int] = []
        self.cursor = 0
        self.empty = "No posts yet: press a to add one."
        self._lines: dict[tuple[int, int, bool], Strip] = {}  # drawn rows, by post, width and whether selected
        self._drawn_with: tuple = ()  # the size, styles and theme ``_lines`` were drawn with (`set_rows` clears them too)

    def set_rows(self, shown: Shown, rows: list[int], cursor: int, empty: str) -> None:
        self.shown, self.rows, self.empty = shown, rows, empty
        self._lines.clear()
        self.virtual_size = Size(self.size.width, max(1, len(rows)))
        self.move_cursor(cursor)
        self.refresh()

    def move_cursor(self, cursor: int) -> None:
        """Select row ``cursor`` (clamped) and scroll it into view; if nothing scrolled, redraw only the two rows."""
        before = self.cursor
        self.cursor = max(0, min(cursor, len(self.rows) - 1))
        top, height = round(self.scroll_offset.y), max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        if round(self.scroll_offset.y) == top and self.cursor != before:
            self.refresh(
                *(Region(0, row - top, self.size.width, 1) for row in (before, self.cursor) if 0 <= row - top < height)
            )
        else:
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_offset.y) + event.y
        if 0 <= row < len(self.rows):
            self.post_message(self.Clicked(self, row, event.chain))

    @property
    def page(self) -> int:
        return max(1, self.size.height - 1)

    def render_lines(self, crop: Region) -> list[Strip]:
        drawn_with = (self.size, self.rich_style, self.app.theme)
        if (
            drawn_with != self._drawn_with or len(self._lines) > 2000
        ):  # a new size or theme (or a long walk): draw afresh
            self._lines.clear()
            self._drawn_with = drawn_with
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_offset.y) + y
        if self.shown is None or not self.rows:
            text = Text(
                self.empty if y == 0 else "", style=self.get_component_rich_style("agenda--muted", partial=True)
            )
        elif row >= len(self.rows):
            text = Text("")
        else:
            key = (self.rows[row], width, row == self.cursor)
            line = self._lines.get(key)
            if line is None:
                text = self._row(self.rows[row], width, selected=row == self.cursor)
                line = self._lines[key] = Strip(list(text.render(self.app.console))).crop_extend(
                    0, width, self.rich_style
                )
            return line
        return Strip(list(text.render(self.app.console))).crop_extend(0, width, self.rich_style)

    def _row(self, index: int, width: int, selected: bool) -> Text:
        assert self.shown is not None
        post = self.shown.posts[index]
        early = self.shown.early(post)
        line = Text(style=self.get_component_rich_style("agenda--cursor", partial=True) if selected else Style())
        if self.shown.uncommitted(post):  # ``!*``: early, and changed since the last commit
            line.append("!" if early else " ", style=self.get_component_rich_style("agenda--early", partial=True))
            line.append(CHANGED_MARK, style=self.get_component_rich_style("agenda--changed", partial=True))
        else:
            line.append("! " if early else "  ", style=self.get_component_rich_style("agenda--early", partial=True))
        status = Text(
            status_mark(post.status),
            style=self.get_component_rich_style(f"status--{post.status}", partial=True)
            if post.status in STATUS_MARKS and not selected
            else "",
        )
        values = {
            "Date": Text(f"{post.at:%a %Y-%m-%d}"),
            "Time": Text(f"{post.at:%H:%M}"),
            "Platform": Text.assemble((self.shown.mark(post), "bold"), " ", one_line(post.platform)),
            "Pl": Text(self.shown.mark(post), style="bold"),
            "Format": Text(one_line(post.format)),
            "Status": Text.assemble(status, " ", one_line(post.status)),
        }
        for name, size in columns(width):
            line.append_text(fit(values[name], size))
            line.append(" ")
        line.append(post_title(post))
        return fit(line, width)
