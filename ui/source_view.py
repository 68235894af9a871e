"""The page of the imported PDF a program came from, scrolled to its row, for proofreading the import."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from evaldesk.records import Program
from ui.i18n import tr

log = logging.getLogger(__name__)
MARGIN_POINTS = 12.0
"""Show a little of the row above, so the row itself is not glued to the top edge."""

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


class SourceView(QWidget):
    """Shows ``program.source.page`` of the year's PDF at fit-width, scrolled to ``program.source.top``."""

    def __init__(self, load_pdf: PdfLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceView")
        self._load_pdf = load_pdf
        self._documents: dict[int, _LoadedPdf | None] = {}
        self._program: Program | None = None
        self.pdfView = QPdfView(self)
        self.pdfView.setObjectName("pdfView")
        self.pdfView.setPageMode(QPdfView.PageMode.SinglePage)
        self.pdfView.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.emptyLabel = QLabel(tr("取り込み元のPDFはありません"))
        self.emptyLabel.setObjectName("noSourceLabel")
        self.emptyLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.emptyLabel.setWordWrap(True)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.emptyLabel)
        self.stack.addWidget(self.pdfView)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
                tr("取り込み元のPDFはありません") if program is None or loaded is None
                else tr("この事業の取り込み元の位置は記録されていません")
            )
            self.stack.setCurrentWidget(self.emptyLabel)
            return
        page = min(max(program.source.page, 0), loaded.document.pageCount() - 1)
        if self.pdfView.document() is not loaded.document:
            self.pdfView.setDocument(loaded.document)
        self.stack.setCurrentWidget(self.pdfView)
        self.pdfView.pageNavigator().jump(page, QPointF(0, program.source.top), 0)
        self._scroll_timer.start()  # after the view has laid the page out at its new zoom

    def forget_year(self, year: int | None = None) -> None:
        """Drop cached documents (after a re-import or a restore)."""
        years = list(self._documents) if year is None else [year]
        for y in years:
            loaded = self._documents.pop(y, None)
            if loaded is not None:
                if self.pdfView.document() is loaded.document:
                    self.pdfView.setDocument(None)  # type: ignore[arg-type]
                loaded.close()
        if self._program is not None and (year is None or self._program.fiscal_year == year):
            self.show_program(None)

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
        page_height = document.pagePointSize(self.current_page()).height()
        bar = self.pdfView.verticalScrollBar()
        margins = self.pdfView.documentMargins()
        content = bar.maximum() + bar.pageStep() - margins.top() - margins.bottom()
        if page_height <= 0 or content <= 0:
            return
        scale = content / page_height
        bar.setValue(int(margins.top() + max(program.source.top - MARGIN_POINTS, 0.0) * scale))
