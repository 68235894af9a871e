"""The review of returned workbooks: per field the sent, returned and current text with character diffs;
accept or reject per field, per program or a whole 課; nothing is stored before 「取り込む」."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from evaldesk.errors import EvaldeskError
from evaldesk.fiscal_year import era_label
from evaldesk.roundtrip import AcceptResult, FieldKey, FieldReview, Review
from ui import diff_view
from ui.i18n import tr
from ui.table_models import RecordTableModel
from ui.widgets import ErrorLabel, named, object_name, record_table

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from ui.runner import Runner

log = logging.getLogger(__name__)

STATE_LABELS: dict[str, str] = {
    "changed": "課が変更",
    "conflict": "競合（両方で変更）",
    "local": "evaldesk で変更済み",
    "unchanged": "変更なし",
}
STATE_COLORS: dict[str, str] = {"changed": "#1b5e20", "conflict": "#b00020", "local": "#666666"}
DECISION_LABELS: dict[bool | None, str] = {True: "取り込む", False: "取り込まない", None: "未決定"}


class ReviewModel(RecordTableModel[FieldReview]):
    """The fields a 課 changed (and, greyed, those changed only in evaldesk), with the decision taken."""

    HEADERS = ("部署名", "事業番号", "事務事業名", "項目", "状態", "判断")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}
        self.decisions: dict[FieldKey, bool] = {}

    def set_review(self, review: Review | None) -> None:
        self.decisions = {}
        self.names = {p.program_id: p.name for w in (review.workbooks if review else ()) for p in w.programs}
        fields = [f for w in (review.workbooks if review else ()) for p in w.programs for f in p.fields]
        self.set_records(f for f in fields if f.state != "unchanged")

    def decide(self, keys: Iterable[FieldKey], accept: bool | None) -> None:
        changed = False
        for key in keys:
            if accept is None:
                changed |= self.decisions.pop(key, None) is not None
            elif self.decisions.get(key) is not accept:
                self.decisions[key] = accept
                changed = True
        if changed and self._records:
            self.dataChanged.emit(self.index(0, 5), self.index(len(self._records) - 1, 5))

    def row_of(self, key: FieldKey) -> int:
        for i, f in enumerate(self._records):
            if f.key == key:
                return i
        return -1

    def cell(self, f: FieldReview, col: int, role: int) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return f.department
            if col == 1:
                return f.program_id
            if col == 2:
                return self.names.get(f.program_id, "")
            if col == 3:
                return diff_view.field_label(f.field)
            if col == 4:
                text = tr(STATE_LABELS[f.state])
                return text + (tr("・字数超過") if f.takes_returned and f.over_limit else "")
            if col == 5:
                return tr(DECISION_LABELS[self.decisions.get(f.key)]) if f.takes_returned else "—"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4:
                return QColor(STATE_COLORS.get(f.state, "#000000"))
            if f.state == "local":
                return QColor("#777777")
        return None


def _body(text: str) -> str:
    return f'<p style="{diff_view.BODY_STYLE}">{text or "&nbsp;"}</p>'


def field_html(f: FieldReview, side: str) -> str:
    """One pane: the sent text with what the 課 removed, the returned or current text with what was added."""
    from evaldesk.compare import text_diff

    if side == "sent":
        return _body(diff_view.spans_to_html(text_diff(f.sent, f.returned), "old"))
    other = f.returned if side == "returned" else f.current
    if other == f.sent:
        return _body(html.escape(other, quote=False).replace("\n", "<br>"))
    return _body(diff_view.spans_to_html(text_diff(f.sent, other), "new"))


class ReviewView(QDialog):
    """Non-modal (``show()``); ``returnsStored`` carries the AcceptResult once the decisions are stored."""

    returnsStored = Signal(object)

    def __init__(self, desk: Desk, review: Review, parent: QWidget | None = None, *, runner: Runner) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.review = review
        self.outcome: AcceptResult | None = None
        self.setObjectName("reviewView")
        self.setWindowTitle(tr("返送されたブックの確認"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1280, 800)
        self.summary_label = named(QLabel(), "reviewSummary")
        self.summary_label.setWordWrap(True)
        self.refused_list = named(QListWidget(), "reviewRefused")
        self.refused_list.setMaximumHeight(70)
        self.error_label = ErrorLabel("reviewError", self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.refused_list)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(self._build_buttons())
        self.set_review(review)

    # -- building -------------------------------------------------------------------------------
    def _build_list(self) -> QWidget:
        self.model = ReviewModel(self)
        self.table = record_table(self.model, "reviewTable")
        header = self.table.horizontalHeader()
        for col in range(self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)  # one line a row; long names end in 「…」
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proposals_label = QLabel()
        self.proposals_list = named(QListWidget(), "reviewProposals")
        self.proposals_list.setMaximumHeight(90)
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.proposals_label)
        lay.addWidget(self.proposals_list)
        return box

    def _build_detail(self) -> QWidget:
        self.title_label = named(QLabel(), "reviewTitle")
        self.title_label.setWordWrap(True)
        self.browsers: dict[str, QTextBrowser] = {}
        panes = QHBoxLayout()
        for side, caption in (("sent", "送付時"), ("returned", "課の回答"), ("current", "現在の evaldesk")):
            browser = named(QTextBrowser(), object_name("review", side))
            self.browsers[side] = browser
            col = QVBoxLayout()
            col.addWidget(QLabel(f"<b>{html.escape(tr(caption))}</b>"))
            col.addWidget(browser)
            panes.addLayout(col)
        legend = QLabel(diff_view.legend_html())
        legend.setTextFormat(Qt.TextFormat.RichText)
        self.comment_label = named(QLabel(), "reviewComment")
        self.comment_label.setWordWrap(True)
        self.warning_label = named(QLabel(), "reviewWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color:#8a4b00;")
        detail = QWidget()
        lay = QVBoxLayout(detail)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title_label)
        lay.addLayout(panes, 1)
        lay.addWidget(legend)
        lay.addWidget(self.warning_label)
        lay.addWidget(self.comment_label)
        return detail

    def _build_buttons(self) -> QHBoxLayout:
        def button(text: str, name: str, slot: Any) -> QPushButton:
            b = named(QPushButton(tr(text)), name)
            b.clicked.connect(lambda _checked=False: slot())
            return b

        self.accept_field_button = button(
            "この項目を取り込む", "reviewAcceptField", lambda: self._decide_selected(True)
        )
        self.reject_field_button = button(
            "取り込まない", "reviewRejectField", lambda: self._decide_selected(False)
        )
        self.accept_program_button = button(
            "この事業をすべて取り込む", "reviewAcceptProgram", self._accept_selected_program
        )
        self.accept_department_button = button(
            "この課をすべて取り込む", "reviewAcceptDepartment", self._accept_selected_department
        )
        self.apply_button = button("決定を保存", "reviewApply", self.apply)
        self.close_button = button("閉じる", "reviewClose", self.close)
        row = QHBoxLayout()
        for b in (
            self.accept_field_button,
            self.reject_field_button,
            self.accept_program_button,
            self.accept_department_button,
        ):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.apply_button)
        row.addWidget(self.close_button)
        return row

    # -- content --------------------------------------------------------------------------------
    def set_review(self, review: Review) -> None:
        self.review = review
        self.model.set_review(review)
        changes = review.changes
        conflicts = sum(1 for f in changes if f.state == "conflict")
        proposals = [p for w in review.workbooks for p in w.proposals]
        self.summary_label.setText(
            tr(
                "{year}：{books} 冊のブック・課の変更 {n} 件（うち競合 {conflicts} 件）・新しい事業の提案 {proposals} 件",
                year=era_label(review.fiscal_year) if review.fiscal_year else "",
                books=len(review.workbooks),
                n=len(changes),
                conflicts=conflicts,
                proposals=len(proposals),
            )
        )
        self.refused_list.clear()
        self.refused_list.addItems([r.message for r in review.refused])
        self.refused_list.setVisible(bool(review.refused))
        self.proposals_list.clear()
        self.proposals_list.addItems(
            [
                tr(
                    "{department}（{row} 行目）: {name}　※保存はしません",
                    department=p.department,
                    row=p.row,
                    name=p.name or tr("（名称なし）"),
                )
                for p in proposals
            ]
        )
        self.proposals_label.setText(tr("新しい事業の提案（{n} 件）", n=len(proposals)))
        self.proposals_label.setVisible(bool(proposals))
        self.proposals_list.setVisible(bool(proposals))
        if self.model.rowCount() > 0:
            self.table.selectRow(0)
        else:
            self._show(None)
        self._update_buttons()

    def selected_field(self) -> FieldReview | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def select_field(self, key: FieldKey) -> bool:
        row = self.model.row_of(key)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected_field())
        self._update_buttons()

    def _show(self, f: FieldReview | None) -> None:
        if f is None:
            self.title_label.setText(
                tr("課が変更した項目はありません。") if self.model.rowCount() == 0 else ""
            )
            for b in self.browsers.values():
                b.clear()
            self.comment_label.clear()
            self.warning_label.clear()
            return
        name = self.model.names.get(f.program_id, "")
        self.title_label.setText(
            f"<b>{html.escape(f.department)}　{html.escape(f.program_id)} {html.escape(name)}</b>　"
            f"{html.escape(diff_view.field_label(f.field))}［{html.escape(tr(STATE_LABELS[f.state]))}］"
        )
        for side, browser in self.browsers.items():
            browser.setHtml(field_html(f, side))
        comment = next(
            (
                p.comment
                for w in self.review.workbooks
                if w.department == f.department
                for p in w.programs
                if p.program_id == f.program_id
            ),
            "",
        )
        self.comment_label.setText(tr("課の意見: {comment}", comment=comment) if comment else "")
        warning = ""
        if f.takes_returned and f.over_limit:
            warning = tr(
                "課の回答は {n} 字で、上限の {limit} 字を超えています（取り込むことはできます）。",
                n=len(f.returned),
                limit=f.limit,
            )
        self.warning_label.setText(warning)

    def _update_buttons(self) -> None:
        f = self.selected_field()
        can = f is not None and f.takes_returned and self.outcome is None
        self.accept_field_button.setEnabled(can)
        self.reject_field_button.setEnabled(can)
        self.accept_program_button.setEnabled(f is not None and self.outcome is None)
        self.accept_department_button.setEnabled(f is not None and self.outcome is None)
        self.apply_button.setEnabled(self.outcome is None and bool(self.review.changes))

    # -- decisions ------------------------------------------------------------------------------
    def decide(self, key: FieldKey, accept: bool | None) -> None:
        self.model.decide([key], accept)

    def accept_program(self, department: str, program_id: str) -> None:
        self.model.decide(
            [f.key for f in self.review.changes if f.department == department and f.program_id == program_id],
            True,
        )

    def accept_department(self, department: str) -> None:
        self.model.decide([f.key for f in self.review.changes if f.department == department], True)

    def _decide_selected(self, accept: bool) -> None:
        f = self.selected_field()
        if f is not None and f.takes_returned:
            self.decide(f.key, accept)
            row = self.model.row_of(f.key)
            if row + 1 < self.model.rowCount():  # on to the next one, as in a review of changes
                self.table.selectRow(row + 1)

    def _accept_selected_program(self) -> None:
        f = self.selected_field()
        if f is not None:
            self.accept_program(f.department, f.program_id)

    def _accept_selected_department(self) -> None:
        f = self.selected_field()
        if f is not None:
            self.accept_department(f.department)

    def accepted_keys(self) -> list[FieldKey]:
        return [k for k, v in self.model.decisions.items() if v]

    def apply(self) -> None:
        """Store the fields decided 取り込む (the others are not stored) through the runner."""
        keys, desk, review = self.accepted_keys(), self.desk, self.review

        def task(progress: Any) -> AcceptResult:
            return desk.accept_returns(review, keys, progress=progress)

        self.apply_button.setEnabled(False)
        self.runner.run(
            task,
            on_done=self._stored,
            on_error=self._failed,
            changes=lambda result: result.changes,
        )

    def _stored(self, result: AcceptResult) -> None:
        self.outcome = result
        parts = [
            tr(
                "{n} 件を取り込みました。取り込まなかった変更 {m} 件。",
                n=len(result.stored),
                m=len(result.rejected),
            )
        ]
        parts += list(result.stale) + list(result.warnings)
        self.summary_label.setText(" ".join(parts))
        self._update_buttons()
        self.returnsStored.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, EvaldeskError):
            self.error_label.show_error(str(exc))
        else:
            log.error("accepting returns failed", exc_info=exc)
            self.error_label.show_error(tr("取り込めませんでした（{error}）。", error=type(exc).__name__))
        self._update_buttons()
