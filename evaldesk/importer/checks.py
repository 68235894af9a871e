"""Checks on every parsed row, so that no cell the importer may have read wrong is stored unnoticed."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any

from evaldesk.importer.cells import HANGING
from evaldesk.importer.charset import CUT_ID_REASON, FOREIGN_REASON, foreign_kanji
from evaldesk.importer.header import Columns, field_for
from evaldesk.importer.labelscan import VOICING_RE, foreign_re
from evaldesk.importer.overprint import overprint_doubts
from evaldesk.importer.packed import Point, boxes, near, near_each
from evaldesk.importer.packed import points as page_points
from evaldesk.importer.pdfchars import Char
from evaldesk.importer.rows import PageLayout
from evaldesk.records import FIELD_LABELS, CellDoubt, ParsedRow, ParsedTable

CHECKED_FIELDS = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")
REQUIRED_FIELDS = ("program_id", "name", "department")  # the editor refuses these empty, too
_TEXT_FIELDS = ("name", "department", "purpose", "overview", "outcome")
_SHORT_FIELDS = ("no", "program_id", "name", "department")
# Labels of columns the importer reads and throws away: a repeated header glues them onto rows too.
_OTHER_LABELS = ("予算額", "決算額", "事業費", "評価", "今後の方向性", "方向性", "備考", "評価結果", "所管部")
_FIGURE_RE = re.compile(r"^[▲△-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|^[▲△-]?\d+(?:\.\d+)?$")
# What may follow a figure in real text: 1,234人, 3,000千円, 12.5％ ...
_UNITS = set(
    "円人件回名社所日年月時分秒％%㎡㎞ｍm台本冊枚戸世帯校園店km万億千百倍割点歳組团団箇か ヶヵ～〜、。）)"
)
_MOJIBAKE_RE = re.compile(r"[\u0080-\u009f\ue000-\uf8ff\ufffd]|[À-ÖØ-öø-ÿ]")
# HANGING: marks that may hang past a cell's edge: closing punctuation, and what kinsoku pulls onto a full line
# (ー, small kana, ・ ...), which a report tool prints past the vertical rule (Platypus: 「ホー」).
_CROSS_GAP = 0.12  # in font sizes: less than any column padding seen (Calc fitted to the page: 0.33)


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where each field's column lies (x0, x1) and the page data the geometric checks look at."""

    columns: Mapping[str, tuple[float, float]]
    bounds: Sequence[tuple[float, str, str]]  # (x, field left of it, field right of it), inner only
    pages: Mapping[int, Sequence[Char]]  # data characters per page index
    unmapped: Mapping[int, Sequence[tuple[float, float]]]  # (x, y) of characters without Unicode
    vrules: Mapping[int, Sequence[tuple[float, float, float]]] = dataclass_field(default_factory=dict)


def check_rows(rows: Sequence[ParsedRow], geometry: Geometry) -> tuple[tuple[CellDoubt, ...], int]:
    """Every doubt about ``rows`` (in row order) and the number of cells checked."""
    fields = [f for f in CHECKED_FIELDS if f in geometry.columns]
    checked = len(rows) * len([f for f in CHECKED_FIELDS if f in fields or f in _TEXT_FIELDS])
    found: list[CellDoubt] = []
    found += _id_doubts(rows, geometry)
    found += _sequence_doubts(rows, geometry)
    for i, row in enumerate(rows):
        for f in fields:
            text = "" if f == "no" else row.text(f)
            for kind, reason in _cell_reasons(f, text):
                found.append(_doubt(rows, i, f, kind, reason, geometry))
    found += _empty_column_doubts(rows, geometry, fields)
    found += _crossing_doubts(rows, geometry)
    found += _ruled_crossing_doubts(rows, geometry)
    found += _unmapped_doubts(rows, geometry, fields) + overprint_doubts(rows, geometry, _doubt)
    seen: set[tuple[int, str, str]] = set()
    out: list[CellDoubt] = []
    for d in sorted(found, key=lambda d: (d.row, CHECKED_FIELDS.index(d.field))):
        if (d.row, d.field, d.kind) not in seen:
            seen.add((d.row, d.field, d.kind))
            out.append(d)
    return tuple(out), checked


def _doubt(
    rows: Sequence[ParsedRow], i: int, field: str, kind: str, reason: str, geometry: Geometry
) -> CellDoubt:
    row = rows[i]
    src = row.source
    text = ("" if row.no is None else str(row.no)) if field == "no" else row.text(field)
    box = None
    if src is not None and field in geometry.columns:
        x0, x1 = geometry.columns[field]
        box = (x0, src.top, x1, src.bottom)
    return CellDoubt(
        row=i,
        no=row.no,
        program_id=row.program_id,
        field=field,
        kind=kind,
        reason=reason,
        text=text,
        page=src.page if src is not None else None,
        box=box,
    )


def _id_doubts(rows: Sequence[ParsedRow], geometry: Geometry) -> list[CellDoubt]:
    if "program_id" not in geometry.columns:
        return []
    out: list[CellDoubt] = []
    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        pid = row.program_id
        if not pid:
            out.append(_doubt(rows, i, "program_id", "missing_id", "事業番号が空です。", geometry))
        elif pid.endswith(("-", "‐", "－")):
            out.append(_doubt(rows, i, "program_id", "id_shape", CUT_ID_REASON, geometry))
        elif pid in first:
            other = rows[first[pid]]
            where = f"No.{other.no}" if other.no is not None else f"{first[pid] + 1} 行目"
            reason = f"事業番号 {pid} が {where} の行と重複しています。"
            out.append(_doubt(rows, i, "program_id", "duplicate_id", reason, geometry))
        else:
            first[pid] = i
    return out + _id_shape_doubts(rows, geometry)


def id_shape(pid: str) -> str:
    """An id's shape: each run of digits as 9, of Latin letters as A; other characters as printed."""
    folded = unicodedata.normalize("NFKC", pid)
    return re.sub(r"[A-Za-z]+", "A", re.sub(r"\d+", "9", folded))


def _id_shape_doubts(rows: Sequence[ParsedRow], geometry: Geometry) -> list[CellDoubt]:
    """An id unlike nearly all the others ('3' among '05-04-013'): often a piece of a wrapped code
    read as a row of its own, or a cell of another column."""
    shapes = [id_shape(r.program_id) for r in rows if r.program_id]
    if len(shapes) < 5:
        return []
    usual, count = Counter(shapes).most_common(1)[0]
    if count < 0.8 * len(shapes):
        return []  # no shape most ids share: nothing to measure against
    return [
        _doubt(
            rows,
            i,
            "program_id",
            "id_shape",
            f"事業番号「{r.program_id}」の形が、ほかの行の事業番号と違います。",
            geometry,
        )
        for i, r in enumerate(rows)
        if r.program_id and id_shape(r.program_id) != usual
    ]


def _sequence_doubts(rows: Sequence[ParsedRow], geometry: Geometry) -> list[CellDoubt]:
    if "no" not in geometry.columns:
        return []
    out: list[CellDoubt] = []
    prev: int | None = None
    for i, row in enumerate(rows):
        if row.no is None:
            out.append(_doubt(rows, i, "no", "sequence", "No. が読み取れません。", geometry))
            continue
        if prev is None and row.no > 1:
            reason = f"表が No.{row.no} から始まっています。前の行が欠けている可能性があります。"
            out.append(_doubt(rows, i, "no", "sequence", reason, geometry))
        elif prev is not None and row.no != prev + 1:
            reason = (
                f"No.{prev} の次が No.{row.no} です。行が欠けているか、順番が乱れている可能性があります。"
            )
            out.append(_doubt(rows, i, "no", "sequence", reason, geometry))
        prev = row.no
    return out


def _empty_column_doubts(
    rows: Sequence[ParsedRow], geometry: Geometry, fields: Sequence[str]
) -> list[CellDoubt]:
    """A labelled column with nothing in any row: its text went to a neighbour (a grouped header read
    wrong) or was never read; each of its cells is in doubt."""
    out: list[CellDoubt] = []
    for f in _TEXT_FIELDS:
        if f not in fields:
            reason = f"表に{FIELD_LABELS[f]}の列が見つかりません。見出しを読み違えた可能性があります。"
        elif f not in REQUIRED_FIELDS and len(rows) > 1 and not any(r.text(f).strip() for r in rows):
            reason = f"{FIELD_LABELS[f]}の列はどの行も空です。見出しと列の対応を読み違えた可能性があります。"
        else:
            continue
        out += [_doubt(rows, i, f, "empty", reason, geometry) for i in range(len(rows))]
    return out


def _cell_reasons(field: str, text: str) -> list[tuple[str, str]]:
    """Doubts that the text alone shows: header words, a bare figure, an empty required cell, mojibake."""
    out: list[tuple[str, str]] = []
    if field in REQUIRED_FIELDS[1:] and not text.strip():
        out.append(("empty", f"{FIELD_LABELS[field]}が空です。"))
    label = _header_word(field, text)
    if label:
        out.append(
            (
                "header_words",
                f"見出しの語「{label}」が含まれています。ページごとに繰り返される見出しが行に混ざった可能性があります。",
            )
        )
    if field in _TEXT_FIELDS:
        figure = _glued_figure(text)
        if figure is not None:
            if figure == text.strip():
                out.append(("bare_number", f"文章の列に数字「{figure}」だけが入っています。"))
            else:
                out.append(
                    (
                        "bare_number",
                        f"先頭の数字「{figure}」は隣の列（予算額など）の値が混ざった可能性があります。",
                    )
                )
    odd = sorted(set(_MOJIBAKE_RE.findall(text)))
    if len(odd) >= 2 or any(not ("À" <= c <= "ÿ") for c in odd):
        shown = "".join(odd[:5])
        out.append(("unmapped", f"文字化けのような文字（{shown}）が含まれています。"))
    foreign = foreign_kanji(text)
    if foreign:
        out.append(("unmapped", FOREIGN_REASON.format(foreign[:5])))
    return out


_FOREIGN_RE = foreign_re("".join(_OTHER_LABELS))


def _is_label(text: str) -> bool:
    if _FOREIGN_RE.search(text) and not VOICING_RE.search(text):
        return False  # see _foreign_re
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")
    return bool(folded) and (field_for(folded) is not None or folded in _OTHER_LABELS)


def _header_word(field: str, text: str) -> str | None:
    """A header label glued to the cell: a whole line that is a label, or (short fields) a label at
    either end. Two-character labels (目的, 成果) are ordinary words: they count only as a whole line."""
    for line in text.split("\n"):
        if _is_label(line.strip()):
            return line.strip()
    flat = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    shortest = 3 if field in _SHORT_FIELDS else 4
    # Every piece at one end holds that end's character: one of no label rules them all out.
    plain = not VOICING_RE.search(flat)
    heads = field in _SHORT_FIELDS and not (plain and _FOREIGN_RE.match(flat[:1]))
    tails = not (plain and _FOREIGN_RE.match(flat[-1:]))
    for n in range(min(len(flat) - (0 if field == "program_id" else 1), 8), shortest - 1, -1):
        # A sentence may open with a label's words (事業の目的に沿って…); a short field may not.
        if heads and _is_label(flat[:n]):
            return flat[:n]
        if tails and _is_label(flat[-n:]):
            return flat[-n:]
    return None


def _glued_figure(text: str) -> str | None:
    """A figure standing alone in a text cell, or heading it with no unit after it (予算額 glued on)."""
    head = text.lstrip()
    m = _FIGURE_RE.match(unicodedata.normalize("NFKC", head[:24]))
    if not m:
        return None
    figure = m.group(0)
    rest = unicodedata.normalize("NFKC", head)[len(figure) :]
    if not rest.strip():
        return figure
    if "," not in figure:
        return None  # 「3歳児」「2024年度」: a number leading a sentence is common
    nxt = rest[0]
    return None if nxt in _UNITS or nxt.isspace() else figure


def _row_at(rows: Sequence[ParsedRow], page: int, y: float) -> int | None:
    return next((i for i, row in enumerate(rows) if row.printed_at(page, y)), None)


def _crossing_doubts(rows: Sequence[ParsedRow], geometry: Geometry) -> list[CellDoubt]:
    """Text printed across a column boundary: characters on both sides of it on one line, closer than
    any column padding. Only boundaries that the data leave no clear gap at are scanned."""
    xs = [x for x, _, _ in geometry.bounds]
    if not xs:
        return []
    n = len(xs) + 1
    right_end = [-1e9] * n  # per column: the furthest right a character ends
    left_end = [1e9] * n  # and the furthest left one starts
    straddle = [False] * len(xs)
    sizes: list[float] = []
    for page_chars in geometry.pages.values():
        for text, x0, x1, _, _, size in boxes(page_chars):
            if text == " ":
                continue
            a = bisect_left(xs, x0)
            b = bisect_left(xs, x1)
            if a != b:
                straddle[a] = True
            if x1 > right_end[a]:
                right_end[a] = x1
            if x0 < left_end[b]:
                left_end[b] = x0
            if len(sizes) < 500:
                sizes.append(size)
    if not sizes:
        return []
    size = sorted(sizes)[len(sizes) // 2]
    out: list[CellDoubt] = []
    points: dict[int, list[Point]] = {}
    for k, (x, left, right) in enumerate(geometry.bounds):
        if not straddle[k] and left_end[k + 1] - right_end[k] >= _CROSS_GAP * size:
            continue
        for page, page_chars in geometry.pages.items():
            if page not in points:
                points[page] = page_points(page_chars)
            for y in _glued_at(points[page], x, unlabelled=not (left and right)):
                i = _row_at(rows, page, y)
                if i is None:
                    continue
                for f, other in ((left, right), (right, left)):
                    if f:
                        reason = (
                            f"文字が隣の列（{FIELD_LABELS.get(other, '見出しのない列')}）との境目をまたいで"
                            "続いています。列の区切りを読み違えた可能性があります。"
                        )
                        out.append(_doubt(rows, i, f, "crosses_column", reason, geometry))
    return out


def _field_at(geometry: Geometry, x: float) -> str | None:
    return next((f for f, (x0, x1) in geometry.columns.items() if x0 <= x < x1), None)


def _ruled_crossing_doubts(rows: Sequence[ParsedRow], geometry: Geometry) -> list[CellDoubt]:
    """Text printed across a cell's vertical rule: no producer lets a cell's text cross its own rule."""
    out: list[CellDoubt] = []
    lo = min((x0 for x0, _ in geometry.columns.values()), default=0.0)
    hi = max((x1 for _, x1 in geometry.columns.values()), default=0.0)
    for page, rules in geometry.vrules.items():
        xs = sorted({round(x, 1) for x, _, _ in rules})
        if not xs:
            continue
        near = near_each(page_points(geometry.pages.get(page, ())), xs)
        for x in xs:
            for cy in _glued_at(near[x], x, ruled=True):
                if not any(abs(rx - x) < 0.2 and top <= cy <= bottom for rx, top, bottom in rules):
                    continue
                i = _row_at(rows, page, cy)
                left, right = _field_at(geometry, x - 1.0), _field_at(geometry, x + 1.0)
                if i is None or not lo + 3.0 < x < hi - 3.0:
                    continue  # a mark hanging past the table's outer rule
                for f, other in ((left, right), (right, left)):
                    if f:
                        reason = (
                            f"文字が隣の列（{FIELD_LABELS.get(other or '', '見出しのない列')}）との罫線を"
                            "またいで印刷されています。列の区切りを読み違えた可能性があります。"
                        )
                        out.append(_doubt(rows, i, f, "crosses_column", reason, geometry))
    return out


_Near = tuple[float, float, float, float, str]  # x0, x1, cy, size, text


def _lines_near(points: Sequence[Point], x: float) -> list[list[_Near]]:
    """The printed characters (of :func:`~.packed.points`) within three sizes of ``x`` as lines, left to right."""
    near = [p for p in points if p[1] - 3 * p[3] < x < p[2] + 3 * p[3]]
    lines: list[list[_Near]] = []
    for cy, x0, x1, size, text in near:
        if lines and abs(cy - lines[-1][0][2]) < 0.3 * size:
            lines[-1].append((x0, x1, cy, size, text))
        else:
            lines.append([(x0, x1, cy, size, text)])
    for line in lines:
        line.sort()
    return lines


def _glued_at(
    points: Sequence[Point], x: float, *, ruled: bool = False, unlabelled: bool = False
) -> list[float]:
    """The y of each line whose text runs on across ``x``: two neighbouring characters, read into the
    columns on either side (by their centres, as the reader assigns them), printed as close as the
    letters of one word. Across a boundary the reader placed (not a rule) that counts only when the
    line has a clearly wider gap close by, where the boundary should have been, or when the boundary
    cuts evenly set text off into a column with no label of its own (``unlabelled``; a grouped header
    read as one column too many): producers that print cells flush leave gaps between two labelled
    columns as narrow as those inside a word."""
    ys: list[float] = []
    for line in _lines_near(points, x):
        for k in range(len(line) - 1):
            (a0, a1, cy, size, text), (b0, b1, _, _, _) = line[k], line[k + 1]
            if not (a0 + a1) / 2 < x <= (b0 + b1) / 2:
                continue
            if text in HANGING:
                break  # 、。 may hang past a cell's edge (ぶら下げ) and touch the next cell's text
            gap = b0 - a1
            if -0.5 < gap < 0.05 * size and _kept_left(line, k + 1, x if ruled else None):
                break
            # Glyphs of one run touch; two cells' texts that collide overlap (a line hanging past its
            # cell): that is not one text read across the boundary.
            if -0.1 * size <= gap < _CROSS_GAP * size:
                others = sorted(line[j + 1][0] - line[j][1] for j in range(len(line) - 1) if j != k)
                wider_nearby = bool(others) and others[-1] >= max(3 * gap, 0.3 * size)
                # A boundary through evenly set text: its gap is no wider than those between letters.
                through_text = (
                    unlabelled and len(others) >= 2 and gap <= others[len(others) // 2] + 0.03 * size
                )
                if ruled or wider_nearby or through_text:
                    ys.append(cy)
            break
    return ys


def _unmapped_doubts(rows: Sequence[ParsedRow], geometry: Geometry, fields: Sequence[str]) -> list[CellDoubt]:
    """Characters PDFium could not map to Unicode (a font without ToUnicode), counted per cell."""
    out: list[CellDoubt] = []
    if not geometry.unmapped:
        return out
    spans: dict[int, list[tuple[float, float, int]]] = {}
    for i, row in enumerate(rows):
        if row.source is not None:
            spans.setdefault(row.source.page, []).append((row.source.top, row.source.bottom, i))
    for page, points in geometry.unmapped.items():
        counts: dict[tuple[int, str], int] = {}
        for x, y in points:
            at = next((k for top, bottom, k in spans.get(page, []) if top <= y <= bottom), None)
            f = next((f for f in fields if geometry.columns[f][0] <= x < geometry.columns[f][1]), None)
            if at is not None and f is not None:
                counts[(at, f)] = counts.get((at, f), 0) + 1
        for (i, f), n in counts.items():
            reason = (
                f"文字の対応表（ToUnicode）がないか欠けているフォントの文字が {n} 文字あり、"
                "文字化けしているか欠けている可能性があります。"
            )
            out.append(_doubt(rows, i, f, "unmapped", reason, geometry))
    return out


def resolve(table: ParsedTable, texts: Mapping[tuple[int, str], str]) -> ParsedTable:
    """The table with the doubtful cells the user looked at: each (row, field) in ``texts`` takes that
    text (the text as read when confirmed, the typed one when corrected) and loses its doubts."""
    rows = list(table.rows)
    for (i, field), text in texts.items():
        if field == "no":
            folded = unicodedata.normalize("NFKC", text).strip()
            rows[i] = replace(rows[i], no=int(folded) if folded.isdigit() else None)
        else:
            changes: dict[str, Any] = {field: text.strip() if field == "program_id" else text}
            rows[i] = replace(rows[i], **changes)
    left = tuple(d for d in table.doubts if (d.row, d.field) not in texts)
    return replace(table, rows=tuple(rows), doubts=left)


def near_bounds(
    layouts: Sequence[PageLayout],
    columns: Columns,
    vrules: Mapping[int, Sequence[tuple[float, float, float]]],
) -> dict[int, Sequence[Char]]:
    """Per page, the characters near a column boundary or a vertical rule (see packed.near)."""
    return {
        lay.index: near(lay.data, [*columns.bounds, *(x for x, _, _ in vrules.get(lay.index, ()))])
        for lay in layouts
    }


def table_geometry(
    columns: Columns,
    span: tuple[float, float],
    pages: Mapping[int, Sequence[Char]],
    unmapped: Mapping[int, Sequence[tuple[float, float]]],
    vrules: Mapping[int, Sequence[tuple[float, float, float]]],
) -> Geometry:
    """The geometry the checks need, from what the reader found: column slices and page data."""
    edges = [span[0] - 2.0, *columns.bounds, span[1] + 2.0]
    ranges: dict[str, tuple[float, float]] = {}
    for i, f in enumerate(columns.fields):
        if f and f not in ranges:
            ranges[f] = (edges[i], edges[i + 1])
    bounds = [(x, columns.fields[i], columns.fields[i + 1]) for i, x in enumerate(columns.bounds)]
    return Geometry(ranges, bounds, pages, unmapped, vrules)


def _kept_left(line: Sequence[_Near], k: int, rule: float | None) -> bool:
    """Whether character ``k`` of ``line``, touching the one before it across a boundary, is the last
    of that text, which the reader keeps with it: a mark that kinsoku pushes over the edge (「事業）」
    「ダイバーシティ」 in Platypus), or a letter printed over the ``rule`` by a word too long for its
    cell (「02-20-00|5」 in a narrow CSS column). No more of the text follows it across: the next cell's
    text starts after a gap, or under the mark or letter hanging over it."""
    x0, x1, _, size, text = line[k]
    if text in HANGING:
        collide = 0.1 * size
    elif rule is not None and x0 + 0.1 < rule < x1 - 0.1:
        collide = 0.02 * size  # letters of one run abut; the next cell's text overlaps the last one
    else:
        return False
    if k + 1 >= len(line):
        return True
    gap = line[k + 1][0] - x1
    return not -collide <= gap < _CROSS_GAP * size
