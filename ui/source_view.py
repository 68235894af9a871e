"""The page of the imported PDF a program came from, scrolled to its row, for proofreading the import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent
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
KEEP_PAGES = 6
"""Rendered pages kept for going back and forth between rows (a page at 150% is about 8 MB)."""

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
    """All pages one below the other, with the band of the current row tinted so the eye finds it.

    Qt renders a page once (in a thread) and keeps the image while the page only scrolls; in its
    one-page mode every change of page threw the rendered page away and rendered it again, so going
    to a program on another page cost a full render at 150%. Where a page sits is worked out here the
    way ``QPdfView`` lays the pages out (it does not tell), to scroll to a row and draw its band.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.row: tuple[float, float] | None = None  # top, bottom in PDF points
        self.row_page = 0
        self._sizes: dict[int, QSizeF] = {}  # page -> size in points
        self._layout_key: tuple[object, ...] | None = None
        self._rects: list[QRect] = []  # page -> where it is in the laid-out document (pixels)
        self._recent: list[int] = []  # pages shown for a row since the rendered pages were last dropped

    def setDocument(self, document: QPdfDocument | None) -> None:
        self._sizes.clear()
        self._layout_key = None
        self._recent.clear()
        super().setDocument(document)  # type: ignore[arg-type]

    def page_size(self, page: int | None = None) -> QSizeF:
        page = self.row_page if page is None else page
        size = self._sizes.get(page)
        if size is None:
            size = self._sizes[page] = self.document().pagePointSize(page)
        return size

    @staticmethod
    def resolution() -> float:
        """Pixels per PDF point at 100% (what ``QPdfView`` takes from the primary screen)."""
        screen = QGuiApplication.primaryScreen()
        return (screen.logicalDotsPerInch() if screen is not None else 96.0) / 72.0

    def page_rect(self, page: int) -> QRect:
        """Where ``page`` is in the document as laid out (before scrolling), in pixels."""
        document = self.document()
        if document is None or not 0 <= page < document.pageCount():
            return QRect()
        key = (
            id(document),
            document.pageCount(),
            self.zoomMode(),
            self.zoomFactor(),
            self.viewport().width(),
        )
        if key != self._layout_key:
            self._rects = self._lay_out(document.pageCount())
            self._layout_key = key
        return self._rects[page]

    def _lay_out(self, pages: int) -> list[QRect]:
        """Page rectangles as ``QPdfView`` computes them in its multi-page mode."""
        res, zoom, margins = self.resolution(), self.zoomFactor(), self.documentMargins()
        fit = self.zoomMode() == QPdfView.ZoomMode.FitToWidth
        room = self.viewport().width() - margins.left() - margins.right()
        sizes: list[tuple[int, int]] = []
        for page in range(pages):
            points = self.page_size(page)
            if fit:
                w, h = _qround(points.width() * res), _qround(points.height() * res)
                factor = room / w if w else 0.0
                sizes.append((_qround(w * factor), _qround(h * factor)))
            else:
                sizes.append((_qround(points.width() * res * zoom), _qround(points.height() * res * zoom)))
        total = max((w for w, _h in sizes), default=0) + margins.left() + margins.right()
        rects, y = [], margins.top()
        for w, h in sizes:
            rects.append(QRect((max(total, self.viewport().width()) - w) // 2, y, w, h))
            y += h + self.pageSpacing()
        return rects

    def scale(self) -> float:
        """Pixels per PDF point of the row's page at the current zoom."""
        document = self.document()
        if document is None:
            return 0.0
        size = self.page_size()
        rect = self.page_rect(self.row_page)
        if rect.isEmpty() or size.width() <= 0:
            return self.zoomFactor() * self.resolution()
        return rect.width() / size.width()

    def show_row(self, page: int, top: float, bottom: float) -> None:
        """Mark a row; pages rendered for rows long ago are dropped (Qt would keep 21 full pages)."""
        self.row, self.row_page = (top, max(bottom, top)), page
        if page not in self._recent:
            self._recent.append(page)
            if len(self._recent) > KEEP_PAGES:
                self._recent = [page]
                spacing = self.pageSpacing()  # a change of layout is the one way to drop Qt's images
                self.setPageSpacing(spacing + 1)
                self.setPageSpacing(spacing)
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.row is None or self.document() is None:
            return
        scale = self.scale()
        rect = self.page_rect(self.row_page)
        left = rect.x() - self.horizontalScrollBar().value()
        top = rect.y() - self.verticalScrollBar().value()
        band = QRectF(left, top + self.row[0] * scale, rect.width(), (self.row[1] - self.row[0]) * scale)
        painter = QPainter(self.viewport())
        painter.fillRect(band, QColor(255, 214, 0, 70))
        painter.setPen(QColor(230, 160, 0))
        painter.drawRect(band)
        painter.end()


def _qround(value: float) -> int:
    """Qt's qRound for sizes (half away from zero), not Python's round-half-to-even."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


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
        self.pageLabel.setObjectName("sourcePageLabel")
        # A fixed size: a new page number then repaints the label alone, not the tool bar and the tabs
        # around it (a label that may change size asks the whole window to lay itself out again).
        widest = tr("  {page} / {pages} ページ", page=8888, pages=8888)
        self.pageLabel.setFixedSize(
            self.pageLabel.fontMetrics().horizontalAdvance(widest) + 4, self.pageLabel.sizeHint().height()
        )
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
        self._placing = False  # the view is being scrolled to a row (not by the user)
        self.pdfView.pageNavigator().currentPageChanged.connect(self._scrolled_to_page)

    # -- public ---------------------------------------------------------------------------------
    def has_source(self) -> bool:
        return self.stack.currentWidget() is self.pdfView

    def current_page(self) -> int:
        """The page of the row shown (the view may show the end of the page before it, too)."""
        return self.pdfView.row_page

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
        self.pdfView.show_row(page, program.source.top, program.source.bottom)
        self._show_page_number(page)
        self._scroll_to_row()
        self._scroll_timer.start()  # again once a new zoom or a first show has laid the pages out

    def _show_page_number(self, page: int) -> None:
        document = self.pdfView.document()
        pages = document.pageCount() if document is not None else 0
        self.pageLabel.setText(tr("  {page} / {pages} ページ", page=page + 1, pages=pages))

    def _scrolled_to_page(self, page: int) -> None:
        """The user scrolled on to another page: the label says which page is in view."""
        if not self._placing and self.has_source():
            self._show_page_number(page)

    def fit_width(self) -> None:
        self._set_zoom(0.0)

    def zoom_by(self, factor: float) -> None:
        scale = self.pdfView.scale()
        if scale <= 0:
            return
        dpi_scale = self.pdfView.resolution()
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
        rect = self.pdfView.page_rect(self.pdfView.row_page)
        self._placing = True
        try:
            self.pdfView.verticalScrollBar().setValue(
                int(rect.y() + max(program.source.top - MARGIN_POINTS, 0.0) * scale)
            )
            self.pdfView.horizontalScrollBar().setValue(0)  # the row starts at its 事業番号, on the left
        finally:
            self._placing = False
