"""One 事務事業評価シート per program (A4 portrait); long texts shrink, then go on 「（続き）」 pages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from evaldesk import __version__
from evaldesk.export.drawing import TextStyle, draw_footer, draw_lines, new_canvas
from evaldesk.export.fonts import GOTHIC, GOTHIC_BOLD, MINCHO, printable, register_all, seed_subsets
from evaldesk.export.linebreak import Line
from evaldesk.export.result import ExportResult, atomic_output, check_programs, program_label
from evaldesk.fiscal_year import era_date, era_label
from evaldesk.records import FIELD_LABELS, TEXT_FIELDS, Program, Progress

PAGE_W, PAGE_H = A4
MARGIN_X = 42.0
MARGIN_TOP = 40.0
MARGIN_BOTTOM = 30.0
HEADING_H = 40.0
FOOTER_H = 22.0
LABEL_W = 84.0
PAD_X = 7.0
PAD_Y = 6.0
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8)
"""Sizes tried, in order, before a text goes on to a continuation page (80% is the floor)."""
MIN_CONTINUED_LINES = 3

HEADING = TextStyle(GOTHIC_BOLD, 16.0, 20.0)
LABEL = TextStyle(GOTHIC_BOLD, 10.0, 14.0)
VALUE = TextStyle(GOTHIC, 10.5, 15.0)
BODY = TextStyle(MINCHO, 10.5, 17.0)
FOOTER = TextStyle(GOTHIC, 8.0, 10.0)

CONTENT_W = PAGE_W - 2 * MARGIN_X
TEXT_W = CONTENT_W - LABEL_W - 2 * PAD_X
BOX_FIELDS = ("purpose", "overview", "outcome")
_BOX_SHARES = {"purpose": 0.22, "overview": 0.39, "outcome": 0.39}
_HEADER_LINES = {"name": 2, "department": 1}
"""Lines each header cell holds at 100% before it shrinks (and, past 80%, grows)."""
_ROW_H = VALUE.leading + 2 * PAD_Y
_BODY_TOP = PAGE_H - MARGIN_TOP - HEADING_H
_BODY_BOTTOM = MARGIN_BOTTOM + FOOTER_H


@dataclass(frozen=True, slots=True)
class _Cell:
    """A laid-out text: its lines at ``style`` in a box of ``height`` points."""

    label: str
    lines: tuple[Line, ...]
    style: TextStyle
    height: float


@dataclass(frozen=True, slots=True)
class _Page:
    program: Program
    continued: bool
    header: tuple[_Cell, ...]
    boxes: tuple[_Cell, ...]


@dataclass(frozen=True, slots=True)
class _Fitted:
    lines: tuple[Line, ...]
    style: TextStyle
    fits: bool
    natural: float
    """Height the text needs at 100% size, in points (padding included)."""


def _fit(text: str, style: TextStyle, *, width: float, height: float) -> _Fitted:
    """The largest of SCALES at which ``text`` fits ``height``, else the 80% floor (fits=False)."""
    natural = 0.0
    lines: list[Line] = []
    scaled = style
    for scale in SCALES:
        scaled = style.scaled(scale)
        lines = scaled.breaker(width).lines(text) if text else []
        need = len(lines) * scaled.leading + 2 * PAD_Y
        if scale == 1.0:
            natural = need
        if need <= height + 1e-6:
            return _Fitted(tuple(lines), scaled, True, natural)
    return _Fitted(tuple(lines), scaled, False, natural)


def _texts(program: Program, warnings: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in TEXT_FIELDS:
        primary = BODY.font if name in BOX_FIELDS else VALUE.font
        where = f"{program_label(program)}（{FIELD_LABELS[name]}）"
        text = printable(program.text(name), primary=primary, where=where)
        warnings.extend(text.warnings)
        out[name] = text.text
    return out


def _layout(program: Program, warnings: list[str]) -> tuple[list[_Page], dict[str, float]]:
    texts = _texts(program, warnings)
    fractions: dict[str, float] = {}
    value_w = CONTENT_W - LABEL_W - 2 * PAD_X
    header: list[_Cell] = []
    for name, nominal in _HEADER_LINES.items():
        box_h = nominal * VALUE.leading + 2 * PAD_Y
        fitted = _fit(texts[name], VALUE, width=value_w, height=box_h)
        if fitted.natural <= box_h + 1e-6:
            # Within its lines: how much of their length the text takes, which says more than "full".
            fractions[name] = VALUE.width(texts[name].replace("\n", "")) / (value_w * nominal)
        else:
            fractions[name] = fitted.natural / box_h
        height = box_h if fitted.fits else len(fitted.lines) * fitted.style.leading + 2 * PAD_Y
        header.append(_Cell(FIELD_LABELS[name], fitted.lines, fitted.style, height))

    top_h = _ROW_H + sum(c.height for c in header)
    room = _BODY_TOP - _BODY_BOTTOM - top_h
    boxes: list[_Cell] = []
    spill: list[_Cell] = []
    for name in BOX_FIELDS:
        box_h = max(room * _BOX_SHARES[name], 3 * BODY.leading + 2 * PAD_Y)
        fitted = _fit(texts[name], BODY, width=TEXT_W, height=box_h)
        fractions[name] = fitted.natural / box_h
        lines = fitted.lines
        if not fitted.fits:
            keep = max(0, math.floor((box_h - 2 * PAD_Y) / fitted.style.leading + 1e-6))
            label = f"{FIELD_LABELS[name]}（続き）"
            spill.append(_Cell(label, lines[keep:], fitted.style, 0.0))
            lines = lines[:keep]
        boxes.append(_Cell(FIELD_LABELS[name], lines, fitted.style, box_h))
    pages = [_Page(program, False, tuple(header), tuple(boxes))]
    pages.extend(_continuation_pages(program, spill))
    return pages, fractions


def _continuation_pages(program: Program, spill: list[_Cell]) -> list[_Page]:
    pages: list[_Page] = []
    room_full = _BODY_TOP - _BODY_BOTTOM - _ROW_H
    current: list[_Cell] = []
    room = room_full
    for cell in spill:
        lines = cell.lines
        leading = cell.style.leading
        while lines:
            fits = math.floor((room - 2 * PAD_Y) / leading + 1e-6)
            if fits < min(MIN_CONTINUED_LINES, len(lines)) and current:
                pages.append(_Page(program, True, (), tuple(current)))
                current, room = [], room_full
                continue
            take = lines[: max(fits, 1)]
            height = len(take) * leading + 2 * PAD_Y
            current.append(_Cell(cell.label, take, cell.style, height))
            room -= height
            lines = lines[len(take) :]
            if lines:
                pages.append(_Page(program, True, (), tuple(current)))
                current, room = [], room_full
    if current:
        pages.append(_Page(program, True, (), tuple(current)))
    return pages


def sheet_overflow(program: Program) -> dict[str, float]:
    """Per text field, the fraction of its sheet box the text fills at 100% (>1.0: shrinks or spills)."""
    register_all()
    _pages, fractions = _layout(program, [])
    return fractions


@dataclass(frozen=True, slots=True)
class SheetFit:
    """How one program's texts come out on its printed sheet, from the layout that prints it."""

    pages: int
    """Pages the sheet takes (1, or more with 「（続き）」 pages)."""
    fill: tuple[tuple[str, float], ...]
    """Per text field, the share of its box the text needs at 100% size (over 1.0: shrinks or spills)."""
    scale: tuple[tuple[str, float], ...]
    """Per text field, the size it is printed at (1.0, down to the 0.8 floor)."""
    spilled: tuple[str, ...]
    """Fields continued on a 「（続き）」 page."""

    def fill_of(self, field: str) -> float | None:
        return dict(self.fill).get(field)

    def scale_of(self, field: str) -> float:
        return dict(self.scale).get(field, 1.0)


def sheet_fit(program: Program) -> SheetFit:
    """Lay the sheet out exactly as ``export_sheets_pdf`` prints it and say what fits where."""
    register_all()
    pages, fractions = _layout(program, [])
    first = pages[0]
    scale: dict[str, float] = {}
    for name, cell in zip((*_HEADER_LINES, *BOX_FIELDS), (*first.header, *first.boxes), strict=True):
        base = BODY if name in BOX_FIELDS else VALUE
        scale[name] = round(cell.style.size / base.size, 2)
    continued = {cell.label for page in pages[1:] for cell in page.boxes}
    spilled = tuple(n for n in BOX_FIELDS if f"{FIELD_LABELS[n]}（続き）" in continued)
    return SheetFit(
        pages=len(pages),
        fill=tuple(fractions.items()),
        scale=tuple(scale.items()),
        spilled=spilled,
    )


def _label_cell(canvas: Canvas, label: str, *, x: float, top: float, height: float) -> None:
    canvas.setFillGray(0.88)
    canvas.rect(x, top - height, LABEL_W, height, stroke=0, fill=1)
    canvas.setFillGray(0.0)
    parts = label.replace("（続き）", "\n（続き）").split("\n")
    lines = [Line(p, LABEL.width(p), False) for p in parts]
    block = len(lines) * LABEL.leading
    draw_lines(
        canvas,
        lines,
        x=x + 2,
        top=top - (height - block) / 2,
        width=LABEL_W - 4,
        style=LABEL,
        align="center",
    )


def _draw_page(canvas: Canvas, page: _Page, *, number: int, pages: int, printed: str) -> None:
    program = page.program
    x0 = MARGIN_X
    x1 = PAGE_W - MARGIN_X
    heading = f"{era_label(program.fiscal_year)}　事務事業評価シート"
    if page.continued:
        heading += "（続き）"
    canvas.setFont(HEADING.font, HEADING.size)
    canvas.drawString((PAGE_W - HEADING.width(heading)) / 2, PAGE_H - MARGIN_TOP - HEADING.size, heading)

    canvas.setLineWidth(0.6)
    y = _BODY_TOP
    # First row: 年度 | value | 事業番号 | value (on a continuation page: 事業番号 | 事務事業名).
    half = (CONTENT_W - 2 * LABEL_W) / 2
    if page.continued:
        pairs = [(FIELD_LABELS["program_id"], program.program_id), (FIELD_LABELS["name"], program.name)]
        widths = [LABEL_W, half * 0.5, LABEL_W, half * 1.5]
    else:
        pairs = [("年度", era_label(program.fiscal_year)), (FIELD_LABELS["program_id"], program.program_id)]
        widths = [LABEL_W, half, LABEL_W, half]
    x = x0
    for i, (label, value) in enumerate(pairs):
        _label_cell(canvas, label, x=x, top=y, height=_ROW_H)
        x += widths[2 * i]
        avail = widths[2 * i + 1] - 2 * PAD_X
        value = value.replace("\n", " ")
        natural = VALUE.width(value)
        # One line always: a long entry here is set smaller rather than cut.
        style = VALUE if natural <= avail else VALUE.scaled(avail / natural)
        line = Line(value, style.width(value), False)
        draw_lines(
            canvas, [line], x=x + PAD_X, top=y - (_ROW_H - style.leading) / 2, width=avail, style=style
        )
        x += widths[2 * i + 1]
    col_edges = [x0, x0 + widths[0], x0 + sum(widths[:2]), x0 + sum(widths[:3]), x1]
    for edge in col_edges[1:-1]:
        canvas.line(edge, y, edge, y - _ROW_H)
    rows = [y, y - _ROW_H]
    y -= _ROW_H

    cells = [(c, True) for c in page.header] + [(c, False) for c in page.boxes]
    for cell, centred in cells:
        _label_cell(canvas, cell.label, x=x0, top=y, height=cell.height)
        text_h = len(cell.lines) * cell.style.leading
        # Header values sit in the middle of their row; the long texts start at the top of their box.
        top = y - (cell.height - text_h) / 2 if centred else y - PAD_Y
        draw_lines(canvas, list(cell.lines), x=x0 + LABEL_W + PAD_X, top=top, width=TEXT_W, style=cell.style)
        canvas.line(x0 + LABEL_W, y, x0 + LABEL_W, y - cell.height)
        y -= cell.height
        rows.append(y)

    for r in rows:
        canvas.line(x0, r, x1, r)
    canvas.setLineWidth(1.0)
    canvas.rect(x0, y, CONTENT_W, _BODY_TOP - y, stroke=1, fill=0)
    draw_footer(
        canvas,
        page=number,
        pages=pages,
        left=f"事業番号 {program.program_id}",
        right=f"印刷日　{printed}",
        x0=x0,
        x1=x1,
        y=MARGIN_BOTTOM,
        style=FOOTER,
    )


def export_sheets_pdf(
    programs: Sequence[Program],
    out: Path,
    *,
    year: int,
    printed_on: date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write one evaluation sheet per program (plus continuation pages) into one PDF."""
    check_programs(programs, year=year)
    register_all()
    printed = era_date(printed_on or date.today())
    warnings: list[str] = []
    laid_out = [_layout(p, warnings)[0] for p in programs]
    total_pages = sum(len(p) for p in laid_out)
    number = 0
    with atomic_output(Path(out)) as tmp:
        canvas = new_canvas(tmp, size=(PAGE_W, PAGE_H), style=BODY)
        by_font: dict[str, list[str]] = {FOOTER.font: [f"印刷日　{printed}"]}
        for sheet in laid_out:
            for page in sheet:
                for cell in (*page.header, *page.boxes):
                    by_font.setdefault(cell.style.font, []).extend(ln.text for ln in cell.lines)
        for font, texts in by_font.items():
            seed_subsets(canvas, font, texts)
        canvas.setTitle(f"{era_label(year)}　事務事業評価シート")
        canvas.setAuthor("evaldesk")
        canvas.setCreator(f"evaldesk {__version__}")
        canvas.setSubject("事務事業評価シート")
        for done, sheet in enumerate(laid_out, start=1):
            for page in sheet:
                number += 1
                _draw_page(canvas, page, number=number, pages=total_pages, printed=printed)
                canvas.showPage()
            if progress is not None:
                progress(done, len(laid_out))
        canvas.save()
    return ExportResult(path=Path(out), pages=total_pages, programs=len(programs), warnings=tuple(warnings))
