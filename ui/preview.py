"""A PDF preview: QPdfView over a QPdfDocument, with page navigation and zoom."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.widgets import named

ZOOMS: tuple[tuple[str, QPdfView.ZoomMode, float], ...] = (
    ("ページ全体", QPdfView.ZoomMode.FitInView, 1.0),
    ("幅に合わせる", QPdfView.ZoomMode.FitToWidth, 1.0),
    ("100%", QPdfView.ZoomMode.Custom, 1.0),
    ("150%", QPdfView.ZoomMode.Custom, 1.5),
)


class PdfPreview(QWidget):
    """Shows one PDF a page at a time; ``load(path)`` replaces it, ``clear()`` empties the view."""

    pageChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.document = QPdfDocument(self)
        self.path: Path | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("pdfPreviewView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setStyleSheet("QPdfView { background: #7a7a7a; }")

        self.first_button = named(QPushButton("|◀"), "previewFirst")
        self.prev_button = named(QPushButton(tr("◀ 前へ")), "previewPrev")
        self.next_button = named(QPushButton(tr("次へ ▶")), "previewNext")
        self.last_button = named(QPushButton("▶|"), "previewLast")
        self.first_button.setToolTip(tr("最初のページ"))
        self.last_button.setToolTip(tr("最後のページ"))
        self.page_label = named(QLabel(), "previewPageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setMinimumWidth(110)
        self.zoom_combo = named(QComboBox(), "previewZoom")
        for label, _mode, _factor in ZOOMS:
            self.zoom_combo.addItem(tr(label))
        self.zoom_combo.currentIndexChanged.connect(self._zoom_changed)
        self.first_button.clicked.connect(lambda: self.go_to(0))
        self.prev_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.last_button.clicked.connect(lambda: self.go_to(self.page_count() - 1))
        self.view.pageNavigator().currentPageChanged.connect(self._page_changed)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.first_button, self.prev_button, self.page_label, self.next_button, self.last_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(QLabel(tr("表示")))
        bar.addWidget(self.zoom_combo)

        self.placeholder = named(
            QLabel(tr("「プレビュー」を押すと、ここに印刷の見本が表示されます。")), "previewPlaceholder"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.view, 1)
        self.view.hide()
        self._update()

    def load(self, path: str | Path) -> bool:
        """Show the PDF at ``path`` from its first page; False when Qt cannot read it."""
        self.document.close()
        self.path = Path(path)
        error = self.document.load(str(self.path))
        ok = error == QPdfDocument.Error.None_ and self.document.pageCount() > 0
        self.view.setVisible(ok)
        self.placeholder.setVisible(not ok)
        if ok:
            self.go_to(0)
        else:
            self.placeholder.setText(tr("プレビューを表示できません。"))
        self._update()
        return ok

    def clear(self, message: str | None = None) -> None:
        """Close the document (so its file may be removed) and show ``message`` instead."""
        self.document.close()
        self.path = None
        self.view.hide()
        self.placeholder.setText(message or tr("「プレビュー」を押すと、ここに印刷の見本が表示されます。"))
        self.placeholder.show()
        self._update()

    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        count = self.page_count()
        if count == 0:
            return
        page = max(0, min(page, count - 1))
        self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._update()

    def _zoom_changed(self, index: int) -> None:
        _label, mode, factor = ZOOMS[index]
        self.view.setZoomMode(mode)
        if mode == QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(factor)

    def _page_changed(self, page: int) -> None:
        self._update()
        self.pageChanged.emit(page)

    def _update(self) -> None:
        count = self.page_count()
        page = self.current_page() if count else -1
        self.page_label.setText(tr("{page} / {count} ページ", page=page + 1, count=count) if count else "—")
        self.first_button.setEnabled(count > 0 and page > 0)
        self.prev_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
        self.last_button.setEnabled(count > 0 and page < count - 1)
        self.zoom_combo.setEnabled(count > 0)
