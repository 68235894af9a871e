"""Tables printed by reportlab's Platypus (a report tool, not the project's own export style).

Platypus wraps CJK text its own way (closing punctuation may overhang the cell), repeats the header
row wherever a table continues (also in the middle of a page when it splits a row) and, with
``splitInRow``, cuts a row across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

from tests.core.tablegen import FONT_FILES, FONTS, wrap

FIELDS = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")
LABELS = ("No.", "事業番号", "事務事業名", "担当課", "事業の目的", "事業の概要", "成果")
WIDTHS = (0.9, 1.3, 3.2, 2.6, 5.0, 6.5, 6.5)


def _font(kind: str) -> str:
    name = f"PL-{kind}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / FONT_FILES[kind])))
    return name


def make_platypus_pdf(
    path: Path,
    programs: Sequence[dict[str, Any]],
    *,
    font: str = "mincho",
    size: float = 10.0,
    rules: str = "horizontal",
    columns: Sequence[tuple[str, str, float]] | None = None,
    header_rows: Sequence[Sequence[str]] | None = None,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
    title: str | None = "令和６年度　事務事業評価結果一覧",
    right: Sequence[str] = (),
) -> Path:
    """A ``LongTable`` with the header repeated on every page and rows split across pages.

    ``columns`` is (key, label, relative width) per column, keys of ``programs`` in any order;
    ``header_rows`` replaces the one-row header (e.g. a title row, or a grouped two-row header with
    ``spans`` merging cells, as in Platypus' ``SPAN`` command); the columns of the keys in ``right``
    are right-aligned, as figures are.
    """
    face = _font(font)
    style = ParagraphStyle("cell", fontName=face, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    cols = list(columns or zip(FIELDS, LABELS, WIDTHS, strict=True))

    flush_right = ParagraphStyle("figure", parent=style, alignment=TA_RIGHT)

    def para(text: str, key: str = "") -> Paragraph:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>")
        return Paragraph(escaped, flush_right if key in right else style)

    head = [list(r) for r in header_rows] if header_rows else [[label for _, label, _ in cols]]
    data = [[para(t) for t in row] for row in head]
    data += [[para(str(p.get(key, "")), key) for key, _, _ in cols] for p in programs]
    page = landscape(A4)
    total = page[0] - 60
    scale = total / sum(c[2] for c in cols)
    widths = [scale * c[2] for c in cols]
    table = LongTable(data, colWidths=widths, repeatRows=len(head), splitInRow=1)
    commands: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    if rules == "horizontal":
        commands += [
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
        ]
    elif rules == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    commands += [("SPAN", a, b) for a, b in spans]
    table.setStyle(TableStyle(commands))
    doc = SimpleDocTemplate(
        str(path), pagesize=page, leftMargin=30, rightMargin=30, topMargin=30, bottomMargin=30
    )
    story: list[Any] = []
    if title:
        story.append(Paragraph(title, ParagraphStyle("title", fontName=face, fontSize=14, leading=20)))
    story.append(table)
    doc.build(story)
    return path


def make_glyph_pdf(path: Path, programs: Sequence[dict[str, Any]], *, size: float = 8.0) -> Path:
    """A table drawn one glyph at a time at computed positions, as some report engines do: spaces
    are never drawn, only skipped, so a run of ideographic spaces is a jump between two glyphs."""
    from reportlab.pdfgen.canvas import Canvas

    face = _font("gothic")
    page_w, page_h = landscape(A4)
    total = page_w - 60
    scale = total / sum(WIDTHS)
    xs = [30.0]
    for w in WIDTHS:
        xs.append(xs[-1] + scale * w)
    canvas = Canvas(str(path), pagesize=(page_w, page_h))

    def draw(x: float, y: float, text: str) -> None:
        for ch in text:
            if ch not in " \u3000":
                canvas.setFont(face, size)
                canvas.drawString(x, page_h - y, ch)
            x += pdfmetrics.stringWidth(ch, face, size)

    def header(y: float) -> float:
        for i, label in enumerate(LABELS):
            draw(xs[i] + 3, y + size, label)
        canvas.line(30, page_h - y - size - 4, page_w - 30, page_h - y - size - 4)
        return y + size + 8

    y = header(40.0)
    for p in programs:
        cells = [
            wrap(str(p[f]), font=face, size=size, width=xs[i + 1] - xs[i] - 6) or [""]
            for i, f in enumerate(FIELDS)
        ]
        height = max(len(c) for c in cells) * size * 1.4 + 4
        if y + height > page_h - 40:
            canvas.showPage()
            y = header(40.0)
        for i, lines in enumerate(cells):
            for j, line in enumerate(lines):
                draw(xs[i] + 3, y + size + j * size * 1.4, line)
        y += height
        canvas.line(30, page_h - y, page_w - 30, page_h - y)
    canvas.save()
    return path
