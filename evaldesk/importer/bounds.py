"""Column boundaries: between two header labels, at a vertical rule or the widest empty x-gap of the data."""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections.abc import Sequence

from evaldesk.importer.header import Columns, Header
from evaldesk.importer.packed import free_gaps, merge_intervals


def column_bounds(
    header: Header,
    coverage: Sequence[tuple[float, float]],
    *,
    rules: Sequence[float] = (),
    inside: Sequence[float] = (),
) -> Columns:
    """The column slices under the header labels.

    A header label lies inside its cell, so a boundary lies between two neighbouring labels. A
    vertical rule running down the data there is the boundary; two such rules enclose a column with
    no label of its own. Without rules the boundary is the widest empty x-gap of the data there;
    ``coverage`` leaves out marks that may hang past a cell's edge, and a gap that ends at one of the
    x in ``inside`` (where every letter follows such a mark closely) lies inside words: no boundary.
    """
    merged = merge_intervals(coverage)
    if inside:
        merged = _close_inside(merged, inside)
    bounds: list[float] = []
    fields: list[str] = [header.labels[0][0]]
    for left, right in itertools.pairwise(header.labels):
        ruled = _distinct([x for x in rules if left[2] - 0.5 <= x <= right[1] + 0.5])
        if ruled:
            bounds.extend(ruled)
            fields.extend([""] * (len(ruled) - 1))
        elif left[2] < right[1]:
            bounds.append(_valley(merged, left, right, lo=left[2], hi=right[1], ends=True))
        else:  # labels printed closer than their cells: look between their centres
            lo, hi = (left[1] + left[2]) / 2, (right[1] + right[2]) / 2
            bounds.append(_valley(merged, left, right, lo=lo, hi=hi, ends=False))
        fields.append(right[0])
    return Columns(tuple(fields), tuple(bounds))


def _distinct(xs: Sequence[float]) -> list[float]:
    """Rules closer than 2 pt are one (a grid drawn cell by cell strokes each border twice)."""
    out: list[float] = []
    for x in sorted(xs):
        if out and x - out[-1] < 2.0:
            continue
        out.append(x)
    return out


def _valley(
    merged: Sequence[tuple[float, float]],
    left: tuple[str, float, float],
    right: tuple[str, float, float],
    *,
    lo: float,
    hi: float,
    ends: bool,
) -> float:
    """The middle of the widest empty x-gap of the data between ``lo`` and ``hi``.

    Between the labels' own edges (``ends``) a gap touching either edge counts like any other: text
    right-aligned in the left column or centred in the right one leaves exactly such a gap.
    """
    gaps = free_gaps(merged, lo, hi)
    # Between label centres a gap running up to the right centre lies inside the right column when
    # its text is short and left-aligned: the boundary only when the data leave no other gap.
    if not ends and len(gaps) > 1 and gaps[-1][1] == hi:
        gaps.pop()
    if not gaps:
        return (left[2] + right[1]) / 2
    best = max(gaps, key=lambda g: g[1] - g[0])
    # Text of the right column starts at the gap's end; the left column's hanging marks and trailing
    # spaces reach into the gap from the left: the boundary goes next to the right column's text.
    return max((best[0] + best[1]) / 2, best[1] - 1.0)


def _close_inside(merged: list[tuple[float, float]], inside: Sequence[float]) -> list[tuple[float, float]]:
    """``merged`` with every gap that ends where letters follow a mark inside a word closed."""
    out = [merged[0]] if merged else []
    for x0, x1 in merged[1:]:
        i = bisect_left(inside, x0 - 0.5)
        if i < len(inside) and inside[i] <= x0 + 0.5:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out
