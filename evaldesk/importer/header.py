"""Header synonyms, header-row detection on a page and the column ranges that follow from it."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from evaldesk.importer.others import other_labels
from evaldesk.importer.pdfchars import Char
from evaldesk.importer.segments import MAX_STACK as _MAX_STACK
from evaldesk.importer.segments import Segment, norm_label
from evaldesk.importer.segments import segment as _segment

FIELDS: tuple[str, ...] = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "no": ("no", "no.", "番号", "項番", "通番", "連番", "№", "整理番号"),
    "program_id": (
        "事業番号",
        "事業no",
        "事業no.",
        "事業cd",
        "事業コード",
        "事業id",
        "事務事業番号",
        "事務事業コード",
        "事業№",
    ),
    "name": ("事務事業名", "事業名", "事務事業の名称", "事業名称", "事務事業名称"),
    "department": (
        "部署名",
        "担当課",
        "所管課",
        "担当部署",
        "課名",
        "担当課名",
        "所管部署",
        "所管課名",
        "部署",
        "担当部課",
        "所属",
        "所属名",
        "担当部署名",
    ),
    "purpose": ("事業の目的", "目的", "事業目的"),
    "overview": ("事業の概要", "概要", "事業内容", "事業概要", "事業の内容", "内容"),
    "outcome": (
        "成果",
        "実績",
        "成果・実績",
        "事業の成果",
        "実績・成果",
        "成果実績",
        "主な成果",
        "事業の実績",
        "成果等",
    ),
}


_LOOKUP: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _n in _names:
        _LOOKUP[norm_label(_n)] = _field
        _LOOKUP[norm_label(_n).rstrip(".")] = _field
_MAX_LABEL = max(len(k) for k in _LOOKUP) + 2
# What the first lines of a wrapped label may read (事業 of 事業／番号), and any part of a label a
# spread line may hold (番号 of 事　業／番　号).
_PREFIXES = frozenset(k[:n] for k in _LOOKUP for n in range(1, len(k) + 1))
_INFIXES = frozenset(k[i:j] for k in _LOOKUP for i in range(len(k)) for j in range(i + 2, len(k) + 1))


def field_for(label: str) -> str | None:
    key = norm_label(label)
    return _LOOKUP.get(key) or _LOOKUP.get(key.rstrip("."))


def label_chars() -> frozenset[str]:
    """Every character of the labels :func:`field_for` knows, as it compares them."""
    return frozenset("".join(_LOOKUP))


@dataclass(frozen=True, slots=True)
class Header:
    """Where the header row sits on a page and the label of each column found in it."""

    top: float
    bottom: float
    labels: tuple[tuple[str, float, float], ...]  # (field or "", x0, x1), left to right; "" = other column


@dataclass(frozen=True, slots=True)
class Columns:
    """Column slices: ``fields[i]`` holds x in [bounds[i-1], bounds[i])."""

    fields: tuple[str, ...]
    bounds: tuple[float, ...]  # len(fields) - 1 inner boundaries

    def index(self, x: float) -> int:
        return bisect_left(self.bounds, x)


def _label_candidates(segments: Sequence[Segment]) -> list[tuple[str, Segment]]:
    """Single segments and vertical stacks (a label wrapped inside its cell, down to one character a
    line in a narrow column: 事/業/番/号; or spread over its lines: 事　業／番　号)."""
    short = _label_pieces([s for s in segments if s.text and len(norm_label(s.text)) <= _MAX_LABEL])
    found: list[tuple[str, Segment]] = []
    for i, first in enumerate(short):
        if norm_label(first.text) not in _PREFIXES:
            continue
        stacks = [[first]]
        for _depth in range(_MAX_STACK):
            grown: list[list[Segment]] = []
            for stack in stacks:
                text = "".join(s.text for s in stack)
                field = field_for(text)
                if field:
                    found.append((field, _merged(text, stack)))
                # Every reading of the next line below (「番」 or 「番　号」) that may go on the label.
                grown += [
                    [*stack, below]
                    for below in _below(short, i, stack[-1])
                    if norm_label(text + below.text) in _PREFIXES and _within(below, stack)
                ]
            stacks = grown[:8]
            if not stacks:
                break
    return found


def _within(below: Segment, stack: Sequence[Segment]) -> bool:
    """A line joined from spread letters (no printed run) goes on a label only inside the cell its lines
    so far span: 「業　名」 under 「事　務　事」, not the 業 of 事業番号 with the 名 of the next cell."""
    if below.chars:
        return True
    slack = 0.5 * below.size
    return min(s.x0 for s in stack) - slack <= below.x0 and below.x1 <= max(s.x1 for s in stack) + slack


def _merged(text: str, stack: Sequence[Segment]) -> Segment:
    return Segment(
        text,
        min(s.x0 for s in stack),
        max(s.x1 for s in stack),
        stack[0].top,
        stack[-1].bottom,
        stack[0].size,
        [],
    )


_PIECE_GAP = 0.25  # in font sizes: wider than the spacing inside a word, narrower than a cell's padding
_MAX_JOIN = 6  # pieces of one letter-spaced (均等割り付け) label


def _label_pieces(segments: Sequence[Segment]) -> list[Segment]:
    """The pieces a header label may be made of, top to bottom, left to right.

    Two narrow header cells side by side (「Ｎ」「事業」) can print closer than the gap that splits a
    line into segments, so segments are cut again at any visible gap; and a label spread over its cell
    (事　務　事　業　名) is put back together from neighbouring pieces on the same line.
    """
    pieces: list[Segment] = []
    for seg in segments:
        run: list[Char] = []
        for ch in seg.chars:
            if run and ch.x0 - run[-1].x1 > _PIECE_GAP * max(ch.size, run[-1].size):
                pieces.append(_segment(run))
                run = []
            run.append(ch)
        if run:
            pieces.append(_segment(run))
        elif not seg.chars:
            pieces.append(seg)
    pieces = _line_order([p for p in pieces if p.text])
    # 「部　署　名No.」, 「名予算額（千円）事」: spread labels in narrow cells without rules touch
    # their neighbours, so the first and the last letter of a piece may end or start a spread label.
    # On lines with letters standing alone (a spread label's), the pieces are read again with those
    # letters apart.
    spread = {round(p.cy) for p in pieces if len(p.text) == 1}
    letters: list[Segment] = []
    for piece in pieces:
        if not {round(piece.cy) - 1, round(piece.cy), round(piece.cy) + 1} & spread:
            continue
        chars = [ch for ch in piece.chars if ch.text.strip()]
        if len(chars) < 2:
            letters.append(piece)
            continue
        letters.append(_segment(chars[:1]))
        if len(chars) > 2:
            letters.append(_segment(chars[1:-1]))
        letters.append(_segment(chars[-1:]))
    joined: list[Segment] = []
    seen = {(p.text, round(p.x0), round(p.x1), round(p.cy)) for p in pieces}
    for seg in _joined(pieces) + _joined(letters):  # the same label read both ways is one label
        key = (seg.text, round(seg.x0), round(seg.x1), round(seg.cy))
        if key not in seen:
            seen.add(key)
            joined.append(seg)
    out = pieces + joined
    out.sort(key=lambda p: (p.top, p.x0))
    return out


def _line_order(pieces: list[Segment]) -> list[Segment]:
    """``pieces`` line by line, top to bottom, each line left to right. A line is the pieces whose
    centres lie within a third of a size of its first one: the glyph boxes of one printed line differ
    by hundredths, which rounding to whole points could put on two sides of a .5 (and so apart)."""
    out: list[Segment] = []
    line: list[Segment] = []
    for piece in sorted(pieces, key=lambda p: p.cy):
        if line and piece.cy - line[0].cy > 0.3 * max(line[0].size, piece.size):
            out += sorted(line, key=lambda p: p.x0)
            line = []
        line.append(piece)
    return out + sorted(line, key=lambda p: p.x0)


def _joined(pieces: Sequence[Segment]) -> list[Segment]:
    """Labels put together from neighbouring pieces on one line (a label spread over its cell)."""
    joined: list[Segment] = []
    for i, first in enumerate(pieces):
        run_text = first.text
        last = first
        letters = len(first.text) == 1
        gaps = [ch.x0 - prev.x1 for prev, ch in itertools.pairwise(first.chars)]
        for other in pieces[i + 1 : i + _MAX_JOIN]:
            # Letters of a spread label stand alone, as far apart as the cell is wide (「成　　果」 over
            # a wide column in a small font: 30 sizes and more).
            reach = (60 if len(other.text) == 1 and len(last.text) == 1 else 4) * first.size
            if abs(other.cy - first.cy) > 0.45 * first.size or other.x0 - last.x1 > reach:
                break
            gaps.append(other.x0 - last.x1)
            # Letters that far apart are one label only when evenly spread: not the 業 of 「事業」 and
            # the N of 「No.」 in the next cell (「事業No.」).
            if max(gaps) > 4 * first.size and min(gaps) < 0.8 * max(gaps):
                break
            run_text += other.text
            if len(norm_label(run_text)) > _MAX_LABEL:
                break
            last = other
            letters = letters and len(other.text) == 1
            # A whole label, or the part of one that a line of a wrapped spread label holds: letters
            # standing alone (not the 事 of 「事　」 with the 務事 of 「事務事業」 in the next cell).
            if field_for(run_text) or (letters and norm_label(run_text) in _INFIXES):
                joined.append(Segment(run_text, first.x0, other.x1, first.top, max(first.bottom, other.bottom),
                                      first.size, []))  # fmt: skip
    return joined


def _below(short: Sequence[Segment], start: int, seg: Segment) -> list[Segment]:
    """The segments of the next line below ``seg`` in its cell (overlapping it across, or centred on it)."""
    mid = (seg.x0 + seg.x1) / 2
    out: list[Segment] = []
    for other in short[start + 1 :]:
        if other.top > seg.bottom + 1.0 * seg.size or (out and other.top > out[0].bottom - 0.3):
            break
        if other.top <= seg.cy:
            continue
        omid = (other.x0 + other.x1) / 2
        overlap = min(seg.x1, other.x1) - max(seg.x0, other.x0)
        if overlap > 0 or abs(omid - mid) < seg.size:
            out.append(other)
    return out


_Rules = Sequence[tuple[float, float, float]]  # vertical rules: (x, top, bottom)


def find_headers(segments: Sequence[Segment], *, vrules: _Rules = ()) -> list[Header]:
    """Every header band on a page, top to bottom.

    A table split inside a page (a report tool that repeats its header row wherever it continues the
    table) prints the header again below rows: each band is found, so that none is read as data.
    No label runs across one of the page's vertical rules ``vrules``.
    """
    segments = _cut_at_rules(segments, vrules)
    every = _label_candidates(segments)
    candidates = _outermost(every)
    found: list[Header] = []
    while candidates:
        labels = _best_band(candidates)
        if labels is None:
            break
        labels = labels + _restored(every, labels)
        labels, groups = _split_groups(candidates, labels)
        top = min(s.top for _, s in labels)
        bottom = max(s.bottom for _, s in labels)
        others, top_o, bottom_o = other_labels(
            segments, labels + groups, top=top, bottom=bottom, max_label=_MAX_LABEL
        )
        ordered = sorted([(f, s.x0, s.x1) for f, s in labels] + others, key=lambda t: t[1])
        found.append(
            Header(min([top, top_o, *(s.top for _, s in groups)]), max(bottom, bottom_o), tuple(ordered))
        )
        candidates = [(f, s) for f, s in candidates if s.bottom < top - 0.3 or s.top > bottom + 0.3]
    found.sort(key=lambda h: h.top)
    return found


def _outermost(candidates: list[tuple[str, Segment]]) -> list[tuple[str, Segment]]:
    """Drop a label read inside a longer label on its line (番号 inside 事業番号, 部署 inside 部署名)."""

    def inside(s: Segment, t: Segment) -> bool:
        return t.x0 - 0.5 <= s.x0 and s.x1 <= t.x1 + 0.5 and t.top - 0.5 <= s.cy <= t.bottom + 0.5

    def longer(t: Segment, s: Segment) -> bool:
        return len(norm_label(t.text)) > len(norm_label(s.text))

    return [(f, s) for f, s in candidates if not any(inside(s, t) and longer(t, s) for _, t in candidates)]


def _cut_at_rules(segments: Sequence[Segment], vrules: _Rules) -> list[Segment]:
    """Segments split where a vertical rule runs between two of their characters: labels spread over
    their cells (均等割り付け) touch the next cell's label across the rule (「事務事業名」|「部署名」)."""
    out: list[Segment] = []
    rules = sorted(vrules)
    at = [x for x, _, _ in rules]
    for seg in segments:
        inner = rules[bisect_right(at, seg.x0) : bisect_left(at, seg.x1)]
        xs = [x for x, top, bottom in inner if top <= seg.cy <= bottom]
        if not xs or not seg.chars:
            out.append(seg)
            continue
        run: list[Char] = []
        for ch in seg.chars:
            if run and any(run[-1].x1 - 0.5 <= x <= ch.x0 + 0.5 for x in xs):
                out.append(_segment(run))
                run = []
            run.append(ch)
        out.append(_segment(run))
    return [s for s in out if s.text]


def _split_groups(
    candidates: Sequence[tuple[str, Segment]], labels: list[tuple[str, Segment]]
) -> tuple[list[tuple[str, Segment]], list[tuple[str, Segment]]]:
    """A grouped two-row header: 「事業内容」 printed over 「事業の目的」「事業の概要」.

    Two or more labels right below one label and between its neighbours on its own line are its
    sub-columns: they replace it. Returns the labels and the group labels taken out.
    """
    out = list(labels)
    groups: list[tuple[str, Segment]] = []
    for group in labels:
        g = group[1]
        level = [s for _, s in labels if s is not g and s.top < g.bottom - 0.3 and s.bottom > g.top + 0.3]
        lo = max((s.x1 for s in level if s.x1 <= g.x0 + 0.5), default=-1e9)
        hi = min((s.x0 for s in level if s.x0 >= g.x1 - 0.5), default=1e9)
        subs = sorted(
            (
                (f, s)
                for f, s in candidates
                if g.bottom - 0.3 <= s.top < g.bottom + 2.5 * s.size and lo <= s.x0 and s.x1 <= hi
            ),
            key=lambda fs: fs[1].x0,
        )
        fields = [f for f, _ in subs]
        sub_ids = {id(s) for _, s in subs}
        taken = {f for f, s in out if s is not g and id(s) not in sub_ids}
        if (
            len(subs) < 2
            or len(set(fields)) < len(fields)
            or taken & set(fields)
            or _overlapping([s for _, s in subs])
            # The group's label is centred over its sub-columns.
            or not subs[0][1].x0 <= (g.x0 + g.x1) / 2 <= subs[-1][1].x1
        ):
            continue
        out = [(f, s) for f, s in out if s is not g and id(s) not in sub_ids] + subs
        groups.append(group)
    return out, groups


def _restored(
    every: Sequence[tuple[str, Segment]], labels: list[tuple[str, Segment]]
) -> list[tuple[str, Segment]]:
    """Labels of fields the band lacks that were dropped as part of a longer reading the band did not
    take (「No.」 read into 「事業No.」 with the 事業 of the next cell's 「事業の目的」)."""
    top = min(s.top for _, s in labels)
    bottom = max(s.bottom for _, s in labels)
    have = {f for f, _ in labels}
    out: list[tuple[str, Segment]] = []
    for f, s in sorted(every, key=lambda fs: -(fs[1].x1 - fs[1].x0)):
        if f in have or not top - 0.5 <= s.cy <= bottom + 0.5:
            continue
        if _overlapping([s, *(t for _, t in labels + out)]):
            continue
        out.append((f, s))
        have.add(f)
    return out


def _best_band(candidates: Sequence[tuple[str, Segment]]) -> list[tuple[str, Segment]] | None:
    best: tuple[int, float, list[tuple[str, Segment]]] | None = None
    for _field, anchor in candidates:
        band_half = 1.8 * anchor.size
        chosen: dict[str, Segment] = {}
        for field, seg in candidates:
            if abs(seg.cy - anchor.cy) > band_half and not _share_band(seg, anchor):
                continue
            prev = chosen.get(field)
            # Equally near (in quarter font sizes: glyph boxes of one line differ by hundredths), the
            # longer reading wins: 「部　署　名」 spread over its cell, not 「部　署」.
            q = 0.25 * anchor.size
            if prev is None or (round(abs(seg.cy - anchor.cy) / q), prev.x1 - prev.x0) < (
                round(abs(prev.cy - anchor.cy) / q),
                seg.x1 - seg.x0,
            ):
                chosen[field] = seg
        if "name" not in chosen or not ({"no", "program_id"} & chosen.keys()) or len(chosen) < 4:
            continue
        if _overlapping(list(chosen.values())):
            continue
        score = (len(chosen), -anchor.top)
        if best is None or score > (best[0], best[1]):
            best = (len(chosen), -anchor.top, list(chosen.items()))
    return None if best is None else best[2]


def _share_band(a: Segment, b: Segment) -> bool:
    """A tall stacked label and a one-line label bottom- or top-aligned in the same header row."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.bottom - a.top, b.bottom - b.top)


def _overlapping(segs: list[Segment]) -> bool:
    segs = sorted(segs, key=lambda s: s.x0)
    return any(b.x0 < a.x1 - 0.5 for a, b in zip(segs, segs[1:], strict=False))
