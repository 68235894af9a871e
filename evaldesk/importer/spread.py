"""Header labels spread over their cells (均等割り付け), told apart by the pitch of their characters.

A spreadsheet's "distributed" alignment, Word's DISTRIBUTE and CSS ``text-align-last: justify`` set
each character of a one-line label at an even pitch from one edge of its cell to the other. Without a
vertical rule between two cells, one label's last character can touch the next label's first one
(「部　　署　　名No.」), and a line read by gaps alone glues them. Each spread label has a pitch of
its own, so a line of such labels is cut where the pitch changes: a run of evenly spaced characters
is one label, and what lies tight between two runs (「予算額（千円）」, printed without room to
spread) is another. Known labels are not needed: 「評　価」 or 「今　後　の　方　向」 become labels of
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from evaldesk.importer.pdfchars import Char

_TIGHT = 0.25  # in font sizes: the spacing inside a word, narrower than any spread pitch
_MAX_SEGMENT = 20  # characters: a longer segment is a line of data, never a run of labels

# (characters, spread?) for each run, left to right.
Run = tuple[list[Char], bool]


class SegmentLike(Protocol):
    """What is read of a segment (header.Segment): its characters and its box."""

    chars: list[Char]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


S = TypeVar("S", bound=SegmentLike)


def cut_spread(
    segments: Sequence[S], make: Callable[[list[Char], bool], S], is_label: Callable[[str], bool]
) -> list[S]:
    """``segments`` (line by line, left to right) with each line of spread labels cut into its labels;
    ``make`` builds a segment of a run of characters (spread or not)."""
    lines = _lines(segments)
    out: list[S] = []
    for li, line in enumerate(lines):
        group: list[S] = []
        for seg in [*line, None]:
            if seg is not None and seg.chars and len(seg.chars) <= _MAX_SEGMENT:
                group.append(seg)
                continue
            if group:
                out.extend(_cut_group(group, lines, li, make, is_label))
                group = []
            if seg is not None:
                out.append(seg)
    return out


def _lines(segments: Sequence[S]) -> list[list[S]]:
    lines: list[list[S]] = []
    cy = 0.0
    for seg in segments:
        mid = (seg.top + seg.bottom) / 2
        if lines and seg.x0 >= lines[-1][-1].x1 - 0.5 and abs(mid - cy) <= 0.45 * seg.size:
            lines[-1].append(seg)
        else:
            lines.append([seg])
            cy = mid
    return lines


def _cut_group(
    group: list[S],
    lines: Sequence[Sequence[S]],
    li: int,
    make: Callable[[list[Char], bool], S],
    is_label: Callable[[str], bool],
) -> list[S]:
    chars = [ch for seg in group for ch in seg.chars if not ch.text.isspace()]
    obstacles: list[float] | None = None

    def blocked(x0: float, x1: float) -> bool:
        nonlocal obstacles
        if obstacles is None:
            obstacles = _obstacles(lines, li)
        return any(x0 < x < x1 for x in obstacles)

    if not _evenly_spaced(chars):
        return group
    return [make(run, spread) for run, spread in spread_runs(chars, blocked, is_label)]


def _evenly_spaced(chars: Sequence[Char]) -> bool:
    """Whether two wide gaps in a row are equal: the quick test that most lines of data fail."""
    prev = -1.0
    for a, b in zip(chars, chars[1:], strict=False):
        gap = b.x0 - a.x1
        if gap > _TIGHT * (a.size if a.size > b.size else b.size):
            if prev > 0 and _equal(gap, prev):
                return True
            prev = gap
        else:
            prev = -1.0
    return False


def _obstacles(lines: Sequence[Sequence[SegmentLike]], li: int) -> list[float]:
    """Centres of the characters of other lines printed level with line ``li`` (the lines of a wrapped
    label beside one-line labels): none of them lies inside a label of line ``li``."""
    line = lines[li]
    top = min(s.top for s in line)
    bottom = max(s.bottom for s in line)
    margin = 0.1 * max(s.size for s in line)
    out: list[float] = []
    for other in lines[max(0, li - 4) : li + 5]:
        if other is line:
            continue
        for seg in other:
            if seg.top < bottom - margin and seg.bottom > top + margin:
                out.extend((ch.x0 + ch.x1) / 2 for ch in seg.chars)
    return out


def spread_runs(
    chars: Sequence[Char], blocked: Callable[[float, float], bool], is_label: Callable[[str], bool]
) -> list[Run]:
    """One line's characters (left to right) cut into label runs.

    Each run is one character, a spread label (its gaps wide and equal) or a tight run (its gaps all
    narrow). Of all the ways to cut the line, the one with the fewest runs wins, a run that is a known
    label counting as a gain, and a tight run whose gaps are uneven (「今後の方向性」 at 1.3 pt, then
    「成」 of the next label 1.0 pt on) paying for it; so a label of any name stands on its own, and
    two labels whose pitches happen to agree at their meeting are told apart by what they say.
    ``blocked(x0, x1)`` says whether something else printed in the header row (the other line of a
    wrapped label) lies between x0 and x1: no run crosses it.
    """
    n = len(chars)
    gaps = [chars[i + 1].x0 - chars[i].x1 for i in range(n - 1)]
    wide = [not _tight(g, chars[i], chars[i + 1]) for i, g in enumerate(gaps)]
    cut = [w and blocked(chars[i].x1, chars[i + 1].x0) for i, w in enumerate(wide)]
    best = [-1e18] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        for j, cost in _runs_from(i, chars, gaps, wide, cut, is_label):
            if best[i] - cost > best[j]:
                best[j] = best[i] - cost
                back[j] = i
    runs: list[Run] = []
    j = n
    while j > 0:
        i = back[j]
        runs.append((list(chars[i:j]), j - i >= 2 and wide[i]))
        j = i
    runs.reverse()
    return runs


_MAX_RUN = 24  # characters of one label


def _runs_from(
    i: int,
    chars: Sequence[Char],
    gaps: Sequence[float],
    wide: Sequence[bool],
    cut: Sequence[bool],
    is_label: Callable[[str], bool],
) -> list[tuple[int, float]]:
    """Each run that may start at character i as (end, cost): one for the run, less two for a known
    label, plus how uneven its gaps are (their spread about the mean, in half font sizes)."""
    out: list[tuple[int, float]] = []
    text = ""
    total = 0.0
    for j in range(i + 1, min(len(chars), i + _MAX_RUN) + 1):
        text += chars[j - 1].text
        k = j - 2  # the gap this run gained
        if k >= i:
            if (
                cut[k]
                or wide[k] != wide[i]
                or (wide[k] and not _equal(gaps[k], total / (k - i) if k > i else gaps[k]))
            ):
                break
            total += gaps[k]
        run = gaps[i : j - 1]
        mean = total / len(run) if run else 0.0
        uneven = sum(abs(g - mean) for g in run) / (2 * _TIGHT * chars[i].size) if run else 0.0
        known = len(text) <= 12 and is_label(text)
        out.append((j, 1.0 - (2.0 if known else 0.0) + uneven))
    return out


def _equal(a: float, b: float) -> bool:
    """Gaps of one spread label: the same to rounding (layout programs place them exactly)."""
    return abs(a - b) <= max(0.15, 0.04 * max(a, b))


def _tight(gap: float, a: Char, b: Char) -> bool:
    return gap <= _TIGHT * max(a.size, b.size)
