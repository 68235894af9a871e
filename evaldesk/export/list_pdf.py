"""The published list again: A4 landscape table, one row per program, header on every page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from evaldesk import __version__
from evaldesk.export.drawing import Align, TextStyle, draw_lines, new_canvas
from evaldesk.export.fonts import GOTHIC, GOTHIC_BOLD, printable, register_all, seed_subsets
from evaldesk.export.linebreak import PARAGRAPH_START, Line
from evaldesk.export.result import ExportResult, atomic_output, check_programs, program_label
from evaldesk.fiscal_year import era_date, era_label
from evaldesk.records import FIELD_LABELS, Program, Progress

PAGE_W, PAGE_H = landscape(A4)
MARGIN_X = 28.0
MARGIN_TOP = 28.0
MARGIN_BOTTOM = 24.0
TITLE_H = 26.0
FOOTER_H = 18.0
PAD_X = 3.0
PAD_Y = 3.0
MIN_SPLIT_LINES = 3
"""A row is split at a page end only if at least this many of its lines fit there."""
# Our importer (evaldesk.importer.cells) takes a line ending within 1.25 em of the column's wrap edge
# (1.6 em after 。」）) for a wrapped one. So a paragraph's last line ends further short than that,
# wrapped lines are justified flush (Latin lines may stay up to 1 em short) and never open with
# what looks like a bullet: the list reads back to the same texts and paragraphs.
HARD_MARGIN_EM = 1.7
MAX_GAP_LATIN_EM = 1.0

BODY = TextStyle(GOTHIC, 7.5, 11.0)
HEADER = TextStyle(GOTHIC_BOLD, 7.5, 11.0)
TITLE = TextStyle(GOTHIC_BOLD, 13.0, 16.0)
FOOTER = TextStyle(GOTHIC, 7.5, 10.0)


def _col(ems: int) -> float:
    # Whole characters plus a hair: full lines then end flush and need almost no justification.
    return ems * BODY.size + 0.4 + 2 * PAD_X


COLUMNS: tuple[tuple[str, float], ...] = (
    ("no", 22.0),
    ("program_id", 40.0),
    ("name", _col(13)),
    ("department", _col(10)),
    ("purpose", _col(20)),
    ("overview", _col(26)),
    ("outcome", _col(23)),
)
TABLE_W = sum(w for _n, w in COLUMNS)
_NUMBER_COLUMNS = ("no", "program_id")


def list_title(year: int, department: str | None) -> str:
    title = f"{era_label(year)}　事務事業評価結果一覧"
    return f"{title}（{department}）" if department else title


@dataclass(frozen=True, slots=True)
class _Row:
    index: int
    cells: tuple[tuple[Line, ...], ...]

    @property
    def height_lines(self) -> int:
        return max(1, *(len(c) for c in self.cells))


@dataclass(frozen=True, slots=True)
class _Fragment:
    row: _Row
    start: int
    stop: int
    last: bool

    def height(self) -> float:
        return (self.stop - self.start) * BODY.leading + 2 * PAD_Y


def _layout_row(index: int, program: Program, warnings: list[str]) -> _Row:
    cells: list[tuple[Line, ...]] = []
    for name, col_w in COLUMNS:
        raw = "" if name == "no" and program.no is None else str(getattr(program, name))
        if name in _NUMBER_COLUMNS:
            raw = raw.replace("\n", " ")
        text = printable(raw, primary=BODY.font, where=f"{program_label(program)}（{FIELD_LABELS[name]}）")
        warnings.extend(text.warnings)
        breaker = BODY.breaker(
            col_w - 2 * PAD_X,
            hard_margin_em=HARD_MARGIN_EM,
            max_gap_latin_em=MAX_GAP_LATIN_EM,
            avoid_start=PARAGRAPH_START,
        )
        lines = breaker.lines(text.text) if text.text else []
        cells.append(tuple(lines))
    return _Row(index, tuple(cells))


def _paginate(rows: list[_Row]) -> list[list[_Fragment]]:
    body_top = PAGE_H - MARGIN_TOP - TITLE_H - (HEADER.leading + 2 * PAD_Y)
    body_bottom = MARGIN_BOTTOM + FOOTER_H
    full = body_top - body_bottom
    pages: list[list[_Fragment]] = [[]]
    y = body_top
    for row in rows:
        total = row.height_lines
        start = 0
        while start < total:
            need = (total - start) * BODY.leading + 2 * PAD_Y
            room = y - body_bottom
            if need <= room + 1e-6:
                pages[-1].append(_Fragment(row, start, total, True))
                y -= need
                break
            fits = math.floor((room - 2 * PAD_Y) / BODY.leading + 1e-6)
            if pages[-1] and (need <= full or fits < MIN_SPLIT_LINES):
                pages.append([])
                y = body_top
                continue
            fits = max(fits, 1)
            pages[-1].append(_Fragment(row, start, start + fits, False))
            pages.append([])
            y = body_top
            start += fits
    if not pages[-1]:
        pages.pop()
    return pages


def _draw_page(
    canvas: Canvas,
    fragments: list[_Fragment],
    *,
    title: str,
    page: int,
    pages: int,
    printed: str,
) -> list[int]:
    """Draw one page; return the indexes of the rows that end on it."""
    x0 = (PAGE_W - TABLE_W) / 2
    x1 = x0 + TABLE_W
    top = PAGE_H - MARGIN_TOP
    canvas.setFont(TITLE.font, TITLE.size)
    canvas.drawString((PAGE_W - TITLE.width(title)) / 2, top - TITLE.size, title)

    y = top - TITLE_H
    header_h = HEADER.leading + 2 * PAD_Y
    canvas.setFillGray(0.86)
    canvas.rect(x0, y - header_h, x1 - x0, header_h, stroke=0, fill=1)
    canvas.setFillGray(0.0)
    x = x0
    for name, col_w in COLUMNS:
        label = FIELD_LABELS[name]
        lines = [Line(label, HEADER.width(label), False)]
        draw_lines(
            canvas, lines, x=x + PAD_X, top=y - PAD_Y, width=col_w - 2 * PAD_X, style=HEADER, align="center"
        )
        x += col_w
    table_top = y
    y -= header_h
    boundaries = [table_top, y]
    ended: list[int] = []
    for frag in fragments:
        x = x0
        for (name, col_w), cell in zip(COLUMNS, frag.row.cells, strict=True):
            lines = list(cell[frag.start : frag.stop])
            if name in _NUMBER_COLUMNS and frag.start > 0:
                lines = []  # a continued row: the number is printed where the row begins
            align: Align = "center" if name in _NUMBER_COLUMNS and len(cell) == 1 else "left"
            draw_lines(
                canvas, lines, x=x + PAD_X, top=y - PAD_Y, width=col_w - 2 * PAD_X, style=BODY, align=align
            )
            x += col_w
        y -= frag.height()
        boundaries.append(y)
        if frag.last:
            ended.append(frag.row.index)

    canvas.setLineWidth(0.5)
    for b in boundaries:
        canvas.line(x0, b, x1, b)
    x = x0
    canvas.line(x, table_top, x, y)
    for _name, col_w in COLUMNS:
        x += col_w
        canvas.line(x, table_top, x, y)
    # Print date and page number on separate lines: our importer drops running text only when it
    # stands alone on its line, so the two must not share one.
    canvas.setFont(FOOTER.font, FOOTER.size)
    date_text = f"印刷日　{printed}"
    canvas.drawString(x1 - FOOTER.width(date_text), MARGIN_BOTTOM + 8, date_text)
    number = f"{page} / {pages}"
    canvas.drawString((x0 + x1 - FOOTER.width(number)) / 2, MARGIN_BOTTOM - 6, number)
    return ended


def export_list_pdf(
    programs: Sequence[Program],
    out: Path,
    *,
    year: int,
    department: str | None = None,
    printed_on: date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write ``programs`` as the published A4 table; ``department`` (the caller's filter) goes in the title."""
    check_programs(programs, year=year)
    register_all()
    title = list_title(year, department)
    printed = era_date(printed_on or date.today())
    warnings: list[str] = []
    rows = [_layout_row(i, p, warnings) for i, p in enumerate(programs)]
    pages = _paginate(rows)
    total = len(programs)
    done = 0
    with atomic_output(Path(out)) as tmp:
        canvas = new_canvas(tmp, size=(PAGE_W, PAGE_H), style=BODY)
        seed_subsets(canvas, BODY.font, (ln.text for r in rows for cell in r.cells for ln in cell))
        seed_subsets(canvas, FOOTER.font, [f"印刷日　{printed}"])
        canvas.setTitle(title)
        canvas.setAuthor("evaldesk")
        canvas.setCreator(f"evaldesk {__version__}")
        canvas.setSubject("事務事業評価結果一覧")
        for number, fragments in enumerate(pages, start=1):
            ended = _draw_page(canvas, fragments, title=title, page=number, pages=len(pages), printed=printed)
            canvas.showPage()
            if progress is not None:
                for _ in ended:
                    done += 1
                    progress(done, total)
        canvas.save()
    return ExportResult(path=Path(out), pages=len(pages), programs=total, warnings=tuple(warnings))
