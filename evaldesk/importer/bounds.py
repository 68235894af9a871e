"""Column boundaries: between two header labels, at a vertical rule or the widest empty x-gap of the data."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from evaldesk.importer.header import Columns, Header
from evaldesk.importer.packed import free_gaps, merge_intervals


def column_bounds(
    header: Header,
    coverage: Sequence[tuple[float, float]],
    *,
    rules: Sequence[float] = (),
    solid: Sequence[tuple[float, float]] | None = None,
) -> Columns:
    """The column slices under the header labels.

    A header label lies inside its cell, so a boundary lies between two neighbouring labels. A
    vertical rule running down the data there is the boundary; two such rules enclose a column with
    no label of its own. Without rules the boundary is the widest empty x-gap of the data there.
    ``coverage`` leaves out the marks that may hang past a cell's edge (、。ー ィ ...); ``solid``, every
    character. A gap empty of both is preferred: where such a mark sits inside a word
    (「ダイバーシティ推進室」), leaving it out opens a gap in the middle of the column.
    """
    merged = (
        [merge_intervals(solid), merge_intervals(coverage)]
        if solid is not None
        else [merge_intervals(coverage)]
    )
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
    covers: Sequence[Sequence[tuple[float, float]]],
    left: tuple[str, float, float],
    right: tuple[str, float, float],
    *,
    lo: float,
    hi: float,
    ends: bool,
) -> float:
    """The middle of the widest empty x-gap of the data between ``lo`` and ``hi``, in the first of
    ``covers`` that leaves one.

    Between the labels' own edges (``ends``) a gap touching either edge counts like any other: text
    right-aligned in the left column or centred in the right one leaves exactly such a gap.
    """
    gaps: list[tuple[float, float]] = []
    for merged in covers:
        gaps = free_gaps(merged, lo, hi)
        # Between label centres a gap running up to the right centre lies inside the right column when
        # its text is short and left-aligned: the boundary only when the data leave no other gap.
        if not ends and len(gaps) > 1 and gaps[-1][1] == hi:
            gaps.pop()
        if gaps:
            break
    if not gaps:
        return (left[2] + right[1]) / 2
    best = max(gaps, key=lambda g: g[1] - g[0])
    # Text of the right column starts at the gap's end; the left column's hanging marks and trailing
    # spaces reach into the gap from the left: the boundary goes next to the right column's text.
    return max((best[0] + best[1]) / 2, best[1] - 1.0)
