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
_MAX_SEGMENT = 30  # characters: a longer segment is a line of data, never a run of labels

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

    runs = spread_runs(chars, blocked, is_label) if len(chars) >= 3 else None
    if runs is None:
        return group
    return [make(run, spread) for run, spread in runs]


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


def _equal(a: float, b: float) -> bool:
    """Gaps of one label: the same to rounding (layout programs place spread characters exactly)."""
    return abs(a - b) <= max(0.15, 0.04 * max(a, b))


def _tight(gap: float, a: Char, b: Char) -> bool:
    return gap <= _TIGHT * max(a.size, b.size)


def spread_runs(
    chars: Sequence[Char], blocked: Callable[[float, float], bool], is_label: Callable[[str], bool]
) -> list[Run] | None:
    """One line's characters (left to right) cut into label runs, or None if no label is spread.

    ``blocked(x0, x1)`` says whether something else printed in the header row (the other line of a
    wrapped label) lies between x0 and x1: the characters on either side are then in different cells.
    ``is_label`` tells a known header label, to cut a run where a known label's characters complete.
    """
    n = len(chars)
    if n < 3:
        return None
    gaps = [chars[i + 1].x0 - chars[i].x1 for i in range(n - 1)]
    wide = [not _tight(g, chars[i], chars[i + 1]) for i, g in enumerate(gaps)]
    chains = _chains(gaps, wide)
    if not any(j - i >= 2 and wide[i] for i, j in chains):
        return None
    cut = [w and blocked(chars[i].x1, chars[i + 1].x0) for i, w in enumerate(wide)]
    chains = [c for i, j in chains for c in _unblocked(i, j, cut)]
    owner = _claim(chains, wide)
    runs: list[Run] = []
    i = 0
    while i < n:
        c = owner[i]
        j = i + 1
        if c is not None:
            while j < n and owner[j] == c:
                j += 1
            if wide[chains[c][0]]:
                runs.extend((part, True) for part in _known_cut(list(chars[i:j]), is_label))
            else:
                runs.append((list(chars[i:j]), False))
        else:
            while j < n and owner[j] is None and not wide[j - 1]:
                j += 1
            runs.append((list(chars[i:j]), False))
        i = j
    return runs


def _chains(gaps: Sequence[float], wide: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive equal gaps, all wide or all tight, as (first gap, last gap + 1)."""
    chains: list[tuple[int, int]] = []
    i = 0
    while i < len(gaps):
        j = i + 1
        total = gaps[i]
        while j < len(gaps) and wide[j] == wide[i] and _equal(gaps[j], total / (j - i)):
            total += gaps[j]
            j += 1
        chains.append((i, j))
        i = j
    return chains


def _unblocked(i: int, j: int, cut: Sequence[bool]) -> list[tuple[int, int]]:
    """A chain split at its blocked gaps."""
    out: list[tuple[int, int]] = []
    start = i
    for k in range(i, j):
        if cut[k]:
            if k > start:
                out.append((start, k))
            start = k + 1
    if j > start:
        out.append((start, j))
    return out


def _claim(chains: Sequence[tuple[int, int]], wide: Sequence[bool]) -> list[int | None]:
    """Which chain each character belongs to (None: to none).

    Spread chains claim their characters first, longer ones before shorter ones, then the evenly
    spaced tight ones (a word, or a label with too little room to spread: 「今後の方向性」 at 1.3 pt):
    a chain that meets a claimed character at its end gives it up, and a gap left between two claimed
    characters is where two labels touch. A spread chain of one gap (a two-character label,
    「評　価」) stands only if neither of its characters is glued by a tight gap to an unclaimed one,
    which would make the gap the space between two words.
    """
    n = len(wide) + 1
    owner: list[int | None] = [None] * n
    order = sorted(range(len(chains)), key=lambda c: (not wide[chains[c][0]], chains[c][0] - chains[c][1]))
    singles: list[tuple[int, int, int]] = []
    for c in order:
        first, last = chains[c]  # characters first..last
        while first <= last and owner[first] is not None:
            first += 1
        while last >= first and owner[last] is not None:
            last -= 1
        if last - first >= 2:
            for k in range(first, last + 1):
                owner[k] = c
        elif last - first == 1 and wide[first]:
            singles.append((c, first, last))

    def glued(k: int, far: int) -> bool:
        return 0 <= far < n and not wide[min(k, far)] and owner[far] is None

    for c, first, last in singles:
        if (
            owner[first] is None
            and owner[last] is None
            and not glued(first, first - 1)
            and not glued(last, last + 1)
        ):
            owner[first] = owner[last] = c
    return owner


def _known_cut(run: list[Char], is_label: Callable[[str], bool]) -> list[list[Char]]:
    """A spread run that is no known label but starts or ends with one is two labels whose pitches
    happen to agree: cut where the known label's characters complete."""
    text = "".join(c.text for c in run)
    if len(run) < 3 or is_label(text):
        return [run]
    for k in range(len(run) - 1, 1, -1):
        if is_label(text[:k]):
            return [run[:k], run[k:]]
    for k in range(1, len(run) - 1):
        if is_label(text[k:]):
            return [run[:k], run[k:]]
    return [run]
