"""Three-way merge of a plan by entry and field: what `planner merge-driver` does for git.

Given the common ancestor (base), our version and their version, the merge
takes our file as it is and applies their changes to it as edits, through
the same comment-preserving document engine the app saves with
(`planner.plan.document`). So our comments and layout stay byte for byte,
and lines we did not touch keep their spelling.

* Entries of the arrays of tables (SMO items, platforms, posts,
  competitors) are matched by identity (``id`` or ``name``; a pure rename
  is followed, `planner.plan.diff.renames`), never by their place.
* A field changed on one side only takes that side's value. Changes to
  different entries, or to different fields of one entry, never conflict.
* An entry they added is added after the entry it follows on their side,
  written as they wrote it (its comment lines, its layout) when that reads
  as its data. Entries added on both sides are both kept (`planner check`
  warns when two look like the same post).
* An entry they deleted is deleted when we did not change it; an entry we
  deleted stays deleted when they did not change it.
* The same field changed to different values on both sides, or an entry
  changed on one side and deleted on the other, is a conflict: the file
  gets conflict markers around that field's lines only (or the entry's),
  each side written as it was.

The result is proved before it is used: it must read back as our data with
their changes applied (`Unmergeable` otherwise, as for a plan whose layout
the document engine cannot edit, or whose entries cannot be matched: the
caller then merges line by line, as git would).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from planner.errors import PlannerError
from planner.plan import source as source_mod
from planner.plan.conflicts import OURS, SPLIT, THEIRS
from planner.plan.diff import ARRAY_AT, MISSING, EntryArray, identities, renames, same, shown, without
from planner.plan.edits import AddEntry, DeleteEntry, Edit, SetField, apply_to_data
from planner.plan.limits import over_a_limit
from planner.plan.locate import header_lines, statement_spans
from planner.plan.plan_file import same_data
from planner.plan.problems import KeyPath, dotted


class Unmergeable(Exception):
    """The versions cannot be merged by entry (``reason`` says why); merge them line by line instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """A change both sides made differently.

    ``kind`` is "field" (the same key set to different values), "deleted by
    us" (we deleted an entry they changed) or "deleted by them". ``entry`` is
    the entry's identity on our side (``theirs_entry`` on theirs), ``key``
    the key path below the entry (from the top for a table that is not an
    entry). ``line`` is where its ``<<<<<<<`` marker is in the result.
    """

    kind: str
    array: EntryArray | None
    entry: str | None
    theirs_entry: str | None
    key: KeyPath
    base: Any
    ours: Any
    theirs: Any
    anchor: str | None = None  # "deleted by us": the entry on our side it follows on theirs
    line: int = 0

    def where(self) -> str:
        if self.array is None:
            return dotted(self.key)
        entry = f"{self.array.noun} {self.entry or self.theirs_entry!r}"
        return f"{dotted(self.key)} of {entry}" if self.key else entry

    def describe(self) -> str:
        if self.kind == "deleted by us":
            return f"conflict: we deleted {self.where()}, they changed it"
        if self.kind == "deleted by them":
            return f"conflict: they deleted {self.where()}, we changed it"
        return f"conflict over {self.where()}: ours {shown(self.ours)}, theirs {shown(self.theirs)}"


@dataclass
class MergeResult:
    text: str
    conflicts: list[MergeConflict] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)  # their changes, as applied to our file


# -- the merge of the data: their changes as edits to ours ----------------------------------


@dataclass
class _Live:
    """Our entries of one array, by identity, as the merge's edits change them."""

    ids: list[str]
    position: dict[str, int]

    @classmethod
    def of(cls, ids: Mapping[str, int]) -> _Live:
        ordered = sorted(ids, key=ids.__getitem__)
        return cls(ordered, {ident: index for index, ident in enumerate(ordered)})

    def rename(self, old: str, new: str) -> None:
        index = self.position.pop(old)
        self.ids[index] = new
        self.position[new] = index


@dataclass
class _Replaced:
    """An entry only they changed: ``self.edits[first:last]`` are their changes to it, as edits to ours."""

    array: KeyPath
    base: int  # its index in each version
    ours: int
    theirs: int
    first: int
    last: int = 0


class _Merger:
    def __init__(
        self, base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any], theirs_text: str
    ) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.theirs_text = theirs_text
        self.edits: list[Edit] = []
        self.later: list[Edit] = []  # deletions and additions, after every field edit (indexes stay put until then)
        self.conflicts: list[MergeConflict] = []
        self.live: dict[KeyPath, _Live] = {}
        self.theirs_of: dict[KeyPath, dict[str, str]] = {}  # per array: our identity -> theirs
        self.replaced: list[_Replaced] = []

    def run(self) -> None:
        self.keys((), self.base, self.ours, self.theirs, None, None)
        self.edits += self.later

    # -- tables and fields ------------------------------------------------------------

    def path(self, array: EntryArray | None, entry: str | None, sub: KeyPath) -> KeyPath:
        if array is None:
            return sub
        return (*array.path, self.live[array.path].position[entry], *sub)  # type: ignore[index]

    def keys(
        self,
        sub: KeyPath,
        o: Mapping[str, Any],
        a: Mapping[str, Any],
        b: Mapping[str, Any],
        array: EntryArray | None,
        entry: str | None,
    ) -> None:
        """Merge the keys of one table: ``sub`` is its path (below the entry ``entry`` of ``array``, if any)."""
        for key in _union(a, b, o):
            child = (*sub, key)
            if array is None and child in ARRAY_AT:
                self.array(ARRAY_AT[child], o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING))
                continue
            ov, av, bv = o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING)
            if isinstance(av, Mapping) and isinstance(bv, Mapping):
                self.keys(child, ov if isinstance(ov, Mapping) else {}, av, bv, array, entry)
            elif array is None and av is MISSING and ov is MISSING and isinstance(bv, Mapping):
                self.keys(child, {}, {}, bv, None, None)  # a table they added: written with its header
            else:
                self.value(sub, key, ov, av, bv, array, entry)

    def value(
        self, sub: KeyPath, key: str, ov: Any, av: Any, bv: Any, array: EntryArray | None, entry: str | None
    ) -> None:
        if same(av, bv) or same(ov, bv):
            return
        if same(ov, av):
            self.edits.append(
                SetField(
                    self.path(array, entry, sub),
                    key,
                    None if bv is MISSING else bv,
                    label=f"merge {dotted((*sub, key))}",
                )
            )
            return
        theirs = None if array is None else self.theirs_of[array.path].get(entry)  # type: ignore[arg-type]
        self.conflicts.append(MergeConflict("field", array, entry, theirs, (*sub, key), ov, av, bv))

    # -- arrays of entries ---------------------------------------------------------------

    def array(self, array: EntryArray, ov: Any, av: Any, bv: Any) -> None:
        o, a, b = ([] if v is MISSING else v for v in (ov, av, bv))
        if not all(isinstance(v, list) and all(isinstance(e, Mapping) for e in v) for v in (o, a, b)):
            self.value(array.path[:-1], str(array.path[-1]), ov, av, bv, None, None)
            return
        o_ids, a_ids, b_ids = (identities(v, array.key) for v in (o, a, b))
        if o_ids is None or a_ids is None or b_ids is None:
            if same(a, b) or same(o, b):
                return
            raise Unmergeable(
                f"[[{dotted(array.path)}]] has an entry without a {array.key}, or two with the same {array.key}"
            )
        live = self.live[array.path] = _Live.of(a_ids)
        ours_renamed = renames(o, o_ids, a, a_ids, array.key)
        theirs_renamed = renames(o, o_ids, b, b_ids, array.key)
        ours_of: dict[str, str] = {}  # their identity -> ours, for the entries both have
        self.theirs_of[array.path] = {}
        deleted: list[str] = []
        theirs_only: list[MergeConflict] = []
        for ident, index in o_ids.items():
            mine = ours_renamed.get(ident, ident if ident in a_ids else None)
            theirs = theirs_renamed.get(ident, ident if ident in b_ids else None)
            base = o[index]
            if mine is not None and theirs is not None:
                ours_of[theirs] = mine
                self.entry(array, base, a[a_ids[mine]], b[b_ids[theirs]], mine, (index, a_ids[mine], b_ids[theirs]))
            elif mine is not None:  # they deleted it
                if same(without(base, array.key), without(a[a_ids[mine]], array.key)):
                    deleted.append(mine)
                else:
                    self.conflicts.append(
                        MergeConflict("deleted by them", array, mine, None, (), base, a[a_ids[mine]], MISSING)
                    )
            elif theirs is not None and not same(without(base, array.key), without(b[b_ids[theirs]], array.key)):
                theirs_only.append(
                    MergeConflict("deleted by us", array, None, theirs, (), base, MISSING, b[b_ids[theirs]])
                )
        added: list[tuple[str | None, str]] = []  # (our entry it follows, their new entry)
        follows: str | None = None
        known = set(o_ids) | set(theirs_renamed.values())
        for ident in b_ids:
            if ident in ours_of:
                follows = ours_of[ident]
            elif ident not in known and ident in a_ids:  # both added it: merged field by field
                ours_of[ident] = ident
                self.entry(array, {}, a[a_ids[ident]], b[b_ids[ident]], ident, None)
                follows = ident
            elif ident not in known:
                added.append((follows, ident))
        order = list(b_ids)
        self.conflicts += [replace(c, anchor=_follows(order, c.theirs_entry, ours_of)) for c in theirs_only]
        self.later += self._deletions(array, live, deleted)
        ours_only = set(a_ids) - set(o_ids) - set(ours_renamed.values()) - set(ours_of.values())
        self.later += self._additions(array, live, added, b, b_ids, ours_only)

    def entry(
        self,
        array: EntryArray,
        o: Mapping[str, Any],
        a: Mapping[str, Any],
        b: Mapping[str, Any],
        mine: str,
        places: tuple[int, int, int] | None,
    ) -> None:
        """Merge one entry both sides have (``mine``: its identity on our side; ``places``: its index in base, ours and theirs)."""
        ov, bv = o.get(array.key, MISSING), b[array.key]
        self.theirs_of[array.path][mine] = bv
        if o == b and same(o, b):
            return  # they changed nothing in it (most entries)
        first = len(self.edits)
        untouched = places is not None and o == a and same(o, a)  # only they changed it: their text may replace ours
        if untouched:
            self.replaced.append(_Replaced(array.path, *places, first))  # type: ignore[misc,call-arg]  # places: three indexes
        if mine != bv and not same(ov, bv):
            if same(ov, mine):  # they renamed it
                self.edits.append(SetField(self.path(array, mine, ()), array.key, bv, label=f"merge rename {mine}"))
                self.live[array.path].rename(mine, bv)
                self.theirs_of[array.path][bv] = self.theirs_of[array.path].pop(mine)
                mine = bv
            else:
                self.conflicts.append(MergeConflict("field", array, mine, bv, (array.key,), ov, mine, bv))
        self.keys((), without(o, array.key), without(a, array.key), without(b, array.key), array, mine)
        if untouched:
            self.replaced[-1].last = len(self.edits)

    def _deletions(self, array: EntryArray, live: _Live, deleted: list[str]) -> list[Edit]:
        gone = sorted((live.position[ident] for ident in deleted), reverse=True)  # from the end: no index moves
        edits: list[Edit] = [DeleteEntry(array.path, index, label=f"merge delete {live.ids[index]}") for index in gone]
        if gone:
            going = set(deleted)
            keep = [ident for ident in live.ids if ident not in going]
            live.ids[:] = keep
            live.position.clear()
            live.position.update({ident: index for index, ident in enumerate(keep)})
        return edits

    def _additions(
        self,
        array: EntryArray,
        live: _Live,
        added: list[tuple[str | None, str]],
        b: list[Any],
        b_ids: dict[str, int],
        ours_only: set[str],
    ) -> list[Edit]:
        """Their new entries, each after the entry it follows on their side (and after entries only we added there)."""
        if not added:
            return []
        regions = entry_regions(self.theirs_text, array.path, len(b))
        groups: dict[str | None, list[str]] = {}
        for follows, ident in added:
            groups.setdefault(follows if follows in live.position else None, []).append(ident)
        places = {}
        for follows in groups:
            start = 0 if follows is None else live.position[follows] + 1
            while start < len(live.ids) and live.ids[start] in ours_only:
                start += 1
            places[follows] = start
        edits: list[Edit] = []
        # From the last place up: each insertion leaves the places before it as they were.
        for follows in sorted(groups, key=places.__getitem__, reverse=True):
            start = places[follows]
            for offset, ident in enumerate(groups[follows]):
                text = _as_lf(self.theirs_text, *regions[b_ids[ident]]) if regions is not None else ""
                edits.append(
                    AddEntry(array.path, b[b_ids[ident]], start + offset, label=f"merge add {ident}", text=text)
                )
        ids = list(live.ids)
        for follows in sorted(groups, key=places.__getitem__, reverse=True):
            ids[places[follows] : places[follows]] = groups[follows]
        live.ids[:] = ids
        live.position.clear()
        live.position.update({ident: index for index, ident in enumerate(ids)})
        return edits


def _follows(b_order: list[str], ident: str | None, ours_of: Mapping[str, str]) -> str | None:
    """Our entry that the entry ``ident`` follows on their side (the nearest one before it that we have)."""
    if ident is None or ident not in b_order:
        return None
    for before in reversed(b_order[: b_order.index(ident)]):
        if before in ours_of:
            return ours_of[before]
    return None


def _union(*tables: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for table in tables:
        for key in table:
            if key not in seen:
                seen.add(key)
                out.append(key)
    return out


# -- their entries as they wrote them ---------------------------------------------------------


def entry_regions(text: str, array: KeyPath, count: int) -> list[tuple[int, int]] | None:
    """Where each ``[[array]]`` entry of ``text`` is written (None if the headers found are not ``count``).

    An entry's region runs from the comment lines directly above its header
    to the end of its last key's line; blank lines and comments after that
    belong to what comes next. Found from the header lines alone (fast):
    whatever a merge does with it is proved by reading the result back.
    """
    headers = header_lines(text)
    following = {
        offset: after for (_, _, offset), (_, _, after) in zip(headers, [*headers[1:], ((), False, len(text))])
    }
    regions = []
    for parts, is_array, start in headers:
        if not (is_array and parts == tuple(array)):
            continue
        end = following[start]
        while end > start:  # back over the blank lines and comments after the keys
            line_start = text.rfind("\n", start, end - 1) + 1
            if line_start <= start:
                break  # the header's own line
            line = text[line_start:end]
            if line.strip() and not line.lstrip().startswith("#"):
                break
            end = line_start
        while start > 0:  # up over the comment lines directly above the header
            line_start = text.rfind("\n", 0, start - 1) + 1
            if not text[line_start:start].lstrip().startswith("#"):
                break
            start = line_start
        regions.append((start, end))
    return regions if len(regions) == count else None


def _as_lf(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with LF line endings (the result gets the file's own when written)."""
    part = text[start:end].replace("\r\n", "\n")
    return part if part.endswith("\n") else part + "\n"


# -- conflict markers ---------------------------------------------------------------------------


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole lines around ``text[start:end]``: from the start of the first to after the newline of the last."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last + 1


def _lines_of(text: str, spans: Mapping[KeyPath, tuple[int, int]], path: KeyPath) -> str | None:
    """The lines of ``text`` that write ``path`` (the nearest written ancestor's, for a key inside an inline table)."""
    for end in range(len(path), 0, -1):
        span = spans.get(path[:end])
        if span is not None:
            first, last = _line_bounds(text, *span)
            return text[first:last]
    return None


def _theirs_path(conflict: MergeConflict, theirs: Mapping[str, Any]) -> KeyPath | None:
    if conflict.array is None:
        return conflict.key
    ids = identities(_entries(theirs, conflict.array.path), conflict.array.key) or {}
    if conflict.theirs_entry not in ids:
        return None
    return (*conflict.array.path, ids[conflict.theirs_entry], *conflict.key)


def _entries(data: Mapping[str, Any], path: KeyPath) -> list[Any]:
    node: Any = data
    for part in path:
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, list) else []


def _mark(
    text: str,
    conflicts: list[MergeConflict],
    live: Mapping[KeyPath, _Live],
    theirs_text: str,
    theirs: Mapping[str, Any],
) -> tuple[str, list[MergeConflict]]:
    """``text`` with conflict markers around each conflict's lines; the conflicts with their lines."""
    if not text.endswith("\n"):
        text += "\n"  # markers go on lines of their own, the last one too
    spans = statement_spans(text)
    theirs_spans = statement_spans(theirs_text)
    regions: dict[
        tuple[int, int], tuple[str, list[int]]
    ] = {}  # our lines (offsets) -> their lines, the conflicts there
    for number, conflict in enumerate(conflicts):
        array = conflict.array
        if array is not None and conflict.entry is not None:
            ours_path: KeyPath = (*array.path, live[array.path].position[conflict.entry], *conflict.key)
        elif array is not None:
            ours_path = ()
        else:
            ours_path = conflict.key
        theirs_path = _theirs_path(conflict, theirs)
        their_lines = (
            ""
            if theirs_path is None or conflict.theirs is MISSING
            else (_lines_of(theirs_text, theirs_spans, theirs_path) or "")
        )
        their_lines = their_lines.replace("\r\n", "\n")
        span = spans.get(ours_path) if ours_path else None
        if span is None and ours_path and conflict.ours is not MISSING:
            span = next(
                (spans[ours_path[:end]] for end in range(len(ours_path) - 1, 0, -1) if ours_path[:end] in spans), None
            )
        if span is not None and conflict.ours is not MISSING:
            first, last = _line_bounds(text, *span)
        else:  # not on our side: the lines go after what they follow
            first = last = _insertion_point(text, spans, conflict, live)
        key = (first, last)
        if key in regions:  # two conflicts on one line (two handles of one inline table)
            theirs_so_far, numbers = regions[key]
            if their_lines not in theirs_so_far:
                theirs_so_far += their_lines
            regions[key] = (theirs_so_far, [*numbers, number])
        else:
            regions[key] = (their_lines, [number])
    merged: list[tuple[int, int, str, list[int]]] = []  # regions that overlap become one
    for (first, last), (their_lines, numbers) in sorted(regions.items()):
        if merged and first < merged[-1][1]:
            start, end, theirs_so_far, before = merged[-1]
            merged[-1] = (start, max(end, last), theirs_so_far + their_lines, before + numbers)
        else:
            merged.append((first, last, their_lines, numbers))
    out = []
    position = 0
    lines_before = 0
    marked = list(conflicts)
    for first, last, their_lines, numbers in merged:
        ours_text = text[first:last]
        chunk = text[position:first]
        out.append(chunk)
        lines_before += chunk.count("\n")
        for number in numbers:
            marked[number] = replace(marked[number], line=lines_before + 1)
        block = f"{OURS} ours\n{_ended(ours_text)}{SPLIT}\n{_ended(their_lines)}{THEIRS} theirs\n"
        out.append(block)
        lines_before += block.count("\n")
        position = last
    out.append(text[position:])
    return "".join(out), marked


def _ended(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _insertion_point(
    text: str, spans: Mapping[KeyPath, tuple[int, int]], conflict: MergeConflict, live: Mapping[KeyPath, _Live]
) -> int:
    """Where lines that are only on their side go: after the entry's keys, or the entry it follows, else at the end."""
    array = conflict.array
    if array is not None:
        ids = live[array.path]
        if conflict.entry is not None and conflict.entry in ids.position:
            owner: KeyPath | None = (*array.path, ids.position[conflict.entry], *conflict.key[:-1])
        elif conflict.anchor is not None and conflict.anchor in ids.position:
            owner = (*array.path, ids.position[conflict.anchor])
        elif ids.ids:
            owner = (*array.path, len(ids.ids) - 1)
        else:
            owner = None
    else:
        owner = conflict.key[:-1] or None
    span = spans.get(owner) if owner else None
    return len(text) if span is None else _line_bounds(text, *span)[1]


# -- the merge ---------------------------------------------------------------------------------


def _data(text: str, which: str) -> dict[str, Any]:
    try:
        data = source_mod.loads(text)
    except source_mod.TOMLDecodeError as error:
        raise Unmergeable(f"{which} is not valid TOML ({error})") from None
    except RecursionError:
        raise Unmergeable(f"{which} nests too deep") from None
    if over_a_limit(data):
        raise Unmergeable(f"{which} is over planner's size limits")
    return data


def merge_texts(base: str, ours: str, theirs: str) -> MergeResult:
    """Their changes since ``base`` applied to ``ours`` (texts without a byte order mark), with conflicts marked."""
    o, a, b = _data(base, "the common ancestor"), _data(ours, "our version"), _data(theirs, "their version")
    merger = _Merger(o, a, b, theirs)
    merger.run()
    if not merger.edits and not merger.conflicts:
        return MergeResult(ours)
    counts = {array: (len(_entries(o, array)), len(_entries(a, array)), len(_entries(b, array))) for array in ARRAY_AT}
    for edit in merger.edits:  # what the result must read back as
        try:
            apply_to_data(a, edit)
        except PlannerError as error:
            raise Unmergeable(f"their change cannot be made to ours: {error}") from None
    text, rest = _spliced(base, ours, theirs, merger, counts)
    text, rest = _appended(text, rest, {array: n[1] for array, n in counts.items()})
    merged = _edited(text, rest)
    proved = _reads_as(merged, a)
    if not proved and text is not ours:  # what the text shortcuts did is not proved: edit ours instead
        merged = _edited(ours, merger.edits)
        proved = _reads_as(merged, a)
    if not proved:
        raise Unmergeable("the merged plan does not read back as merged; please report this")
    conflicts = merger.conflicts
    if conflicts:
        merged, conflicts = _mark(merged, conflicts, merger.live, theirs, b)
    return MergeResult(merged, conflicts, merger.edits)


def _edited(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` made by the comment-preserving document engine."""
    if not edits:
        return text
    from planner.plan.document import Document  # tomlkit: only when a merge needs it

    document = Document(text)
    for edit in edits:
        try:
            document.apply(edit)
        except PlannerError as error:
            raise Unmergeable(f"their change cannot be written into our file: {error}") from None
    return document.dumps()


def _reads_as(text: str, data: Mapping[str, Any]) -> bool:
    try:
        return same_data(source_mod.loads(text), data)
    except (source_mod.TOMLDecodeError, RecursionError):
        return False


def _spliced(
    base: str, ours: str, theirs: str, merger: _Merger, counts: Mapping[KeyPath, tuple[int, int, int]]
) -> tuple[str, list[Edit]]:
    """Ours with each entry only they changed written as they wrote it (when ours is still as the base wrote it); the edits left.

    Their comments and layout in that entry come along, and the document
    engine is not needed for it (it is the slow part on a large plan).
    """
    if not merger.replaced:
        return ours, merger.edits
    regions: dict[tuple[str, KeyPath], list[tuple[int, int]] | None] = {}

    def region(which: str, text: str, array: KeyPath, index: int) -> tuple[int, int] | None:
        if (which, array) not in regions:
            regions[which, array] = entry_regions(text, array, counts[array][("base", "ours", "theirs").index(which)])
        found = regions[which, array]
        return None if found is None else found[index]

    splices: list[tuple[int, int, str]] = []
    done: set[int] = set()
    for entry in merger.replaced:
        mine, old, new = (
            region("ours", ours, entry.array, entry.ours),
            region("base", base, entry.array, entry.base),
            region("theirs", theirs, entry.array, entry.theirs),
        )
        if (
            mine is None
            or old is None
            or new is None
            or ours[mine[0] : mine[1]].replace("\r\n", "\n") != base[old[0] : old[1]].replace("\r\n", "\n")
        ):
            continue
        splices.append((*mine, _as_lf(theirs, *new)))
        done.update(range(entry.first, entry.last))
    if not splices:
        return ours, merger.edits
    pieces: list[str] = []  # one pass: splicing each into a copy of the whole text costs a copy per entry
    at = 0
    for start, end, written in sorted(splices):
        pieces += [ours[at:start], written]
        at = end
    pieces.append(ours[at:])
    return "".join(pieces), [edit for number, edit in enumerate(merger.edits) if number not in done]


def _appended(text: str, edits: list[Edit], counts: Mapping[KeyPath, int]) -> tuple[str, list[Edit]]:
    """When all that is left is their new entries (written as they wrote them), ``text`` with them, as text; else as it was."""
    if not edits or not all(isinstance(e, AddEntry) and e.text and e.index and tuple(e.array) in counts for e in edits):
        return text, edits
    for array in dict.fromkeys(tuple(e.array) for e in edits):  # type: ignore[union-attr]
        regions = entry_regions(text, array, counts[array])
        if not regions:
            return text, edits
        cuts = [end for _, end in regions]
        pieces = [text[start:end] for start, end in zip([0, *cuts[:-1]], cuts)]
        tail = text[cuts[-1] :]
        for edit in edits:
            if tuple(edit.array) == array:  # type: ignore[union-attr]
                pieces.insert(edit.index, "\n" + edit.text)  # type: ignore[union-attr, arg-type]
        text = "".join(pieces) + tail
    return text, []
