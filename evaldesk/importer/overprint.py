"""Glyphs printed over other glyphs: where a cell's text runs on over the next cell's text.

A program that cannot wrap a cell's text (xhtml2pdf cannot wrap Japanese) prints it on past the cell's
edge, over the text of the cells beside it. The two texts then interleave letter by letter at one height,
and no reading of the page can tell which letter belongs to which cell: such a cell is doubted, never
guessed. Only the characters the checks keep near the column boundaries are looked at (an overflowing
text reaches the next cell's text right at its edge), so this costs nothing per character of the page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from evaldesk.importer.cells import HANGING
from evaldesk.importer.packed import Point, boxes
from evaldesk.importer.pdfchars import Char
from evaldesk.records import CellDoubt, ParsedRow

if TYPE_CHECKING:
    from evaldesk.importer.checks import Geometry

OVERPRINT_REASON = (
    "文字が重なり合って印刷されています（セルに収まらない文章が隣の列の文字の上に印刷されています）。"
    "どの文字がどの列のものか読み分けられないため、この列の文字を正しく読み取れていない可能性があります。"
)
# The share of the narrower letter's width that two neighbouring letters of one line both cover: in
# typeset text under 0.05 (kerning, Calc's fitted glyphs), in two interleaved texts d and 1 - d.
_OVERLAP = 0.25
_MIN_PAIRS = 2  # one pair alone is a mark or letter pushed over the edge, which the reader handles
_REACH = 3.0  # in font sizes: how close the overprinted pairs of one place lie

Doubt = Callable[[Sequence[ParsedRow], int, str, str, str, "Geometry"], CellDoubt]


def overprint_doubts(rows: Sequence[ParsedRow], geometry: Geometry, doubt: Doubt) -> list[CellDoubt]:
    """A doubt of kind ``overprint`` for each cell of a row whose text is printed over another's: the
    cells under the overprinted letters, and the cell left of where the later text starts, whose text
    ran on over its edge (the reader may have cut it anywhere, so not the column slice but the column
    order tells it)."""
    order = sorted(geometry.columns, key=lambda f: geometry.columns[f][0])
    out: list[CellDoubt] = []
    for page, chars in geometry.pages.items():
        for cy, x0, x1, start in overprinted(chars):
            i = _row_at(rows, page, cy)
            if i is None:
                continue
            fields = {f for f, (c0, c1) in geometry.columns.items() if c0 < x1 and x0 < c1}
            under = max((k for k, f in enumerate(order) if geometry.columns[f][0] <= start), default=None)
            if under is not None:
                fields.update(order[max(under - 1, 0) : under + 1])
            out += [doubt(rows, i, f, "overprint", OVERPRINT_REASON, geometry) for f in order if f in fields]
    return out


def overprinted(chars: Sequence[Char]) -> list[tuple[float, float, float, float]]:
    """(cy, x0, x1, start) of each place where glyphs of one line are printed over one another: at
    least two pairs of neighbouring letters (marks and punctuation left out), each overlapping by more
    than ``_OVERLAP`` of the narrower one's width; ``start`` is the centre of the later letter of the
    first pair, where the text printed over starts."""
    out: list[tuple[float, float, float, float]] = []
    for line in _lines(_letters(chars)):
        # Overlapping by less than a twentieth of the size, no pair counts: most are let go at once.
        pairs = [
            (a, b)
            for a, b in zip(line, line[1:], strict=False)
            if a[2] - b[1] > 0.05 * a[3] and _overprints(a, b)
        ]
        place: list[tuple[Point, Point]] = []
        for pair in pairs:
            if place and pair[0][1] - place[-1][1][2] > _REACH * pair[0][3]:
                out += _place(place)
                place = []
            place.append(pair)
        out += _place(place)
    return out


def _place(pairs: list[tuple[Point, Point]]) -> list[tuple[float, float, float, float]]:
    if len(pairs) < _MIN_PAIRS:
        return []
    a, b = pairs[0]
    return [(a[0], min(p[1] for p, _ in pairs), max(q[2] for _, q in pairs), (b[1] + b[2]) / 2)]


def _lines(pts: list[Point]) -> list[list[Point]]:
    """Points (sorted top to bottom) as lines, each left to right (see checks._lines_near)."""
    lines: list[list[Point]] = []
    for p in pts:
        if lines and abs(p[0] - lines[-1][0][0]) < 0.3 * p[3]:
            lines[-1].append(p)
        else:
            lines.append([p])
    for line in lines:
        line.sort(key=lambda p: p[1])
    return lines


def _overprints(a: Point, b: Point) -> bool:
    """Whether letter ``b`` (starting at or right of ``a``) is printed over ``a``. Not so: the same glyph
    drawn twice, a little shifted (fake bold); marks and punctuation (their boxes are small or hang over
    the next cell's text, see cells.HANGING); the pieces of one ligature glyph, which share its box."""
    _, a0, a1, size, ta = a
    _, b0, b1, _, tb = b
    if ta == tb:
        return False
    narrow = min(a1 - a0, b1 - b0)
    if narrow < 0.2 * size or (abs(b0 - a0) < 0.02 * size and abs(b1 - a1) < 0.02 * size):
        return False
    return min(a1, b1) - b0 > _OVERLAP * narrow


def _letters(chars: Sequence[Char]) -> list[Point]:
    """The letters and figures of :func:`~.packed.points`, top to bottom."""
    return sorted(
        ((top + bottom) / 2, x0, x1, size, text)
        for text, x0, x1, top, bottom, size in boxes(chars)
        if _letter(text)
    )


@cache
def _letter(text: str) -> bool:
    return len(text) == 1 and text not in HANGING and unicodedata.category(text)[0] in "LN"


def _row_at(rows: Sequence[ParsedRow], page: int, y: float) -> int | None:
    return next((i for i, row in enumerate(rows) if row.printed_at(page, y)), None)
