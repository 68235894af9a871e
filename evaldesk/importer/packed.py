"""Characters of a page kept compactly between reading a page and cutting it into columns.

A ``Char`` object costs about 300 bytes (the object, six float objects, its string); a table of
2,000 pages holds four million of them while the column edges are worked out from all pages. Packed,
a character costs 42 bytes (five doubles and a UCS-2 code), and is unpacked again one page at a time.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import chain
from operator import attrgetter
from typing import overload

from evaldesk.importer.pdfchars import Char


class PackedChars(Sequence[Char]):
    """An immutable sequence of characters that makes each ``Char`` anew when it is read."""

    __slots__ = ("_nums", "_text")

    def __init__(self, chars: Sequence[Char]) -> None:
        self._nums = array("d", [v for c in chars for v in (c.x0, c.x1, c.top, c.bottom, c.size)])
        self._text = "".join(map(_TEXT, chars))

    @classmethod
    def from_boxes(cls, items: Sequence[tuple[str, float, float, float, float, float]]) -> PackedChars:
        """Packed straight from ``boxes()`` tuples, without making a ``Char`` for each."""
        packed = cls.__new__(cls)
        packed._nums = array("d", chain.from_iterable(item[1:] for item in items))
        packed._text = "".join(item[0] for item in items)
        return packed

    def __len__(self) -> int:
        return len(self._text)

    def __iter__(self) -> Iterator[Char]:
        n = self._nums
        return map(Char, self._text, n[0::5], n[1::5], n[2::5], n[3::5], n[4::5])

    @overload
    def __getitem__(self, index: int) -> Char: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Char]: ...
    def __getitem__(self, index: int | slice) -> Char | Sequence[Char]:
        if isinstance(index, slice):
            return list(self)[index]
        i = range(len(self))[index]
        k = 5 * i
        n = self._nums
        return Char(self._text[i], n[k], n[k + 1], n[k + 2], n[k + 3], n[k + 4])

    def boxes(self) -> Iterator[tuple[str, float, float, float, float, float]]:
        """(text, x0, x1, top, bottom, size) of each character, without making Char objects."""
        n = self._nums
        return zip(self._text, n[0::5], n[1::5], n[2::5], n[3::5], n[4::5], strict=True)

    def spans(self) -> Iterator[tuple[str, float, float]]:
        """(text, x0, x1) of each character."""
        n = self._nums
        return zip(self._text, n[0::5], n[1::5], strict=True)


_TEXT = attrgetter("text")


def pack(chars: Sequence[Char]) -> Sequence[Char]:
    """``chars`` packed when every one is a single character (always so from PDFium), else as given."""
    if set(map(len, map(_TEXT, chars))) <= {1}:
        return PackedChars(chars)
    return chars


def boxes(chars: Sequence[Char]) -> Iterator[tuple[str, float, float, float, float, float]]:
    """(text, x0, x1, top, bottom, size) of each character, packed or not."""
    if isinstance(chars, PackedChars):
        return chars.boxes()
    return ((c.text, c.x0, c.x1, c.top, c.bottom, c.size) for c in chars)


def merged_spans(chars: Sequence[Char], *, skip: Collection[str] = ()) -> list[tuple[float, float]]:
    """The x-intervals the printed characters of one page cover, overlapping ones merged: the same
    union as one interval per character, in a few dozen tuples instead of thousands. Characters in
    ``skip`` and spaces (U+3000 too, printed past a cell edge at a line end) are left out."""
    items = chars.spans() if isinstance(chars, PackedChars) else ((c.text, c.x0, c.x1) for c in chars)
    return merge_intervals([(x0, x1) for text, x0, x1 in items if not text.isspace() and text not in skip])


def mark_followers(
    chars: Sequence[Char],
    skip: Collection[str],
    xs: Sequence[float],
    *,
    others: Collection[int] | None = None,
) -> list[tuple[int, int]]:
    """For each x of sorted ``xs``: how many characters starting there follow a mark in ``skip`` close on
    their line (「推」 after the 「ィ」 of 「ダイバーシティ推進室」), and how many start there otherwise.
    The second count is made only for the indexes in ``others`` (all when None): it reads every
    character, the first only those after a mark."""
    packed = chars if isinstance(chars, PackedChars) else PackedChars(chars)
    text, n = packed._text, packed._nums
    counts = [[0, 0] for _ in xs]
    glued: set[int] = set()
    for m in _mark_re(skip).finditer(text):
        k = m.start()
        j = k + 1
        if j >= len(text) or text[j].isspace():
            continue
        a, b = 5 * k, 5 * j
        x0, size = n[b], n[b + 4]
        if (
            abs(n[b + 2] + n[b + 3] - n[a + 2] - n[a + 3]) >= 0.9 * size
            or not -0.1 * size <= x0 - n[a + 1] < 0.3 * size
        ):
            continue
        i = bisect_left(xs, x0 - 0.5)
        if i < len(xs) and xs[i] <= x0 + 0.5:
            counts[i][0] += 1
            glued.add(j)
    wanted = range(len(xs)) if others is None else sorted(others)
    if wanted:
        at = [xs[i] for i in wanted]
        for j, x0 in enumerate(n[0::5]):
            i = bisect_left(at, x0 - 0.5)
            if i < len(at) and at[i] <= x0 + 0.5 and j not in glued and not text[j].isspace():
                counts[wanted[i]][1] += 1
    return [(g, o) for g, o in counts]


_MARK_RES: dict[frozenset[str], re.Pattern[str]] = {}


def _mark_re(skip: Collection[str]) -> re.Pattern[str]:
    key = frozenset(skip)
    if key not in _MARK_RES:
        _MARK_RES[key] = re.compile("[" + "".join(re.escape(c) for c in sorted(key)) + "]")
    return _MARK_RES[key]


def merge_intervals(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of x-intervals as sorted, disjoint intervals (touching ones merged)."""
    out: list[tuple[float, float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            if x1 > out[-1][1]:
                out[-1] = (out[-1][0], x1)
        else:
            out.append((x0, x1))
    return out


def near(chars: Sequence[Char], xs: Sequence[float]) -> Sequence[Char]:
    """The characters within two of their sizes of any of ``xs`` (column boundaries and rules): all that
    the boundary checks look at, kept when the page's other characters are let go."""
    xs = sorted(xs)
    if not xs:
        return ()
    keep = [
        b
        for b in boxes(chars)
        if (i := bisect_left(xs, b[1] - 2 * b[5])) < len(xs) and xs[i] < b[2] + 2 * b[5]
    ]
    return PackedChars.from_boxes(keep)


Point = tuple[float, float, float, float, str]  # cy, x0, x1, size, text


def points(chars: Sequence[Char]) -> list[Point]:
    """A page's printed characters, top to bottom: sorted once per page, not once per boundary."""
    return sorted(
        ((top + bottom) / 2, x0, x1, size, text)
        for text, x0, x1, top, bottom, size in boxes(chars)
        if text != " "
    )


def near_each(pts: Sequence[Point], xs: Sequence[float]) -> dict[float, list[Point]]:
    """For each of the sorted ``xs``, the points within three sizes of it (see checks._lines_near), in
    one pass over the page instead of one per rule."""
    out: dict[float, list[Point]] = {x: [] for x in xs}
    for p in pts:
        for x in xs[bisect_right(xs, p[1] - 3 * p[3]) : bisect_left(xs, p[2] + 3 * p[3])]:
            out[x].append(p)
    return out


def free_gaps(spans: Iterable[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """The stretches of [lo, hi] no interval of ``spans`` covers, left to right."""
    gaps: list[tuple[float, float]] = []
    cursor = lo
    for a, b in sorted(spans):
        if b <= cursor:
            continue
        if a >= hi:
            break
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < hi:
        gaps.append((cursor, hi))
    return gaps
