"""How a line's letters are set: solid, with a few gaps that are spaces drawn only as advances."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol, TypeVar


def mostly_tight(gaps: Sequence[float], size: float) -> bool:
    """A line set solid: its letters (``gaps`` between them sorted, spacing taken off) touch but for a
    few gaps, at least three solid joints to each. A lone wider gap there is a space typed, which Qt
    draws as an advance a third of an em wide with no glyph (U+3000 included)."""
    if len(gaps) < 3:
        return False
    solid = bisect_left(gaps, 0.05 * size)
    return solid >= 3 * (len(gaps) - solid)


class _Spread(Protocol):
    text: str
    x1: float
    size: float
    spread: float
    even: bool
    reach: float


def column_tracking(lines: Sequence[_Spread], edge: float) -> float:
    """The letter spacing a column is tracked with (a text object's character spacing), or 0.

    A typesetter spreads a justified line by its own slack, to the edge; a line ending short of the
    edge, with room left for another letter, it does not spread at all. Two or more such short lines
    spread alike (and most short spread lines so) show the spacing is the producer's tracking: it says
    nothing about a line being full, nor about spaces hidden where a line wraps."""
    short = sorted(
        ln.spread for ln in lines if ln.spread > 0 and ln.text and edge - ln.x1 > 1.5 * ln.size + ln.spread
    )
    if len(short) < 2:
        return 0.0
    mid = short[len(short) // 2]
    size = max(ln.size for ln in lines)
    alike = sum(1 for s in short if abs(s - mid) <= 0.03 * size)
    return mid if alike >= 2 and alike >= 0.8 * len(short) else 0.0


_L = TypeVar("_L", bound=_Spread)


def untracked(lines: list[_L], tracking: float) -> list[_L]:
    """``lines`` with the document's tracking taken off: a line spread by it is set as an unspread one,
    and every line ends where its last letter's spacing does (the room the next letter needed)."""
    if not tracking:
        return lines
    return [
        replace(  # type: ignore[type-var]
            ln,
            spread=0.0 if abs(ln.spread - tracking) <= 0.03 * ln.size else ln.spread,
            even=ln.even and abs(ln.spread - tracking) > 0.03 * ln.size,
            reach=ln.reach + tracking,
        )
        for ln in lines
    ]


def document_tracking(per_column: Sequence[float]) -> float:
    """One producer tracks every column alike: the spacing the columns that show it agree on (a
    narrow column's lines, all short of four letters or all full, show none of their own)."""
    found = sorted(t for t in per_column if t > 0)
    if not found or found[-1] - found[0] > 0.1 * found[0] + 0.05:
        return 0.0
    return found[len(found) // 2]
