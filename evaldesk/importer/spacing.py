"""How a line's letters are set: solid, with a few gaps that are spaces drawn only as advances."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def mostly_tight(gaps: Sequence[float], size: float) -> bool:
    """A line set solid: its letters (``gaps`` between them sorted, spacing taken off) touch but for a
    few gaps, at least three solid joints to each. A lone wider gap there is a space typed, which Qt
    draws as an advance a third of an em wide with no glyph (U+3000 included)."""
    if len(gaps) < 3:
        return False
    solid = bisect_left(gaps, 0.05 * size)
    return solid >= 3 * (len(gaps) - solid)
