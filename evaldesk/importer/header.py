"""Header synonyms, header-row detection on a page and the column ranges that follow from it."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evaldesk.importer.pdfchars import Char

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


def norm_label(text: str) -> str:
    """Width-, case- and space-insensitive form of a header label."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s・･:：]", "", folded).replace("・", "")


_LOOKUP: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _n in _names:
        _LOOKUP[norm_label(_n)] = _field
        _LOOKUP[norm_label(_n).rstrip(".")] = _field
_MAX_LABEL = max(len(k) for k in _LOOKUP) + 2
_MAX_STACK = 7  # lines one header label may be wrapped over


def field_for(label: str) -> str | None:
    key = norm_label(label)
    return _LOOKUP.get(key) or _LOOKUP.get(key.rstrip("."))


def label_chars() -> frozenset[str]:
    """Every character of the labels :func:`field_for` knows, as it compares them."""
    return frozenset("".join(_LOOKUP))


@dataclass(slots=True)
class Segment:
    """A run of characters on one line with no wide gap inside."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    chars: list[Char]

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


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


def page_segments(chars: Iterable[Char], *, max_bottom: float | None = None) -> list[Segment]:
    """Group characters into lines by their vertical centre, then split lines at wide gaps."""
    rows: list[list[Char]] = []
    last_cy = -1e9
    for ch in sorted(chars, key=lambda c: c.cy):
        if max_bottom is not None and ch.top > max_bottom:
            break
        if rows and ch.cy - last_cy <= 0.45 * ch.size:
            rows[-1].append(ch)
        else:
            rows.append([ch])
            last_cy = ch.cy
    segments: list[Segment] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        run: list[Char] = []
        for ch in row:
            if run and ch.x0 - run[-1].x1 > 0.8 * max(ch.size, run[-1].size):
                segments.append(_segment(run))
                run = []
            run.append(ch)
        if run:
            segments.append(_segment(run))
    return segments


def _segment(run: list[Char]) -> Segment:
    text = "".join(c.text for c in run).strip()
    return Segment(
        text,
        run[0].x0,
        run[-1].x1,
        min(c.top for c in run),
        max(c.bottom for c in run),
        max(c.size for c in run),
        run,
    )


def _label_candidates(segments: Sequence[Segment]) -> list[tuple[str, Segment]]:
    """Single segments and vertical stacks (a label wrapped inside its cell, down to one character a
    line in a narrow column: 事/業/番/号)."""
    short = _label_pieces([s for s in segments if s.text and len(norm_label(s.text)) <= _MAX_LABEL])
    found: list[tuple[str, Segment]] = []
    for i, first in enumerate(short):
        stack = [first]
        for _depth in range(_MAX_STACK):
            text = "".join(s.text for s in stack)
            field = field_for(text)
            if field:
                last = stack[-1]
                merged = Segment(
                    text,
                    min(s.x0 for s in stack),
                    max(s.x1 for s in stack),
                    first.top,
                    last.bottom,
                    first.size,
                    [],
                )
                found.append((field, merged))
            below = _next_below(short, i, stack[-1])
            if below is None:
                break
            stack.append(below)
    return found


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
    pieces = [p for p in pieces if p.text]
    pieces.sort(key=lambda p: (round(p.cy), p.x0))
    joined: list[Segment] = []
    for i, first in enumerate(pieces):
        run_text = first.text
        last = first
        for other in pieces[i + 1 : i + _MAX_JOIN]:
            # Letters of a spread label stand alone, as far apart as the cell is wide.
            reach = (30 if len(other.text) == 1 and len(last.text) == 1 else 4) * first.size
            if abs(other.cy - first.cy) > 0.45 * first.size or other.x0 - last.x1 > reach:
                break
            run_text += other.text
            if len(norm_label(run_text)) > _MAX_LABEL:
                break
            last = other
            if field_for(run_text):
                joined.append(Segment(run_text, first.x0, other.x1, first.top, max(first.bottom, other.bottom),
                                      first.size, []))  # fmt: skip
    out = pieces + joined
    out.sort(key=lambda p: (p.top, p.x0))
    return out


def _next_below(short: Sequence[Segment], start: int, seg: Segment) -> Segment | None:
    mid = (seg.x0 + seg.x1) / 2
    for other in short[start + 1 :]:
        if other.top > seg.bottom + 1.0 * seg.size:
            break
        if other.top <= seg.cy:
            continue
        omid = (other.x0 + other.x1) / 2
        overlap = min(seg.x1, other.x1) - max(seg.x0, other.x0)
        if overlap > 0 or abs(omid - mid) < seg.size:
            return other
    return None


_Rules = Sequence[tuple[float, float, float]]  # vertical rules: (x, top, bottom)


def find_headers(segments: Sequence[Segment], *, vrules: _Rules = ()) -> list[Header]:
    """Every header band on a page, top to bottom.

    A table split inside a page (a report tool that repeats its header row wherever it continues the
    table) prints the header again below rows: each band is found, so that none is read as data.
    No label runs across one of the page's vertical rules ``vrules``.
    """
    segments = _cut_at_rules(segments, vrules)
    candidates = _outermost(_label_candidates(segments))
    found: list[Header] = []
    while candidates:
        labels = _best_band(candidates)
        if labels is None:
            break
        labels, groups = _split_groups(candidates, labels)
        top = min(s.top for _, s in labels)
        bottom = max(s.bottom for _, s in labels)
        others, top_o, bottom_o = _other_labels(segments, labels + groups, top=top, bottom=bottom)
        ordered = sorted([(f, s.x0, s.x1) for f, s in labels] + others, key=lambda t: t[1])
        found.append(
            Header(min([top, top_o, *(s.top for _, s in groups)]), max(bottom, bottom_o), tuple(ordered))
        )
        candidates = [(f, s) for f, s in candidates if s.bottom < top - 0.3 or s.top > bottom + 0.3]
    found.sort(key=lambda h: h.top)
    return found


def _outermost(candidates: list[tuple[str, Segment]]) -> list[tuple[str, Segment]]:
    """Drop a label read inside a longer label of another field on its line (番号 inside 事業番号)."""

    def inside(s: Segment, t: Segment) -> bool:
        return t.x0 - 0.5 <= s.x0 and s.x1 <= t.x1 + 0.5 and t.top - 0.5 <= s.cy <= t.bottom + 0.5

    def longer(t: Segment, s: Segment) -> bool:
        return len(norm_label(t.text)) > len(norm_label(s.text))

    return [
        (f, s)
        for f, s in candidates
        if not any(g != f and inside(s, t) and longer(t, s) for g, t in candidates)
    ]


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


def _other_labels(
    segments: Sequence[Segment], labels: list[tuple[str, Segment]], *, top: float, bottom: float
) -> tuple[list[tuple[str, float, float]], float, float]:
    """Header cells that name none of our fields (their columns are read and thrown away), and the
    top and bottom of the band with them."""
    taken = [(s.x0, s.x1) for _, s in labels]

    def under_known(seg: Segment) -> bool:
        return any(min(seg.x1, x1) - max(seg.x0, x0) > -0.5 for x0, x1 in taken)

    others: list[tuple[str, float, float]] = []
    band = [top, bottom]

    def overlapping(seg: Segment) -> int | None:
        return next((i for i, o in enumerate(others) if min(seg.x1, o[2]) - max(seg.x0, o[1]) > 0), None)

    def add(seg: Segment) -> None:
        band[:] = [min(band[0], seg.top), max(band[1], seg.bottom)]
        same = overlapping(seg)  # the lines of one wrapped label (予算額 over （千円）): one label
        if same is None:
            others.append(("", seg.x0, seg.x1))
        else:
            prev = others[same]
            others[same] = ("", min(prev[1], seg.x0), max(prev[2], seg.x1))

    rest: list[Segment] = []
    for seg in segments:
        if not seg.text or under_known(seg):
            continue
        # A label of more lines than the known ones (今後の over 方向性 beside a centred 成果) reaches
        # above and below their band: any segment sharing the band's height is part of the header.
        if min(seg.bottom, band[1]) - max(seg.top, band[0]) >= 0.3 * (seg.bottom - seg.top):
            add(seg)
        else:
            rest.append(seg)
    # Beside top- or bottom-aligned known labels, the next line of a wrapped unknown label lies outside
    # their band: taken when it sits right below (above) that label and no known column prints text
    # at its height (which would make it the first data row).
    for seg in sorted(rest, key=lambda s: s.top):
        h = seg.bottom - seg.top
        next_to = (
            band[1] - 0.3 * h <= seg.top <= band[1] + 0.8 * h
            or band[0] - 0.8 * h <= seg.bottom <= band[0] + 0.3 * h
        )
        if (
            next_to
            and overlapping(seg) is not None
            and not any(abs(o.cy - seg.cy) < 0.5 * h and under_known(o) for o in segments)
        ):
            add(seg)
    return others, band[0], band[1]
