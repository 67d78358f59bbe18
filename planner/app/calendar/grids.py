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

from planner.app.calendar.days import Shown, month_weeks, post_title, week_days, week_of, weekday_names


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
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: Shown | None = None
        self.day = dt.date.today()
        self.cursor: int | None = None  # the selected post: its index in the plan's posts
        self._cells: dict[tuple, list[Text]] = {}  # each day cell's lines, by what it shows (see `_cell_key`)
        self._lines: dict[tuple, Strip] = {}  # each line on screen, by its y and what its cells show
        self._whole: list[Strip] | None = None  # every line at once, while a mouse selection is shown (see `render_line`)
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
        if drawn_with != self._drawn_with or len(self._lines) > 2000:  # a new plan, size, theme or mouse selection (or a long walk): draw afresh
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
        for top, rows, days in bands:
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
                self._whole = Visual.to_strips(self, visualize(self, self.render()), width, self.size.height, self.visual_style)
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

    def post_line(self, index: int, width: int, base: Style, with_time: bool = False, split: bool = False) -> list[Text]:
        """``!IG Title`` (``19:00 IG Title`` in the week): ``!`` flags a post before the SMM start.

        ``split`` puts the title on a line of its own, for narrow week columns.
        """
        assert self.shown is not None
        post = self.shown.posts[index]
        early = self.shown.early(post)
        style = base + (self.style("grid--cursor") if index == self.cursor else Style())
        line = Text(" ", style=style)
        if early:
            line.append("!", style=self.style("grid--early"))
        if with_time:
            line.append(f"{post.at:%H:%M} ")
        line.append(self.shown.mark(post), style=self.style("grid--mark"))
        title = Text(post_title(post), style=self.style("grid--early") if early else "")
        if split:
            return [fit(line, width), fit(Text.assemble(Text("  ", style=style), title, style=style), width)]
        line.append(" ")
        line.append_text(title)
        return [fit(line, width)]

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
        line.append(f"+{left_out} more" if some_listed else f"{left_out} posts", style=self.style("grid--more"))
        return fit(line, width)

    def day_posts(self, day: dt.date, room: int) -> tuple[list[int], int]:
        """The posts of ``day`` to list in ``room`` lines (the cursor's always among them) and how many are left out."""
        assert self.shown is not None
        posts = self.shown.on(day)
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
        return [Text.assemble(*(fit(Text(" " + name, style=self.style("grid--weekday")), w) for name, w in zip(weekday_names(self.shown.week_start), widths)))]

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
                listed, _ = self.day_posts(day, rows - 1)
                line = y - top - 1  # 0: the first post under the day's number
                return day, listed[line] if 0 <= line < len(listed) else None
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
        listed, left_out = self.day_posts(day, rows - 1)
        for index in listed:
            lines.extend(self.post_line(index, width, base))
        if left_out and rows > 1:
            lines.append(self.more_line(posts, left_out, bool(listed), width, base))
        while len(lines) < rows:
            lines.append(fit(Text("", style=base), width))
        return lines[:rows]


class WeekGrid(DayGrid):
    """The seven days of the selected day's week, as columns of posts with their times."""

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
        per_post = 2 if column_widths(self.size.width)[column] < 20 else 1
        listed, _ = self.day_posts(day, (self.size.height - 1) // per_post)
        line = (y - 1) // per_post
        return day, listed[line] if y >= 1 and line < len(listed) else None

    def cell(self, day: dt.date, width: int, height: int) -> list[Text]:
        assert self.shown is not None
        base = self.cell_style(day)
        head = Text(" ", style=base + self.style("grid--weekday"))
        head.append(f"{day:%a} {day.day}", style=self.style("grid--today") if day == self.shown.today else "")
        lines = [fit(head, width)]
        split = width < 20  # a narrow column: the time and mark on one line, the title under them (hit() knows)
        per_post = 2 if split else 1
        listed, left_out = self.day_posts(day, (height - 1) // per_post)
        for index in listed:
            lines.extend(self.post_line(index, width, base, with_time=True, split=split))
        if left_out:
            lines.append(self.more_line(self.shown.on(day), left_out, bool(listed), width, base))
        while len(lines) < height:
            lines.append(fit(Text("", style=base), width))
        return lines[:height]
