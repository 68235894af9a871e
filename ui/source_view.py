"""The page of the imported PDF a program came from, scrolled to its row, for proofreading the import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QStackedWidget, QToolBar, QVBoxLayout, QWidget

from evaldesk.records import Changes, Program
from ui.i18n import tr
from ui.settings import settings

log = logging.getLogger(__name__)
MARGIN_POINTS = 12.0
"""Show a little of the row above, so the row itself is not glued to the top edge."""
DEFAULT_ZOOM = 1.5
"""150% of actual size: the table's small print is readable (fit to width drew it ~4 px high)."""
MIN_ZOOM, MAX_ZOOM = 0.25, 8.0

PdfLoader = Callable[[int], bytes | None]


class _LoadedPdf:
    """A document kept with the buffer it reads from (QPdfDocument reads the device lazily)."""

    def __init__(self, data: bytes, parent: QWidget) -> None:
        self.buffer = QBuffer(parent)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def ok(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def close(self) -> None:
        self.document.close()
        self.document.deleteLater()
        self.buffer.close()
        self.buffer.deleteLater()


class _RowPdfView(QPdfView):
    """A PDF view that tints the band of the current row, so the eye finds it at once."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.row: tuple[float, float] | None = None  # top, bottom in PDF points
        self._sizes: dict[int, QSizeF] = {}  # page -> size in points, asked on every paint

    def setDocument(self, document: QPdfDocument | None) -> None:
        self._sizes.clear()
        super().setDocument(document)  # type: ignore[arg-type]

    def page_size(self) -> QSizeF:
        page = self.pageNavigator().currentPage()
        size = self._sizes.get(page)
        if size is None:
            size = self._sizes[page] = self.document().pagePointSize(page)
        return size

    def scale(self) -> float:
        """Pixels per PDF point at the current zoom."""
        document = self.document()
        if document is None:
            return 0.0
        size = self.page_size()
        if self.zoomMode() == QPdfView.ZoomMode.FitToWidth and size.width() > 0:
            margins = self.documentMargins()
            return (self.viewport().width() - margins.left() - margins.right()) / size.width()
        return self.zoomFactor() * self.logicalDpiY() / 72.0

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.row is None or self.document() is None:
            return
        scale = self.scale()
        margins = self.documentMargins()
        size = self.page_size()
        left = margins.left() - self.horizontalScrollBar().value()
        top = margins.top() - self.verticalScrollBar().value()
        band = QRectF(
            left, top + self.row[0] * scale, size.width() * scale, (self.row[1] - self.row[0]) * scale
        )
        painter = QPainter(self.viewport())
        painter.fillRect(band, QColor(255, 214, 0, 70))
        painter.setPen(QColor(230, 160, 0))
        painter.drawRect(band)
        painter.end()


class SourceView(QWidget):
    """Shows ``program.source.page`` of the year's PDF zoomed in, scrolled to ``program.source.top``.

    The zoom the user picks (or 幅に合わせる) is kept in the settings for the next program and start.
    """

    def __init__(self, load_pdf: PdfLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceView")
        self._load_pdf = load_pdf
        self._documents: dict[int, _LoadedPdf | None] = {}
        self._program: Program | None = None
        self.pdfView = _RowPdfView(self)
        self.pdfView.setObjectName("pdfView")
        self.pdfView.setPageMode(QPdfView.PageMode.SinglePage)
        self.zoom = settings().source_zoom
        self._apply_zoom()
        self.emptyLabel = QLabel(tr("取り込み元のPDFはありません"))
        self.emptyLabel.setObjectName("noSourceLabel")
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emptyLabel.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.emptyLabel)
        self.stack.addWidget(self.pdfView)
        bar = QToolBar()
        bar.setObjectName("sourceToolBar")
        self.actionFitWidth = bar.addAction(tr("幅に合わせる"), self.fit_width)
        self.actionZoomIn = bar.addAction(tr("拡大"), lambda: self.zoom_by(1.25))
        self.actionZoomOut = bar.addAction(tr("縮小"), lambda: self.zoom_by(0.8))
        self.pageLabel = QLabel()
        bar.addWidget(self.pageLabel)
        self.toolBar = bar
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.stack)
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(0)
        self._scroll_timer.timeout.connect(self._scroll_to_row)

    # -- public ---------------------------------------------------------------------------------
    def has_source(self) -> bool:
        return self.stack.currentWidget() is self.pdfView

    def current_page(self) -> int:
        return self.pdfView.pageNavigator().currentPage()

    def show_program(self, program: Program | None) -> None:
        self._program = program
        loaded = self._document(program.fiscal_year) if program and program.source else None
        if program is None or program.source is None or loaded is None:
            self.emptyLabel.setText(
                tr("取り込み元のPDFはありません")
                if program is None or loaded is None
                else tr("この事業の取り込み元の位置は記録されていません")
            )
            self.stack.setCurrentWidget(self.emptyLabel)
            self.toolBar.setEnabled(False)
            self.pageLabel.setText("")
            self.pdfView.row = None
            return
        page = min(max(program.source.page, 0), loaded.document.pageCount() - 1)
        if self.pdfView.document() is not loaded.document:
            self.pdfView.setDocument(loaded.document)
        self.stack.setCurrentWidget(self.pdfView)
        self.toolBar.setEnabled(True)
        self.pdfView.row = (program.source.top, max(program.source.bottom, program.source.top))
        self.pageLabel.setText(
            tr("  {page} / {pages} ページ", page=page + 1, pages=loaded.document.pageCount())
        )
        self.pdfView.pageNavigator().jump(page, QPointF(0, program.source.top), 0)
        self.pdfView.viewport().update()
        self._scroll_timer.start()  # after the view has laid the page out at its new zoom

    def fit_width(self) -> None:
        self._set_zoom(0.0)

    def zoom_by(self, factor: float) -> None:
        scale = self.pdfView.scale()
        if scale <= 0:
            return
        dpi_scale = self.pdfView.logicalDpiY() / 72.0
        self._set_zoom(min(max(scale / dpi_scale * factor, MIN_ZOOM), MAX_ZOOM))

    def _set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        settings().source_zoom = zoom
        self._apply_zoom()
        self._scroll_timer.start()

    def _apply_zoom(self) -> None:
        if self.zoom > 0:
            self.pdfView.setZoomMode(QPdfView.ZoomMode.Custom)
            self.pdfView.setZoomFactor(self.zoom)
        else:
            self.pdfView.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def forget_year(self, year: int | None = None) -> None:
        """Drop cached documents (after a re-import or a restore)."""
        years = list(self._documents) if year is None else [year]
        for y in years:
            loaded = self._documents.pop(y, None)
            if loaded is not None:
                if self.pdfView.document() is loaded.document:
                    self.pdfView.setDocument(None)
                loaded.close()
        if self._program is not None and (year is None or self._program.fiscal_year == year):
            self.show_program(None)

    def apply_changes(self, changes: Changes) -> None:
        """A year imported again or a restore: its kept PDF may be another one now."""
        if changes.everything:
            self.forget_year()
        for year in changes.years:
            self.forget_year(year)

    # -- internals ------------------------------------------------------------------------------
    def _document(self, year: int) -> _LoadedPdf | None:
        if year not in self._documents:
            data = self._load_pdf(year)
            loaded = _LoadedPdf(data, self) if data else None
            if loaded is not None and not loaded.ok:
                log.warning("source PDF of %s could not be opened (%s)", year, loaded.document.status())
                loaded.close()
                loaded = None
            self._documents[year] = loaded
        return self._documents[year]

    def _scroll_to_row(self) -> None:
        program = self._program
        document = self.pdfView.document()
        if program is None or program.source is None or document is None or not self.has_source():
            return
        scale = self.pdfView.scale()
        if scale <= 0:
            return
        margins = self.pdfView.documentMargins()
        self.pdfView.verticalScrollBar().setValue(
            int(margins.top() + max(program.source.top - MARGIN_POINTS, 0.0) * scale)
        )
        self.pdfView.horizontalScrollBar().setValue(0)  # the row starts at its 事業番号, on the left
        self.pdfView.viewport().update()
