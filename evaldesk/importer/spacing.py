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
    """``lines`` with the column's tracking taken off: a line spread by it is set as an unspread one."""
    if not tracking:
        return lines
    return [
        replace(ln, spread=0.0, even=False)  # type: ignore[type-var]
        if ln.spread > 0 and abs(ln.spread - tracking) <= 0.03 * ln.size
        else ln
        for ln in lines
    ]
