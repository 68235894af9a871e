"""Sending a PDF shown in the preview to a printer: paper to match each page, pages rasterised."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from evaldesk.errors import ExportError
from ui.i18n import tr

PRINT_DPI = 300
"""Pages are rasterised for the printer at most at this resolution (enough for 7-point kanji)."""


def match_page(printer: QPrinter, document: QPdfDocument, page: int) -> None:
    """Paper size and orientation of ``page`` (A4 landscape lists, A4 sheets)."""
    size = document.pagePointSize(page)
    if size.isEmpty():
        return
    landscape = size.width() > size.height()
    portrait = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
    printer.setPageSize(QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )


def print_document(printer: QPrinter, document: QPdfDocument) -> int:
    """Paint the pages of ``document`` the printer asks for; returns how many were sent.

    Raises ExportError when the printer cannot start or a page cannot be drawn.
    """
    count = document.pageCount()
    first, last = 0, count - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(count - 1, max(first, printer.toPage() - 1))
    printer.setFullPage(True)  # the PDF pages carry their own margins
    match_page(printer, document, first)
    painter = QPainter()
    if not painter.begin(printer):
        raise ExportError(tr("印刷を始められませんでした。プリンターの設定をご確認ください。"))
    printed = 0
    try:
        for page in range(first, last + 1):
            if page > first:
                match_page(printer, document, page)
                printer.newPage()
            _paint_page(painter, printer, document, page)
            printed += 1
    finally:
        painter.end()
    return printed


def _paint_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    points = document.pagePointSize(page)
    dpi = min(printer.resolution(), PRINT_DPI)
    image = document.render(page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
    if image.isNull():
        raise ExportError(tr("{page} ページ目を描けませんでした。", page=page + 1))
    area = painter.viewport()
    scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRect(
        area.x() + (area.width() - scaled.width()) // 2,
        area.y() + (area.height() - scaled.height()) // 2,
        scaled.width(),
        scaled.height(),
    )
    painter.drawImage(target, image)
