"""Table PDFs that hold a cell the importer must doubt: text over a column edge, a font without
ToUnicode, a header repeated by reportlab's LongTable, two fiscal years in one file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from tests.core.tablegen import DEFAULT_LABELS, FIELDS, _font

WIDTHS = (30.0, 50.0, 130.0, 100.0, 150.0, 150.0, 150.0)


def simple_table(
    path: Path,
    programs: Sequence[dict[str, Any]],
    *,
    fonts: dict[str, str] | None = None,
    nudge: dict[tuple[int, str], float] | None = None,
    title: str = "令和６年度　事務事業評価結果一覧",
) -> Path:
    """One line per cell on a landscape A4 grid. ``fonts`` picks gothic/mincho per field; ``nudge``
    moves the text of (row, field) right by that many points (over the column's right edge)."""
    fonts = fonts or {}
    nudge = nudge or {}
    w, h = landscape(A4)
    c = Canvas(str(path), pagesize=(w, h))
    xs = [30.0]
    for width in WIDTHS:
        xs.append(xs[-1] + width)
    c.setFont(_font("gothic"), 12)
    c.drawString(30, h - 40, title)
    y = 60.0

    def row(cells: Sequence[str], row_fonts: Sequence[str], shift: Sequence[float]) -> None:
        nonlocal y
        for x, text, font, dx in zip(xs, cells, row_fonts, shift, strict=False):
            c.setFont(_font(font), 8)
            c.drawString(x + 3 + dx, h - (y + 13), text)
        for x in xs:
            c.line(x, h - y, x, h - (y + 20))
        c.line(xs[0], h - (y + 20), xs[-1], h - (y + 20))
        y += 20

    c.line(xs[0], h - y, xs[-1], h - y)
    row([DEFAULT_LABELS[f] for f in FIELDS], ["gothic"] * 7, [0.0] * 7)
    for i, p in enumerate(programs):
        cells = [str(p.get(f, "")) for f in FIELDS]
        row(cells, [fonts.get(f, "gothic") for f in FIELDS], [nudge.get((i, f), 0.0) for f in FIELDS])
    c.showPage()
    c.save()
    return path


def strip_tounicode(path: Path, font: str) -> Path:
    """Drop the ToUnicode map of every subset of reportlab font ``font`` (as some producers omit it)."""
    data = path.read_bytes()
    # reportlab names a subset's base font after the registered name; its font dict names the map.
    out = bytearray()
    pos = 0
    for m in re.finditer(rb"<<[^<>]*?/BaseFont /[A-Z]{6}\+" + re.escape(font.encode()) + rb"[^<>]*?>>", data):
        out += data[pos : m.start()]
        out += m.group(0).replace(b"/ToUnicode", b"/Xxunicode")
        pos = m.end()
    out += data[pos:]
    assert out != data, "no font dictionary of that font found"
    path.write_bytes(bytes(out))
    return path


def longtable_pdf(path: Path, programs: Sequence[dict[str, Any]]) -> Path:
    """reportlab Platypus LongTable(repeatRows=1, splitInRow=1), horizontal rules only, Mincho 10pt."""
    font = _font("mincho")
    style = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13, wordWrap="CJK")
    head = [Paragraph(DEFAULT_LABELS[f], style) for f in FIELDS]
    body = [[Paragraph(str(p.get(f, "")).replace("\n", "<br/>"), style) for f in FIELDS] for p in programs]
    table = LongTable([head, *body], colWidths=[w * 1.05 for w in WIDTHS], repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, -1), 0.5, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    title = Paragraph("令和６年度　事務事業評価結果一覧", ParagraphStyle("t", fontName=font, fontSize=14))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=20, rightMargin=20)
    doc.build([title, Spacer(1, 8), table])
    return path


def join_pdfs(path: Path, parts: Sequence[Path]) -> Path:
    """The pages of ``parts`` one after another in one file."""
    out = pdfium.PdfDocument.new()
    for part in parts:
        src = pdfium.PdfDocument(str(part))
        out.import_pages(src)
        src.close()
    out.save(str(path))
    out.close()
    return path
