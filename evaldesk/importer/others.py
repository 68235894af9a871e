"""Header cells that name none of our fields (予算額, 評価, 備考 ...): their columns are read and thrown away."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import partial

from evaldesk.importer.segments import MAX_STACK, Segment, norm_label, segment


def other_labels(
    segments: Sequence[Segment],
    labels: list[tuple[str, Segment]],
    *,
    top: float,
    bottom: float,
    max_label: int,
) -> tuple[list[tuple[str, float, float]], float, float]:
    """Header cells that name none of our fields (their columns are read and thrown away), and the
    top and bottom of the band with them."""
    taken = [(s.x0, s.x1) for _, s in labels]
    size = max(s.size for _, s in labels)
    # Labels lie within a few wrapped lines of the band: the rest of the page is not looked at.
    lo, hi = top - (MAX_STACK + 1) * size, bottom + (MAX_STACK + 1) * size
    nearby = [seg for seg in segments if lo < seg.cy < hi]
    free = [
        seg
        for seg in map(partial(_outside, taken=taken), nearby)
        if seg is not None
        and seg.text
        and not any(min(seg.x1, x1) - max(seg.x0, x0) > -0.5 for x0, x1 in taken)
    ]
    # A label of more lines than the known ones (今後の over 方向性 beside a centred 成果) reaches
    # above and below their band: any segment sharing the band's height is part of the header.
    known = [s for _, s in labels]
    chosen = [
        s
        for s in free
        if min(s.bottom, bottom) - max(s.top, top) >= 0.3 * (s.bottom - s.top) and not _groups(s, known, free)
    ]
    chosen += _wrapped_around(nearby, free, chosen, known, top=top, bottom=bottom, max_label=max_label)
    others: list[tuple[str, float, float]] = []
    band = (top, bottom)
    for seg in chosen:
        band = (min(band[0], seg.top), max(band[1], seg.bottom))
        # The lines of one wrapped label (予算額 over （千円）) come a header line apart: one label.
        same = next((i for i, o in enumerate(others) if min(seg.x1, o[2]) - max(seg.x0, o[1]) > 0), None)
        if same is not None:
            prev = others[same]
            others[same] = ("", min(prev[1], seg.x0), max(prev[2], seg.x1))
            continue
        others.append(("", seg.x0, seg.x1))
    return others, band[0], band[1]


def _groups(seg: Segment, known: Sequence[Segment], free: Sequence[Segment]) -> bool:
    """Whether ``seg`` heads a group of known columns (「事業内容」 centred over 「事業の目的」「事業の
    概要」 while other labels take both header lines): a known label right below it on each side of
    its centre, no known label on its own line between them, and nothing right below itself (the
    second line of a wrapped label, 「今後の」 over 「方向性」). Such a heading is no column."""
    cx = (seg.x0 + seg.x1) / 2

    def under(k: Segment) -> bool:
        return seg.bottom - 0.3 <= k.top < seg.bottom + 2.5 * k.size

    if any(under(f) and f.x0 < seg.x1 and seg.x0 < f.x1 for f in free if f is not seg):
        return False
    below = [k for k in known if under(k)]
    left = max((k for k in below if k.x1 <= cx), key=lambda k: k.x1, default=None)
    right = min((k for k in below if k.x0 >= cx), key=lambda k: k.x0, default=None)
    if left is None or right is None:
        return False
    level = [k for k in known if k.top < seg.bottom - 0.3 and k.bottom > seg.top + 0.3]
    return not any(left.x1 <= k.x0 and k.x1 <= right.x0 for k in level)


def _outside(seg: Segment, *, taken: Sequence[tuple[float, float]]) -> Segment | None:
    """The part of ``seg`` outside the known labels: a label touching spread neighbours on both
    sides (「名予算額（千円）事」) is printed as one segment with their letters."""
    # Only the labels the segment reaches can take letters from it (most segments reach none).
    reached = [(x0 - 0.5, x1 + 0.5) for x0, x1 in taken if x0 - 0.5 <= seg.x1 and seg.x0 <= x1 + 0.5]
    if not seg.chars or not reached:
        return seg
    kept = [ch for ch in seg.chars if not any(x0 <= (ch.x0 + ch.x1) / 2 <= x1 for x0, x1 in reached)]
    if len(kept) == len(seg.chars):
        return seg
    return segment(kept) if kept else None


def _wrapped_around(
    segments: Sequence[Segment],
    free: Sequence[Segment],
    chosen: Sequence[Segment],
    known: Sequence[Segment],
    *,
    top: float,
    bottom: float,
    max_label: int,
) -> list[Segment]:
    """Lines of other labels that barely touch the band: a label wrapped in two and centred on it
    (「予算額（千」 above, 「円）」 below), and the further lines stacked on any label line found."""
    size = max(s.size for s in known)
    # The first data row starts at the same height in every column: nothing from there on is a label.
    data_top = min(
        (
            seg.top
            for seg in segments
            if seg.cy > bottom + 0.5 and any(min(seg.x1, k.x1) - max(seg.x0, k.x0) > 0 for k in known)
        ),
        default=1e9,
    )
    near = [
        seg
        for seg in free
        if top - (MAX_STACK + 1) * size < seg.cy
        # (In a header set solid, as Writer prints one, a label's last line touches the first data line.)
        and (
            seg.bottom < data_top - 0.05 * size or (seg.bottom < data_top and seg.cy + 0.4 * size < data_top)
        )
        and len(norm_label(seg.text)) <= max_label
        and not any(seg is c for c in chosen)
    ]
    found: list[Segment] = []
    for a, b in itertools.permutations(near, 2):
        if a.cy < b.cy and _stacked(b, a) and top <= (a.top + b.bottom) / 2 <= bottom:
            found += [seg for seg in (a, b) if not any(seg is f for f in found)]
    grown = True
    while grown:  # further lines of a wrapped label, one at a time
        grown = False
        for seg in near:
            if any(seg is f for f in found):
                continue
            if any(_stacked(seg, c) for c in (*chosen, *found)):
                found.append(seg)
                grown = True
    return found


def _stacked(seg: Segment, on: Segment) -> bool:
    """``seg`` is the line right above or below ``on``, in the same cell (they overlap across)."""
    across = min(seg.x1, on.x1) - max(seg.x0, on.x0) > 0
    gap = max(seg.top - on.bottom, on.top - seg.bottom)
    return across and -0.3 * on.size < gap < 0.6 * on.size
