"""What the editor pane says when there is no program to show: why, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import tr

NO_YEARS, NO_HITS, NOTHING_CHOSEN = "no_years", "no_hits", "nothing_chosen"


class EmptyState(QWidget):
    """A title, a few sentences and the buttons that lead on; one of three kinds at a time."""

    importRequested = Signal()
    sampleRequested = Signal()
    clearFilterRequested = Signal()
    manualRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.kind = NOTHING_CHOSEN
        self.titleLabel = QLabel()
        self.titleLabel.setObjectName("emptyTitle")
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.titleLabel.setFont(font)
        self.textLabel = QLabel()
        self.textLabel.setObjectName("emptyText")
        for label in (self.titleLabel, self.textLabel):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.importButton = QPushButton(tr("PDF を取り込む…"))
        self.importButton.setObjectName("emptyImportButton")
        self.importButton.clicked.connect(self.importRequested)
        self.sampleButton = QPushButton(tr("サンプルを開く"))
        self.sampleButton.setObjectName("emptySampleButton")
        self.sampleButton.clicked.connect(self.sampleRequested)
        self.clearButton = QPushButton(tr("検索と絞り込みを解除"))
        self.clearButton.setObjectName("emptyClearButton")
        self.clearButton.clicked.connect(self.clearFilterRequested)
        self.manualButton = QPushButton(tr("使い方を見る"))
        self.manualButton.setObjectName("emptyManualButton")
        self.manualButton.clicked.connect(self.manualRequested)
        buttons = QHBoxLayout()
        for button in (self.importButton, self.sampleButton, self.clearButton, self.manualButton):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.titleLabel)
        layout.addSpacing(8)
        layout.addWidget(self.textLabel)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_kind(NOTHING_CHOSEN)

    def show_kind(self, kind: str, detail: str = "") -> None:
        """NO_YEARS (a new database), NO_HITS (``detail`` names the search/filter) or NOTHING_CHOSEN."""
        self.kind = kind
        if kind == NO_YEARS:
            title = tr("まだ年度がありません")
            text = tr(
                "事務事業評価結果一覧の PDF を取り込むと、事業の一覧がここに出ます。\n"
                "・「PDF を取り込む…」を押す（ファイル → 取り込み…、Ctrl+O）\n"
                "・PDF ファイルをこのウィンドウにドラッグする\n"
                "・付属のサンプル（令和6年度・20事業）で試す"
            )
        elif kind == NO_HITS:
            title = tr("該当する事業がありません")
            text = (detail + "\n" if detail else "") + tr(
                "検索語を変えるか、検索と部署の絞り込みを解除してください。"
            )
        else:
            title = tr("事業を選んでください")
            text = tr("左の一覧から事業を選ぶと、ここで文章を直せます。")
        self.titleLabel.setText(title)
        self.textLabel.setText(text)
        self.importButton.setVisible(kind == NO_YEARS)
        self.sampleButton.setVisible(kind == NO_YEARS)
        self.manualButton.setVisible(kind == NO_YEARS)
        self.clearButton.setVisible(kind == NO_HITS)
