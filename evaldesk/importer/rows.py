"""Page layout: header and footer removal, lines per column, and cutting the lines into table rows."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from evaldesk.importer.cells import HANGING, Line, make_line
from evaldesk.importer.header import Columns, Header, find_headers
from evaldesk.importer.packed import free_gaps
from evaldesk.importer.pdfchars import Char, PageChars
from evaldesk.importer.segments import Segment, page_segments

_DATE = r"(?:\d{4}|令和\d{1,2}|平成\d{1,2}|r\d{1,2})[年/.\-]\d{1,2}[月/.\-]\d{1,2}日?(?:\d{1,2}:\d{2}(?::\d{2})?)?"
_FOOTER_RE = re.compile(
    r"^(?:"
    r"[-‐－ー―—–~〜]*(?:p\.?|page|ページ|頁)?\d+(?:/\d+|of\d+)?(?:ページ|頁)?[-‐－ー―—–~〜]*"
    r"|第\d+頁|\(\d+\)|"
    rf"(?:印刷日時?|作成日時?|出力日時?|印刷|作成|出力)?[:：]?{_DATE}(?:現在|印刷|作成|出力)?"
    r")$",
    re.IGNORECASE,
)
_MARGIN = 0.1  # share of the page height at top and bottom where running heads and page numbers live


def is_running_text(text: str) -> bool:
    """True for page numbers and print dates such as 「- 3 -」, 「3 / 12」, 「2024/05/01 印刷」."""
    folded = re.sub(r"\s", "", unicodedata.normalize("NFKC", text)).lower()
    return bool(folded) and bool(_FOOTER_RE.match(folded))


@dataclass(slots=True)
class PageLayout:
    """What pass one learned about a page: its header, its data characters and the text above."""

    index: int
    height: float
    header: Header | None
    data: Sequence[Char]  # packed once the page is laid out (see packed.py)
    above: list[Segment]
    rules: list[float]  # y of horizontal rules that cross most of the table


def layout_page(page: PageChars, *, table_started: bool) -> PageLayout:
    segments = page_segments(page.chars)
    headers = find_headers(segments, vrules=page.vrules)
    header = headers[0] if headers else None
    top_zone = page.height * _MARGIN
    bottom_zone = page.height * (1 - _MARGIN)
    data: list[Char] = []
    above: list[Segment] = []
    in_margin = [s for s in segments if s.cy < top_zone or s.cy > bottom_zone]
    # A page number stands alone on its line; a row number in line with the table's text (a table
    # running into the bottom margin) is data.
    running = {
        id(s)
        for s in in_margin
        if is_running_text(s.text) and not any(o is not s and _same_line(o, s) for o in segments)
    }
    running |= _set_apart_folio(segments, page.height)
    repeated = _repeated_heads(segments, headers)
    for seg in segments:
        if header is not None and seg.cy < header.bottom + 0.3:
            if seg.cy < header.top:
                above.append(seg)
            continue
        if id(seg) in running or id(seg) in repeated:
            continue
        if header is None and not table_started:
            continue
        data.extend(seg.chars)
    return PageLayout(page.index, page.height, header, data, above, [])


def _same_line(a: Segment, b: Segment) -> bool:
    """Printed on one line: overlapping by a fifth of the lower one's height or more (a row number
    centred a little lower than its row's first line is on it; a footer set right under the last
    line of a full page touches it by a fraction of a point, and is not)."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.2 * min(a.bottom - a.top, b.bottom - b.top)


def _set_apart_folio(segments: Sequence[Segment], height: float) -> set[int]:
    """The page number printed below the table but above the bottom margin zone (QTextDocument prints it
    inside its own 2 cm page margin): the lowest text of the page's lower half, alone on its line, a
    page number or print date, set off from the text above it in its column by half a line more than
    the lines of that column are from each other. A cell's last line is not set off so, and a row's
    first line holds several cells."""
    if not segments:
        return set()
    low = max(segments, key=attrgetter("bottom"))
    if low.cy < height / 2 or not is_running_text(low.text):
        return set()
    above = [s for s in segments if s is not low and s.top < low.bottom]
    if any(_same_line(s, low) for s in above):
        return set()  # other text on its line
    column = sorted((s for s in above if s.x0 < low.x1 and low.x0 < s.x1), key=attrgetter("top"))
    if not column:
        return {id(low)}
    gap = low.top - column[-1].bottom
    steps = sorted(b.top - a.bottom for a, b in zip(column, column[1:], strict=False) if b.top > a.top + 0.5)
    usual = steps[len(steps) // 2] if steps else 0.0
    return {id(low)} if gap > max(0.5 * low.size, usual + 0.5 * low.size) else set()


def _repeated_heads(segments: Sequence[Segment], headers: Sequence[Header]) -> set[int]:
    """Segments of the header bands below the first one on a page, with a title or date line printed
    right above such a band as part of the repeated header (what the page's first band has above it)."""
    if len(headers) < 2:
        return set()
    first = headers[0]
    titles = {
        _fold(s.text) for s in segments if s.cy < first.top and s.text and first.top - s.bottom < 4 * s.size
    }
    out: set[int] = set()
    for band in headers[1:]:
        for seg in segments:
            if band.top - 0.3 <= seg.cy <= band.bottom + 0.3:
                out.add(id(seg))
            elif seg.cy < band.top and band.top - seg.bottom < 4 * seg.size and _fold(seg.text) in titles:
                out.add(id(seg))
    return out


def _fold(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def table_rules(hrules: Sequence[tuple[float, float, float]], *, x0: float, x1: float) -> list[float]:
    """The y of each horizontal rule (possibly drawn in pieces) that spans at least half the table."""
    if not hrules or x1 <= x0:
        return []
    by_y: dict[int, list[tuple[float, float]]] = {}
    for y, a, b in hrules:
        by_y.setdefault(round(y), []).append((max(a, x0), min(b, x1)))
    rules: list[float] = []
    for key in sorted(by_y):
        covered = 0.0
        end = x0
        for a, b in sorted(by_y[key]):
            if b > end:
                covered += b - max(a, end)
                end = b
        if covered >= 0.5 * (x1 - x0) and (not rules or key - rules[-1] > 1.5):
            rules.append(float(key))
    return rules


# Closing punctuation inked in the left half of its em box; it may hang past the cell's right edge.
HANGS_LEFT = frozenset("、。，．,.」』）)】〕")


_BY_CY = attrgetter("cy")


def _pitch_gap(chars: Sequence[Char], i: int) -> float | None:
    """The gap from ``chars[i]`` to ``chars[i + 1]`` when both stand on one line, next to each other:
    the letter spacing the line is tracked with there (0 where set solid); None elsewhere."""
    if i < 0 or i + 1 >= len(chars):
        return None
    a, b = chars[i], chars[i + 1]
    gap = b.x0 - a.x1
    if abs(b.cy - a.cy) >= 0.45 * a.size or not -0.5 < gap < 0.3 * a.size:
        return None
    return gap


def _opens_text(chars: Sequence[Char], i: int, bounds: Sequence[float], col: int) -> bool:
    """Whether the mark ``chars[i]`` begins a line of its own column (a bullet 「・」 opening the cell
    next to a full line): the text after it in that column follows it directly. A mark hung past a
    cell edge lands on the next column's text instead, overlapping it, or stands alone. On a tracked
    line (letters spaced apart) a mark at a cell's end also sits close to the next cell's text: it
    opens that text only if it is spaced from it at least as that text's letters are from each other,
    more nearly than it is spaced from the letter before it as that letter's line is."""
    if i + 1 >= len(chars):
        return False
    ch, nxt = chars[i], chars[i + 1]
    if nxt.text in (" ", "\u3000") or nxt.text in HANGING or abs(nxt.cy - ch.cy) >= 0.45 * ch.size:
        return False
    after = nxt.x0 - ch.x1
    if not (0 <= after < 0.3 * ch.size and bisect_left(bounds, (nxt.x0 + nxt.x1) / 2) == col):
        return False
    before, behind, ahead = _pitch_gap(chars, i - 1), _pitch_gap(chars, i - 2), _pitch_gap(chars, i + 1)
    if before is None or behind is None:
        return True
    return abs(before - behind) >= abs(after - (ahead if ahead is not None else 0.0))


def column_lines(chars: Sequence[Char], columns: Columns, *, rules: Sequence[float] = ()) -> list[list[Line]]:
    """Lines per column, each top to bottom; ``chars`` come line by line, left to right. ``rules``: the
    x of the table's vertical rules, sorted."""
    buckets: list[list[Char]] = [[] for _ in columns.fields]
    bounds = columns.bounds
    # The last three characters read as (x1, cy, column), newest first.
    r0 = r1 = r2 = (-1e9, -1e9, 0)
    glued: list[tuple[Char, int]] = []  # the characters printed glued to each other up to the last one
    chars = list(chars)  # unpacked once: marks look at their neighbours by index
    for i, ch in enumerate(chars):
        text, x0, x1, size, cy = ch.text, ch.x0, ch.x1, ch.size, ch.cy
        # Where the character's ink is: the middle of its box, a quarter in for left-inked marks.
        col = bisect_left(bounds, x0 + 0.25 * (x1 - x0) if text in HANGS_LEFT else (x0 + x1) / 2)
        # A space belongs to the character before it, even when printed past the cell edge; so does
        # a mark that may not start a line (ィ、。) pulled onto it past the edge by kinsoku, also when
        # it lands on the next column's text (which then comes between them in reading order).
        if text == " " or (text in HANGING and not _opens_text(chars, i, bounds, col)):
            reach = (0.3 if text == " " else 0.05) * size
            if text != " ":  # a tracked line: the mark follows at the line's letter spacing
                reach += max(0.0, _pitch_gap(chars, i - 2) or 0.0)
            for px1, pcy, pcol in (r0, r1, r2):
                if abs(cy - pcy) < 0.45 * size and -0.5 < x0 - px1 < reach:
                    col = pcol
                    break
        elif col and col != r0[2] and rules and x0 < bounds[col - 1] < x1 and _straddles_rule(ch, r0, rules):
            col -= 1
        if glued and abs(cy - r0[1]) < 0.45 * size and x0 - r0[0] < 0.05 * size:
            if x0 < r0[0] - 0.15 * size and text != glued[-1][0].text:
                _collided(glued, col, buckets)
                glued = []
        else:
            glued = []
        buckets[col].append(ch)
        glued.append((ch, col))
        r2, r1, r0 = r1, r0, (x1, cy, col)
    out: list[list[Line]] = []
    for bucket in buckets:
        bucket.sort(key=_BY_CY)
        lines: list[Line] = []
        run: list[Char] = []
        run_cy = 0.0
        for ch in bucket:
            cy = ch.cy
            if run and cy - run_cy > 0.45 * ch.size:
                lines.append(make_line(run))
                run = []
            if not run:
                run_cy = cy
            run.append(ch)
        if run:
            lines.append(make_line(run))
        out.append([ln for ln in lines if ln.text])
    return out


def _collided(run: list[tuple[Char, int]], col: int, buckets: list[list[Char]]) -> None:
    """A character printed over the one before it: two cells' texts collided, the first one run on
    past its cell (a code too wide for its column, which a CSS engine lets overflow). The glyphs of
    one cell never overlap, so what the run put past the boundary belongs to the cell it began in."""
    start = run[0][1]
    if run[-1][1] != col or start != col - 1:
        return
    for ch, c in reversed(run):
        if c != col:
            break
        bucket = buckets[c]
        for k in range(len(bucket) - 1, -1, -1):
            if bucket[k] is ch:
                del bucket[k]
                break
        buckets[start].append(ch)


def _straddles_rule(ch: Char, before: tuple[float, float, int], rules: Sequence[float]) -> bool:
    """Whether ``ch`` is printed over a vertical rule, right on from the letter ``before`` it (x1, cy,
    column): a word too long for its cell runs on over the rule (「02-20-00|5」 in a narrow column of a
    CSS table), while no cell's own text starts left of its rule."""
    px1, pcy, _ = before
    if abs(ch.cy - pcy) >= 0.45 * ch.size or not -0.5 < ch.x0 - px1 < 0.05 * ch.size:
        return False
    i = bisect_left(rules, ch.x0 + 0.1)
    return i < len(rules) and rules[i] < ch.x1 - 0.1


@dataclass(slots=True)
class RowPiece:
    """The lines of one table row on one page (a row split by a page break has two pieces)."""

    page: int
    top: float
    bottom: float
    cells: list[list[Line]]
    anchor: Line | None


@dataclass(slots=True)
class PageRows:
    continuation: RowPiece | None  # lines above the first row that continue the previous page's row
    rows: list[RowPiece] = field(default_factory=list)


def _blocks(lines: Sequence[Line]) -> list[tuple[float, float, int]]:
    """Runs of closely spaced lines in one column as (top, bottom, line count)."""
    blocks: list[tuple[float, float, int]] = []
    for ln in lines:
        if blocks and ln.top - blocks[-1][1] < 0.8 * ln.size:
            top, _, n = blocks[-1]
            blocks[-1] = (top, ln.bottom, n + 1)
        else:
            blocks.append((ln.top, ln.bottom, 1))
    return blocks


def vote_alignment(pages: Sequence[list[list[Line]]], anchors: Sequence[list[Line]], anchor_col: int) -> str:
    """Return "top" when cells start level with the row number, "middle" when centred on it."""
    top_votes = mid_votes = 0
    for cols, marks in zip(pages, anchors, strict=True):
        if not marks:
            continue
        for ci, lines in enumerate(cols):
            if ci == anchor_col:
                continue
            for top, bottom, n in _blocks(lines):
                if n < 2:
                    continue
                cy = (top + bottom) / 2
                size = marks[0].size
                if min(abs(a.top - top) for a in marks) < 0.5 * size:
                    top_votes += 1
                elif min(abs(a.cy - cy) for a in marks) < 0.5 * size:
                    mid_votes += 1
    return "middle" if mid_votes > top_votes else "top"


def _cut(
    boxes: Sequence[tuple[float, float]], rules: Sequence[float], lo: float, hi: float, mode: str
) -> float | None:
    """Where one row ends and the next begins between y=lo and y=hi, or None if nowhere is empty."""
    gaps = free_gaps(boxes, lo, hi)
    if not gaps:
        return None
    in_gap = [(r, g) for g in gaps for r in rules if g[0] - 0.5 <= r <= g[1] + 0.5]
    if in_gap:
        if mode == "top":
            return in_gap[-1][0]
        return max(in_gap, key=lambda rg: rg[1][1] - rg[1][0])[0]
    if mode == "top":
        g = gaps[-1]
    else:
        g = max(gaps, key=lambda g: g[1] - g[0])
    return (g[0] + g[1]) / 2


def _line_gap(cols: Sequence[Sequence[Line]]) -> float:
    """The usual space between two lines of one cell on this page (median over every column)."""
    gaps = sorted(
        b.top - a.bottom
        for lines in cols
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 <= b.top - a.bottom < 1.5 * a.size
    )
    return gaps[len(gaps) // 2] if gaps else 0.0


def _row_gap(boxes: Sequence[tuple[float, float]], lo: float, first: Line, line_gap: float) -> float | None:
    """Without rules, centred rows: a continued row above the first mark ends at a gap wider than the
    space between the lines of one cell (row padding on both sides); none such, no continuation."""
    gaps = free_gaps(boxes, lo, first.cy)
    if not gaps:
        return None
    g = max(gaps, key=lambda g: g[1] - g[0])
    # Boxes are trimmed by 0.15 size at both ends, so one cell's line spacing shows as gap + 0.3 size.
    needed = min(1.2 * first.size, line_gap + 0.3 * first.size + max(2.0, 0.2 * first.size))
    return (g[0] + g[1]) / 2 if g[1] - g[0] >= needed else None


def cut_rows(
    cols: list[list[Line]],
    marks: list[Line],
    *,
    page: int,
    rules: Sequence[float],
    mode: str,
    anchor_col: int,
) -> PageRows:
    """Split a page's column lines into rows around the row marks (the numbers in the anchor column)."""
    all_lines = [ln for lines in cols for ln in lines]
    if not all_lines:
        return PageRows(None)
    boxes = [(ln.top + 0.15 * ln.size, ln.bottom - 0.15 * ln.size) for ln in all_lines]
    region_top = min(ln.top for ln in all_lines) - 1.0
    region_bottom = max(ln.bottom for ln in all_lines) + 1.0
    if rules and marks and rules[-1] > marks[-1].bottom:
        region_bottom = min(region_bottom, rules[-1])
    cuts: list[float] = []
    if marks:
        first = marks[0]
        above = [b for b in boxes if b[1] < first.top]
        if above:
            # The cut lies below some data line: a rule above them all is the header's own.
            lo = min(b[1] for b in above)
            if mode == "top":
                cut = _cut(boxes, rules, lo, first.top, mode)
            else:
                near = [r for r in rules if lo < r < first.top]
                cut = (
                    _cut(boxes, near, lo, first.cy, mode)
                    if near
                    else _row_gap(boxes, lo, first, _line_gap(cols))
                )
            cuts.append(cut if cut is not None else region_top)
        else:
            cuts.append(region_top)
        for a, b in zip(marks, marks[1:], strict=False):
            # Up to where the mark's own line is inked (boxes are trimmed by 0.15 size): a cell's last
            # line overflowing its row may reach past the next row's top (Calc, a row too low).
            hi = b.top + 0.3 * b.size if mode == "top" else b.cy
            cut = _cut(boxes, rules, a.cy, hi, mode)
            cuts.append(cut if cut is not None else (a.bottom + b.top) / 2)
    cuts.append(region_bottom)
    pieces: list[list[list[Line]]] = [[[] for _ in cols] for _ in range(len(cuts) + 1)]
    for ci, lines in enumerate(cols):
        for ln in lines:
            if ln.cy > region_bottom:
                continue
            pieces[bisect_left(cuts, ln.cy)][ci].append(ln)
    # slot 0: above the first mark; slot k (1..len(marks)): row k-1; the last slot is below the table.
    result = PageRows(None)
    if not marks:
        cells = pieces[0]
        if any(cells):
            result.continuation = RowPiece(page, region_top, region_bottom, cells, None)
        return result
    if any(pieces[0]):
        result.continuation = RowPiece(page, region_top, cuts[0], pieces[0], None)
    for k, mark in enumerate(marks):
        top = cuts[k]
        bottom = cuts[k + 1]
        result.rows.append(RowPiece(page, top, bottom, pieces[k + 1], mark))
    return result


_ID_SEPARATORS = frozenset("-‐‑–—－_＿.．/／")


def _could_not_fit(a: Line, b: Line, edge: float) -> bool:
    """True when ``b``'s first character would have passed the column's wrap edge at the end of ``a``."""
    return a.x1 + max(b.lead, 0.3 * b.size) > edge + 0.05 * b.size


def id_marks(
    cols: Sequence[Sequence[Line]], anchor_col: int, rules: Sequence[float], edge: float
) -> list[Line]:
    """The first line of each 事業番号 in a table without a No. column.

    A code too long for a narrow column wraps ('05-04-01' over '3'). A line continues the one above it
    when the line above reached the column's wrap edge, no row rule lies between them, they are one
    line's spacing apart, and the rows of this page are visibly further apart than that: above a new
    row's first line every column is empty for at least the row padding. Without that evidence (rows
    printed as tight as lines) every line stays a row of its own.
    """
    lines = cols[anchor_col]
    if len(lines) < 2:
        return list(lines)
    line_gap = _line_gap(cols)
    others = sorted(ln.bottom for ci, col in enumerate(cols) if ci != anchor_col for ln in col)

    def clear_above(ln: Line) -> float:
        i = bisect_left(others, ln.top + 0.15 * ln.size)
        return ln.top - others[i - 1] if i else 1e9

    # The empty band above each line that cannot be a wrap (the line above it ends short): row padding.
    padding = [
        clear_above(b)
        for a, b in zip(lines, lines[1:], strict=False)
        if not _could_not_fit(a, b, edge) and clear_above(b) < 1e9
    ]
    tight = line_gap + 0.3 * lines[0].size
    if rules:
        padded = True
    else:
        padded = bool(padding) and min(padding) > line_gap + 0.6 * lines[0].size
    marks = [lines[0]]
    for a, b in zip(lines, lines[1:], strict=False):
        ruled = any(a.bottom - 0.5 < r < b.top + 0.5 for r in rules)
        # A code ending in its separator (「01-11-」 over 「017」) is no whole code, whatever the padding.
        dangling = a.text.rstrip(" \u3000")[-1:] in _ID_SEPARATORS
        wrapped = (
            not ruled
            and (dangling or (padded and _could_not_fit(a, b, edge)))
            and abs(a.size - b.size) < 0.5
            and b.top - a.bottom <= tight
            and a.x0 - a.size < b.x0 <= b.x1 < a.x1 + a.size  # left-aligned or centred below
        )
        if not wrapped:
            marks.append(b)
    return marks
