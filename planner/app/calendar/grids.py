"""The month grid and the week columns: they draw only the days on screen, from a `Shown`.

Both are Line API widgets made of day cells: a month is at most 42 cells
however many posts the plan has. Each cell is drawn once into strips and
kept until what it shows changes, so moving the selection redraws two
cells, not the month. The view tells them what to show (`set_view`) and
handles every key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from planner.app.calendar.days import (
    CHANGED_MARK,
    STATUS_MARKS,
    Shown,
    month_weeks,
    post_title,
    status_mark,
    week_days,
    week_of,
    weekday_names,
    wrap_title,
)
from planner.words import counted

# The colour of each status's mark, from the theme (so every theme has them);
# the marks themselves (days.STATUS_MARKS) tell the statuses apart without colour.
STATUS_COLOURS = {
    "idea": "$text-muted",
    "draft": "$text-warning",
    "review": "$text-secondary",
    "approved": "$text-primary",
    "scheduled": "$text-accent",
    "published": "$text-success",
}
STATUS_CLASSES = {f"status--{status}" for status in STATUS_MARKS}


def status_css(widget: str) -> str:
    """The ``status--*`` component styles of ``widget`` (the grids' and the agenda's)."""
    return "\n".join(
        f"{widget} > .status--{status} {{ color: {colour}; text-style: bold; }}"
        for status, colour in STATUS_COLOURS.items()
    )


def column_widths(width: int) -> list[int]:
    """Seven column widths that fill ``width`` (the first columns get the odd cells)."""
    base, extra = divmod(max(width, 7), 7)
    return [base + (1 if i < extra else 0) for i in range(7)]


def fit(text: Text, width: int) -> Text:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


class DayGrid(Widget, can_focus=True):
    """What the month and the week share: the state they draw, the styles of a day, and clicks."""

    WRAP = True  # whether a post's title may take more than one line when there is room

    @dataclass
    class Clicked(Message):
        """A click on ``day`` (on its post ``post``, an index in the plan's posts, if it hit one); ``chain`` 2 is a double click."""

        grid: DayGrid
        day: dt.date
        post: int | None
        chain: int

        @property
        def control(self) -> DayGrid:
            return self.grid

    COMPONENT_CLASSES = {
        "grid--weekday",
        "grid--day",
        "grid--other-month",
        "grid--smo",
        "grid--today",
        "grid--selected",
        "grid--cursor",
        "grid--early",
        "grid--more",
        "grid--mark",
        "grid--changed",
        *STATUS_CLASSES,
    }
    DEFAULT_CSS = """
    DayGrid { height: 1fr; }
    DayGrid > .grid--weekday { color: $text-muted; text-style: bold; }
    DayGrid > .grid--day { text-style: bold; }
    DayGrid > .grid--other-month { color: $text-disabled; }
    DayGrid > .grid--smo { background: $secondary-muted; }
    DayGrid > .grid--today { color: $success; text-style: bold reverse; }
    DayGrid > .grid--selected { background: $accent-muted; }
    DayGrid > .grid--cursor { background: $accent; color: $text; }
    DayGrid > .grid--early { color: $warning; text-style: bold; }
    DayGrid > .grid--more { color: $text-muted; }
    DayGrid > .grid--mark { text-style: bold; }
    DayGrid > .grid--changed { color: $text-accent; text-style: bold; }
    """ + status_css("DayGrid")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: Shown | None = None
        self.day = dt.date.today()
        self.cursor: int | None = None  # the selected post: its index in the plan's posts
        self._cells: dict[tuple, list[Text]] = {}  # each day cell's lines, by what it shows (see `_cell_key`)
        self._lines: dict[tuple, Strip] = {}  # each line on screen, by its y and what its cells show
        self._whole: list[Strip] | None = (
            None  # every line at once, while a mouse selection is shown (see `render_line`)
        )
        self._drawn_with: tuple = ()  # the plan, size, styles and selection ``_cells`` and ``_lines`` were drawn with

    def set_view(self, shown: Shown, day: dt.date, cursor: int | None) -> None:
        """Show ``day`` selected (and post ``cursor`` on it); if only the selection moved, redraw just its cells."""
        before = (self.shown, self.page_of(self.day))
        old_day = self.day
        self.shown, self.day, self.cursor = shown, day, cursor
        self._whole = None
        if before == (shown, self.page_of(day)):
            self.refresh(*(self.cell_region(d) for d in {old_day, day}))
        else:
            self.refresh()

    def page_of(self, day: dt.date) -> tuple:
        """What decides which days are on screen with ``day`` selected (its month, its week)."""
        return (day,)

    def bands(self) -> tuple[int, list[tuple[int, int, list[dt.date | None]]]]:
        """The header's lines, and each band of cells under it: its top line, its height and its seven days."""
        return 0, []

    def header(self, widths: list[int]) -> list[Text]:
        return []

    def cell(self, day: dt.date, width: int, rows: int) -> list[Text]:
        """The ``rows`` lines of ``day``'s cell, each exactly ``width`` cells."""
        return []

    def cell_region(self, day: dt.date) -> Region:
        """Where ``day``'s cell is drawn (the whole widget if it is not on screen)."""
        widths = column_widths(self.size.width)
        _, bands = self.bands()
        for top, height, days in bands:
            if day in days:
                column = days.index(day)
                return Region(sum(widths[:column]), top, widths[column], height)
        return self.size.region

    def _cell_key(self, day: dt.date | None, width: int, rows: int) -> tuple:
        """Everything a cell's look depends on besides the plan, the size and the styles."""
        assert self.shown is not None
        if day is None:  # past either end of the calendar
            return (None, width, rows)
        cursor = self.cursor if self.cursor is not None and self.shown.posts[self.cursor].at.date() == day else None
        return (day, width, rows, day == self.day, day.month == self.day.month, cursor)

    def _line(self, y: int, text: Text) -> Strip:
        """Line ``y`` made of ``text``, as Textual draws a widget's rendered `Text` (base style, links, selection offsets)."""
        strip = Visual.to_strips(self, visualize(self, text), self.size.width, 1, self.visual_style)[0]
        return strip.apply_offsets(0, y) if y else strip

    def _cell_lines(self, day: dt.date | None, width: int, rows: int) -> tuple[tuple, list[Text]]:
        key = self._cell_key(day, width, rows)
        lines = self._cells.get(key)
        if lines is None:
            lines = self._cells[key] = self.cell(day, width, rows) if day is not None else [fit(Text(""), width)] * rows
        return key, lines

    def render_lines(self, crop: Region) -> list[Strip]:
        drawn_with = (self.shown, self.size, self.visual_style, self.app.theme, self.text_selection)
        if (
            drawn_with != self._drawn_with or len(self._lines) > 2000
        ):  # a new plan, size, theme or mouse selection (or a long walk): draw afresh
            self._cells.clear()
            self._lines.clear()
            self._whole = None
            self._drawn_with = drawn_with
        self._dirty_regions.clear()  # Textual's full-render cache, which `render_line` does not use
        return super().render_lines(crop)

    def render(self) -> Text:
        """The whole widget as one `Text`: what a mouse selection copies, and draws while there is one."""
        width, height = self.size.width, self.size.height
        if self.shown is None or width <= 0 or height <= 0:
            return Text()
        widths = column_widths(width)
        header, bands = self.bands()
        lines = self.header(widths)[:header]
        for _top, rows, days in bands:
            cells = [self._cell_lines(day, cell_width, rows)[1] for day, cell_width in zip(days, widths)]
            lines += [Text.assemble(*(cell[row] for cell in cells)) for row in range(rows)]
        return Text("\n").join(lines[:height])

    def render_line(self, y: int) -> Strip:
        """Line ``y``: the header, or one line of a band of day cells, drawn once for what those cells show."""
        width = self.size.width
        if self.shown is None or width <= 0:
            return Strip.blank(width, self.visual_style.rich_style)
        if self.text_selection is not None:  # drawn whole, as Textual draws a selection across lines
            if self._whole is None:
                self._whole = Visual.to_strips(
                    self, visualize(self, self.render()), width, self.size.height, self.visual_style
                )
            return self._whole[y] if y < len(self._whole) else Strip.blank(width, self.visual_style.rich_style)
        widths = column_widths(width)
        header, bands = self.bands()
        if y < header:
            key: tuple = ("header", y)
            if key not in self._lines:
                self._lines[key] = self._line(y, self.header(widths)[y])
            return self._lines[key]
        for top, height, days in bands:
            if top <= y < top + height:
                cells = [self._cell_lines(day, cell_width, height) for day, cell_width in zip(days, widths)]
                key = (y, *(cell_key for cell_key, _ in cells))
                if key not in self._lines:
                    self._lines[key] = self._line(y, Text.assemble(*(lines[y - top] for _, lines in cells)))
                return self._lines[key]
        return Strip.blank(width, self.visual_style.rich_style)

    def style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def cell_style(self, day: dt.date) -> Style:
        """The background of a day: selected, in the SMO phase, or plain."""
        assert self.shown is not None
        if day == self.day:
            return self.style("grid--selected")
        if self.shown.in_smo(day):
            return self.style("grid--smo")
        return Style()

    def status_style(self, status: str) -> Style:
        return self.style(f"status--{status}") if status in STATUS_MARKS else Style()

    def post_lines(
        self, index: int, width: int, base: Style, with_time: bool = False, split: bool = False, rows: int | None = None
    ) -> list[Text]:
        """``!◑IG Title`` (``19:00 ◑IG Title`` in the week), the title wrapped in at most ``rows`` lines.

        ``!`` flags a post before the SMM start, ``◑`` is its status, ``IG``
        its platform. The title goes on in lines of its own under the mark,
        two cells in; ``split`` starts it on the second line (narrow week
        columns). Every line is exactly ``width`` cells.
        """
        assert self.shown is not None
        post = self.shown.posts[index]
        early = self.shown.early(post)
        selected = index == self.cursor
        style = base + (self.style("grid--cursor") if selected else Style())
        head = Text(" ", style=style)
        if early:
            head.append("!", style=self.style("grid--early"))
        if with_time:
            head.append(f"{post.at:%H:%M} ")
        if self.shown.uncommitted(post):
            head.append(CHANGED_MARK, style=Style() if selected else self.style("grid--changed"))
        head.append(
            status_mark(post.status), style=Style() if selected else self.status_style(post.status)
        )  # the cursor's colour keeps it readable
        head.append(self.shown.mark(post), style=self.style("grid--mark"))
        title_style = self.style("grid--early") if early else Style()
        indent = Text("  ", style=style)
        if split:  # the title under the mark, ``rows`` lines of it
            parts = wrap_title(post_title(post), width - 2, width - 2, rows)
            return [
                fit(head, width),
                *(fit(Text.assemble(indent, (part, title_style), style=style), width) for part in parts),
            ]
        parts = wrap_title(post_title(post), max(1, width - head.cell_len - 1), width - 2, rows)
        head.append(" ")
        head.append(parts[0], style=title_style)
        return [
            fit(head, width),
            *(fit(Text.assemble(indent, (part, title_style), style=style), width) for part in parts[1:]),
        ]

    def post_layout(
        self, posts: list[int], width: int, room: int, with_time: bool = False, split: bool = False
    ) -> tuple[list[tuple[int, int]], int]:
        """Which of ``posts`` a cell lists in ``room`` lines, each with the lines its title may take; and how many are left out.

        In the week, titles wrap as far as the room lets every listed post
        wrap alike (the month gives each post one line). When even one line
        each does not fit, the cursor's post is among those listed and the
        last line says ``+N more``.
        """
        assert self.shown is not None
        head = 1 if split else 0
        if len(posts) * (head + 1) > room or not self.WRAP:
            listed, left_out = self.day_posts(posts, room // (head + 1))
            return [(index, 1) for index in listed], left_out
        full = [len(self.post_lines(index, width, Style(), with_time, split)) - head for index in posts]
        rows = max(full, default=1)
        while rows > 1 and sum(head + min(rows, lines) for lines in full) > room:
            rows -= 1
        return [(index, min(rows, lines)) for index, lines in zip(posts, full)], 0

    def posts_drawn(
        self, day: dt.date, width: int, room: int, base: Style, with_time: bool = False, split: bool = False
    ) -> tuple[list[tuple[int, list[Text]]], int]:
        """The lines of each post listed on ``day`` (see `post_layout`) and how many posts are left out."""
        assert self.shown is not None
        layout, left_out = self.post_layout(self.shown.on(day), width, room, with_time, split)
        return [
            (index, self.post_lines(index, width, base, with_time, split, rows)) for index, rows in layout
        ], left_out

    def post_at(
        self, day: dt.date, width: int, room: int, line: int, with_time: bool = False, split: bool = False
    ) -> int | None:
        """The post drawn on line ``line`` (0: the first under the day's heading) of ``day``'s cell."""
        drawn, _ = self.posts_drawn(day, width, room, Style(), with_time, split)
        for index, lines in drawn:
            if 0 <= line < len(lines):
                return index
            line -= len(lines)
        return None

    def on_click(self, event: events.Click) -> None:
        hit = self.hit(event.x, event.y)
        if hit is not None:
            self.post_message(self.Clicked(self, hit[0], hit[1], event.chain))

    def hit(self, x: int, y: int) -> tuple[dt.date, int | None] | None:
        """The day (and the post listed there, if any) drawn at ``x``, ``y``."""
        return None

    def column_at(self, x: int) -> int | None:
        edge = 0
        for column, width in enumerate(column_widths(self.size.width)):
            edge += width
            if x < edge:
                return column
        return None

    def more_line(self, posts: list[int], left_out: int, some_listed: bool, width: int, base: Style) -> Text:
        """``+N more`` under the listed posts, or ``N posts`` when none fit; ``!`` if one of them is early."""
        assert self.shown is not None
        line = Text(" ", style=base)
        if any(self.shown.early(self.shown.posts[i]) for i in posts):
            line.append("!", style=self.style("grid--early"))
        line.append(f"+{left_out} more" if some_listed else counted(left_out, "post"), style=self.style("grid--more"))
        return fit(line, width)

    def day_posts(self, posts: list[int], room: int) -> tuple[list[int], int]:
        """Which of ``posts`` to list in ``room`` lines, one each (the cursor's always among them), and how many are left out."""
        if len(posts) <= room:
            return posts, 0
        if room <= 1:
            return [], len(posts)
        fits = room - 1  # the last line says "+N more"
        start = 0
        if self.cursor in posts and posts.index(self.cursor) >= fits:
            start = posts.index(self.cursor) - fits + 1
        return posts[start : start + fits], len(posts) - fits


class MonthGrid(DayGrid):
    """The weeks of the selected day's month; each day lists its posts, or how many it has."""

    _bands: tuple[tuple, list[tuple[int, int, list[dt.date | None]]]] = ((), [])

    def page_of(self, day: dt.date) -> tuple:
        return (day.year, day.month)

    def bands(self) -> tuple[int, list[tuple[int, int, list[dt.date | None]]]]:
        assert self.shown is not None
        key = (self.day.year, self.day.month, self.shown.week_start, self.size.height)
        if self._bands[0] != key:
            weeks = month_weeks(self.day.year, self.day.month, self.shown.week_start)
            bands, top = [], 1
            for week, rows in zip(weeks, self.week_rows(len(weeks), self.size.height)):
                bands.append((top, rows, week))
                top += rows
            self._bands = (key, bands)
        return 1, self._bands[1]

    def header(self, widths: list[int]) -> list[Text]:
        assert self.shown is not None
        return [
            Text.assemble(
                *(
                    fit(Text(" " + name, style=self.style("grid--weekday")), w)
                    for name, w in zip(weekday_names(self.shown.week_start), widths)
                )
            )
        ]

    @staticmethod
    def week_rows(weeks: int, height: int) -> list[int]:
        """The lines each week gets under the weekday names; the room left over goes to the first weeks."""
        rows, extra = divmod(max(weeks, height - 1), weeks)
        return [rows + (1 if number < extra else 0) for number in range(weeks)]

    def hit(self, x: int, y: int) -> tuple[dt.date, int | None] | None:
        column = self.column_at(x)
        if self.shown is None or column is None or y < 1:
            return None
        weeks = month_weeks(self.day.year, self.day.month, self.shown.week_start)
        top = 1
        for week, rows in zip(weeks, self.week_rows(len(weeks), self.size.height)):
            if y < top + rows:
                day = week[column]
                if day is None:
                    return None
                return day, self.post_at(day, column_widths(self.size.width)[column], rows - 1, y - top - 1)
            top += rows
        return None

    def cell(self, day: dt.date, width: int, rows: int) -> list[Text]:
        assert self.shown is not None
        base = self.cell_style(day)
        number_style = self.style("grid--day") if day.month == self.day.month else self.style("grid--other-month")
        head = Text(" ", style=base)
        head.append(f"{day.day:>2}", style=self.style("grid--today") if day == self.shown.today else number_style)
        posts = self.shown.on(day)
        if rows == 1 and posts:  # no line under the day: the count goes beside it
            head.append(f" ·{len(posts)}", style=self.style("grid--more"))
        lines = [fit(head, width)]
        drawn, left_out = self.posts_drawn(day, width, rows - 1, base)
        for _, post_lines in drawn:
            lines.extend(post_lines)
        if left_out and rows > 1:
            lines.append(self.more_line(posts, left_out, bool(drawn), width, base))
        while len(lines) < rows:
            lines.append(fit(Text("", style=base), width))
        return lines[:rows]


class WeekGrid(DayGrid):
    """The seven days of the selected day's week, as columns of posts with their times."""

    WRAP = True

    def page_of(self, day: dt.date) -> tuple:
        return (week_of(day, self.shown.week_start) if self.shown is not None else day,)

    def bands(self) -> tuple[int, list[tuple[int, int, list[dt.date | None]]]]:
        assert self.shown is not None
        return 0, [(0, self.size.height, week_days(self.day, self.shown.week_start))]

    def hit(self, x: int, y: int) -> tuple[dt.date, int | None] | None:
        column = self.column_at(x)
        if self.shown is None or column is None:
            return None
        day = week_days(self.day, self.shown.week_start)[column]
        if day is None:
            return None
        width = column_widths(self.size.width)[column]
        return day, self.post_at(day, width, self.size.height - 1, y - 1, with_time=True, split=self.split(width))

    @staticmethod
    def split(width: int) -> bool:
        """A narrow column: the time and marks on one line, the title under them."""
        return width < 20

    def cell(self, day: dt.date, width: int, height: int) -> list[Text]:
        assert self.shown is not None
        base = self.cell_style(day)
        head = Text(" ", style=base + self.style("grid--weekday"))
        head.append(f"{day:%a} {day.day}", style=self.style("grid--today") if day == self.shown.today else "")
        lines = [fit(head, width)]
        drawn, left_out = self.posts_drawn(day, width, height - 1, base, with_time=True, split=self.split(width))
        for _, post_lines in drawn:
            lines.extend(post_lines)
        if left_out:
            lines.append(self.more_line(self.shown.on(day), left_out, bool(drawn), width, base))
        while len(lines) < height:
            lines.append(fit(Text("", style=base), width))
        return lines[:height]
