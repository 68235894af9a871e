"""Read a city's 事務事業 table from a PDF into plain records (no Qt, no database)."""

from __future__ import annotations

import gc
import itertools
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from evaldesk.errors import (
    DamagedPdfError,
    EvaldeskError,
    InputFileError,
    NoTableError,
    NoUnicodeMapError,
    ScannedPdfError,
)
from evaldesk.fiscal_year import year_from_title
from evaldesk.importer.bounds import column_bounds
from evaldesk.importer.cells import HANGING, Line, cell_text
from evaldesk.importer.checks import check_rows, near_bounds, table_geometry
from evaldesk.importer.edges import (
    breaks_inside_words,
    is_justified,
    left_edge,
    reserves_hyphen,
    ruled_edge,
    splits_words_flush,
    wrap_edge,
)
from evaldesk.importer.header import Columns
from evaldesk.importer.packed import mark_followers, merge_intervals, merged_spans, pack
from evaldesk.importer.pdfchars import PdfDocument, open_pdf
from evaldesk.importer.rows import (
    PageLayout,
    column_lines,
    cut_rows,
    id_marks,
    is_running_text,
    layout_page,
    table_rules,
    vote_alignment,
)
from evaldesk.importer.spaces import word_spaces
from evaldesk.importer.spacing import column_tracking, document_tracking, untracked
from evaldesk.importer.titles import check_titles
from evaldesk.records import ParsedRow, ParsedTable, Progress, SourceLocation

__all__ = ["parse_pdf"]

_NUMBER_RE = re.compile(r"^\d{1,6}\.?$")
_TEXT_FIELDS = ("name", "department", "purpose", "overview", "outcome")


def parse_pdf(
    path: str | os.PathLike[str], *, password: str | None = None, progress: Progress | None = None
) -> ParsedTable:
    """Read the program table of ``path``; raise an :class:`~evaldesk.errors.InputFileError` if impossible."""
    name = Path(path).name
    try:
        with _no_cycle_collection(), open_pdf(path, password=password) as doc:
            return _parse(doc, progress)
    except EvaldeskError:
        raise
    except Exception as exc:  # a PDFium or decoding failure we did not foresee
        raise DamagedPdfError(f"「{name}」は壊れているため、取り込めません。", path=str(path)) from exc


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading makes millions of short-lived objects (characters, lines) and no reference cycles to
    speak of; reference counting frees them as they go. The cyclic collector would only walk the
    growing heap again and again: a sixth of the time of a long table, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(slots=True)
class _Row:
    no: int | None
    no_text: str
    cells: list[list[Line]]
    page: int
    top: float
    bottom: float
    pages: list[int] = field(default_factory=list)


def _parse(doc: PdfDocument, progress: Progress | None) -> ParsedTable:
    warnings: list[str] = []
    layouts: list[PageLayout] = []
    total = doc.page_count
    chars = unmapped = images = 0
    started = False
    hrules: dict[int, list[tuple[float, float, float]]] = {}
    unmapped_at: dict[int, list[tuple[float, float]]] = {}
    vrules_at: dict[int, list[tuple[float, float, float]]] = {}
    vrules: set[float] = set()
    dividers: set[float] = set()  # vertical rules that run down the data, below the header
    for i in range(total):
        try:
            page = doc.read_page(i)
        except DamagedPdfError:
            warnings.append(f"{i + 1} ページ目が読み込めなかったため、飛ばしました。")
            if progress is not None:
                progress(i + 1, total)
            continue
        chars += len(page.chars)
        unmapped += page.unmapped
        images += page.images
        if page.unmapped_at:
            unmapped_at[i] = page.unmapped_at
        if page.vrules:
            vrules_at[i] = page.vrules
        layout = layout_page(page, table_started=started)
        layout.data = pack(layout.data)  # all pages are kept until the column edges are known
        started = started or layout.header is not None
        layouts.append(layout)
        hrules[i] = page.hrules
        vrules.update(round(x, 1) for x, top, bottom in page.vrules if bottom - top >= 24.0)
        below = layout.header.bottom if layout.header is not None else 0.0
        dividers.update(round(x, 1) for x, top, bottom in page.vrules if bottom - max(top, below) >= 24.0)
        if progress is not None:
            progress(i + 1, total)
    if not layouts:
        raise DamagedPdfError(
            f"「{doc.name}」はどのページも読み込めないため、取り込めません。", path=doc.name
        )
    if chars and unmapped > 0.3 * chars:
        raise NoUnicodeMapError(
            f"「{doc.name}」は文字の Unicode 対応表（ToUnicode）がない PDF のため、文字を読み取れません。",
            path=doc.name,
        )
    first = next((lay for lay in layouts if lay.header is not None), None)
    if first is None or first.header is None:
        raise _no_table(doc, scanned=chars < 20 * len(layouts) and images > 0)
    header = first.header
    # A trailing space may be printed past its cell's edge and close the gap to the next column.
    # Closing punctuation may hang past its cell's edge (kinsoku) and close the gap to the next column.
    coverage = [span for lay in layouts for span in merged_spans(lay.data, skip=HANGING)]
    columns = column_bounds(header, coverage, rules=sorted(dividers), inside=_inside_words(layouts, coverage))
    span = (min((a for a, _ in coverage), default=0.0), max((b for _, b in coverage), default=0.0))
    for lay in layouts:
        lay.rules = table_rules(hrules[lay.index], x0=span[0], x1=span[1])
    # What the boundary checks need of each page, so that _rows can let the pages' characters go.
    kept = near_bounds(layouts, columns, vrules_at)
    data_pages = {lay.index for lay in layouts if lay.data}
    rows = _rows(layouts, columns, warnings, vrules=sorted(vrules))
    warnings.extend(_sequence_warnings(rows, layouts, data_pages))
    title = _title(first)
    titles = check_titles(doc.name, [(lay.index, _title(lay)) for lay in layouts if lay.header is not None])
    doubts, checked = check_rows(rows, table_geometry(columns, span, kept, unmapped_at, vrules_at))
    return ParsedTable(
        rows=rows,
        pages=total,
        warnings=tuple(warnings),
        title=title,
        title_year=titles if titles is not None else (year_from_title(title) if title else None),
        doubts=doubts,
        cells_checked=checked,
    )


def _rows(
    layouts: list[PageLayout], columns: Columns, warnings: list[str], *, vrules: list[float]
) -> tuple[ParsedRow, ...]:
    fields = columns.fields
    anchor_field = "no" if "no" in fields else "program_id"
    anchor_col = fields.index(anchor_field)
    page_cols: list[list[list[Line]]] = []
    for lay in layouts:
        page_cols.append(column_lines(lay.data, columns, rules=vrules))
        lay.data = ()  # read into lines: the characters are not needed again (memory of long tables)
    marks = _row_marks(layouts, page_cols, anchor_col, numbered=anchor_field == "no")
    mode = vote_alignment(page_cols, marks, anchor_col)
    built = _built_rows(layouts, page_cols, marks, mode=mode, anchor_col=anchor_col, warnings=warnings)
    by_col = [[ln for cols in page_cols for ln in cols[ci]] for ci in range(len(fields))]
    lefts = [left_edge(lines) for lines in by_col]
    edges = [wrap_edge(lines) for lines in by_col]
    for ci, lines in enumerate(by_col):
        limit = min((ln.x0 for ln in by_col[ci + 1]), default=1e9) if ci + 1 < len(by_col) else 1e9
        edges[ci] = ruled_edge(lines, edge=edges[ci], left=lefts[ci], rules=vrules, limit=limit)
    tracking = document_tracking([column_tracking(lines, e) for lines, e in zip(by_col, edges, strict=True)])
    by_col = [untracked(lines, tracking) for lines in by_col]
    justified = [is_justified(lines) for lines in by_col]
    words = not any(breaks_inside_words(lines, edge=e) for lines, e in zip(by_col, edges, strict=True))
    spaces = word_spaces(ln.text for lines in by_col for ln in lines)
    hyphens = any(
        reserves_hyphen(lines, edge=e, spaces=spaces) for lines, e in zip(by_col, edges, strict=True)
    ) and not any(
        splits_words_flush(lines, edge=e, spaces=spaces) for lines, e in zip(by_col, edges, strict=True)
    )
    out: list[ParsedRow] = []
    seen: dict[str, int | None] = {}
    for row in built:
        texts: dict[str, str] = {}
        for ci, f in enumerate(fields):
            if f and f not in texts:
                texts[f] = cell_text(
                    untracked(row.cells[ci], tracking),
                    edge=edges[ci],
                    left=lefts[ci],
                    words=words,
                    justified=justified[ci],
                    hyphens=hyphens,
                    spaces=spaces,
                )
        no = row.no if "no" in fields else None
        program_id = re.sub(r"\s+", "", texts.get("program_id", ""))
        label = f"No.{no}" if no is not None else f"{row.page + 1} ページ目の行"
        if not program_id:
            warnings.append(f"{label} の行に事業番号がありません。")
        elif program_id in seen:
            first_no = seen[program_id]
            first_label = f"No.{first_no}" if first_no is not None else "前の行"
            warnings.append(f"事業番号 {program_id} が重複しています（{first_label} と {label}）。")
        else:
            seen[program_id] = no
        out.append(
            ParsedRow(
                no=no,
                program_id=program_id,
                **{f: texts.get(f, "") for f in _TEXT_FIELDS},
                source=SourceLocation(page=row.page, top=row.top, bottom=row.bottom),
            )
        )
    return tuple(out)


def _built_rows(
    layouts: list[PageLayout],
    page_cols: list[list[list[Line]]],
    marks: list[list[Line]],
    *,
    mode: str,
    anchor_col: int,
    warnings: list[str],
) -> list[_Row]:
    """The table's rows from every page's column lines, a row continued on the next page joined."""
    built: list[_Row] = []
    for lay, cols, page_marks in zip(layouts, page_cols, marks, strict=True):
        page_rows = cut_rows(
            cols, page_marks, page=lay.index, rules=lay.rules, mode=mode, anchor_col=anchor_col
        )
        cont = page_rows.continuation
        if cont is not None:
            if built:
                for ci, lines in enumerate(cont.cells):
                    built[-1].cells[ci].extend(lines)
                built[-1].pages.append(lay.index)
            elif (
                any(ci != anchor_col and lines for ci, lines in enumerate(cont.cells)) and lay.header is None
            ):
                warnings.append(f"{lay.index + 1} ページ目の表の先頭に番号のない行があり、読み飛ばしました。")
        for piece in page_rows.rows:
            mark = piece.anchor
            no_text = mark.text if mark is not None else ""
            built.append(_Row(_to_int(no_text), no_text, piece.cells, lay.index, piece.top, piece.bottom))
    return built


def _row_marks(
    layouts: list[PageLayout], page_cols: list[list[list[Line]]], anchor_col: int, *, numbered: bool
) -> list[list[Line]]:
    """Per page, the line that starts each row: a number in the No. column, or else the first line of
    each 事業番号 (a code may wrap onto a second line)."""
    if numbered:
        return [[ln for ln in cols[anchor_col] if _is_number(ln.text)] for cols in page_cols]
    id_edge = wrap_edge([ln for cols in page_cols for ln in cols[anchor_col]])
    return [
        id_marks(cols, anchor_col, lay.rules, id_edge) for lay, cols in zip(layouts, page_cols, strict=True)
    ]


def _inside_words(layouts: list[PageLayout], coverage: list[tuple[float, float]]) -> list[float]:
    """Where the data's covered stretches start only at letters that follow a mark left out of the
    coverage closely on their line: a gap before them is inside words (see bounds.column_bounds)."""
    xs = [x0 for x0, _ in merge_intervals(coverage)]
    glued = [0] * len(xs)
    for lay in layouts:  # first only the letters after a mark: most tables have none at such an x
        for i, (count, _) in enumerate(mark_followers(lay.data, HANGING, xs, others=())):
            glued[i] += count
    candidates = {i for i, count in enumerate(glued) if count}
    for lay in layouts:
        if not candidates:
            break
        counts = mark_followers(lay.data, HANGING, xs, others=candidates)
        candidates -= {i for i in candidates if counts[i][1]}
    return [xs[i] for i in sorted(candidates)]


def _sequence_warnings(
    rows: tuple[ParsedRow, ...], layouts: list[PageLayout], data_pages: set[int]
) -> list[str]:
    """A damaged or skipped page shows as a jump in the row numbers or a page inside the table with no
    rows: say so, so that a partial import never passes unnoticed."""
    out: list[str] = []
    numbered = [r for r in rows if r.no is not None]
    if numbered and numbered[0].no is not None and numbered[0].no > 1:
        out.append(
            f"表が No.{numbered[0].no} から始まっています。前の行が欠けている可能性があります"
            "（ページが壊れているか、一覧の一部だけの PDF です）。"
        )
    for prev, cur in itertools.pairwise(numbered):
        assert prev.no is not None and cur.no is not None
        if cur.no != prev.no + 1:
            page = cur.source.page + 1 if cur.source else 0
            out.append(
                f"No.{prev.no} の次が No.{cur.no} です（{page} ページ目）。行が欠けているか、"
                "順番が乱れている可能性があります。"
            )
    row_pages = {r.source.page for r in rows if r.source is not None}
    if row_pages:
        first, last = min(row_pages), max(row_pages)
        read = {lay.index for lay in layouts}
        for index in range(first + 1, last):
            if index not in read:
                continue  # already warned as unreadable
            if index not in row_pages and index not in data_pages:
                out.append(f"{index + 1} ページ目に表の行が見つかりません。")
    return out


def _no_table(doc: PdfDocument, *, scanned: bool) -> InputFileError:
    """Why no table was found: a scan, text whose fonts lost their character map, or no such table."""
    if scanned:
        return ScannedPdfError(
            f"「{doc.name}」は文字情報のない画像だけの PDF（スキャン）のため、OCR で文字を付けてから取り込んでください。",
            path=doc.name,
        )
    if _garbled(doc):
        return NoUnicodeMapError(
            f"「{doc.name}」は文字の対応表が壊れた PDF のため、文字を正しく読み取れません"
            "（PDF を印刷し直すと起こるため、元の文書から PDF を作り直してください）。",
            path=doc.name,
        )
    return NoTableError(
        f"「{doc.name}」に事務事業の一覧表が見つかりません（事務事業名と No. または事業番号の列を含む"
        "見出し行を、どのページからも読み取れませんでした）。",
        path=doc.name,
    )


# Western single-byte letters and signs: what a Japanese font re-encoded without a ToUnicode map reads as.
_GARBLED = re.compile(
    r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _garbled(doc: PdfDocument) -> bool:
    """True when most characters of the first pages are Latin-1/cp1252 signs (only asked of a PDF
    in which no table was found, so reading those pages again costs nothing on the way of an import)."""
    text = ""
    for i in range(min(3, doc.page_count)):
        try:
            text += "".join(ch.text for ch in doc.read_page(i).chars if not ch.text.isspace())
        except DamagedPdfError:
            continue
    odd = len(_GARBLED.findall(text))
    return len(text) >= 20 and odd > 0.3 * len(text)


def _is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(unicodedata.normalize("NFKC", text).replace(" ", "")))


def _to_int(text: str) -> int | None:
    folded = unicodedata.normalize("NFKC", text).replace(" ", "").rstrip(".")
    return int(folded) if folded.isdigit() else None


def _title(layout: PageLayout) -> str | None:
    """The line above the header that names the table: the biggest naming a fiscal year, else the biggest."""
    segs = [s for s in layout.above if s.text and not is_running_text(s.text)]
    if not segs:
        return None
    rows: list[list[tuple[float, str, float]]] = []
    for seg in sorted(segs, key=lambda s: s.cy):
        if rows and abs(seg.cy - rows[-1][0][0]) < 0.5 * seg.size:
            rows[-1].append((seg.cy, seg.text, seg.x0))
        else:
            rows.append([(seg.cy, seg.text, seg.x0)])
    texts = [" ".join(t for _, t, _ in sorted(r, key=lambda e: e[2])) for r in rows]
    sizes = [max(s.size for s in segs if abs(s.cy - r[0][0]) < 0.5 * s.size) for r in rows]
    # A page header naming the year too (「令和６年度 事務事業評価」 above every page) is printed
    # smaller than the table's own title.
    dated = [i for i, text in enumerate(texts) if year_from_title(text) is not None]
    return texts[max(dated or range(len(texts)), key=sizes.__getitem__)]
