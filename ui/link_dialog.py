"""Manual links between two years' programs, for a renumbered or merged 事務事業."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.errors import error_text
from ui.i18n import tr, year_text
from ui.table_models import RecordTableModel
from ui.widgets import ErrorLabel, named, record_table

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from evaldesk.records import Changes, Program, ProgramLink
    from ui.runner import Progress, Runner

log = logging.getLogger(__name__)


class LinkModel(RecordTableModel["ProgramLink"]):
    """The links of two years: old 事業番号 and name, new 事業番号 and name, note."""

    HEADERS = ("前年度の事業番号", "前年度の事業名", "今年度の事業番号", "今年度の事業名", "メモ")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._old_names: dict[str, str] = {}
        self._new_names: dict[str, str] = {}
        self._from_year = 0

    def set_links(
        self,
        links: list[ProgramLink],
        *,
        from_year: int,
        old_names: dict[str, str],
        new_names: dict[str, str],
    ) -> None:
        self._from_year = from_year
        self._old_names = old_names
        self._new_names = new_names
        self.set_records(links)

    def link(self, row: int) -> ProgramLink:
        return self.record(row)

    def _ids(self, link: ProgramLink) -> tuple[str, str]:
        """(old id, new id) whichever way round the link was stored."""
        if link.from_year == self._from_year:
            return link.from_program_id, link.to_program_id
        return link.to_program_id, link.from_program_id

    def cell(self, link: ProgramLink, col: int, role: int) -> object:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        old_id, new_id = self._ids(link)
        if col == 0:
            return old_id
        if col == 1:
            return self._old_names.get(old_id, tr("（見つかりません）"))
        if col == 2:
            return new_id
        if col == 3:
            return self._new_names.get(new_id, tr("（見つかりません）"))
        if col == 4:
            return link.note
        return None


class LinkDialog(QDialog):
    """Add or remove links (in the runner, which tells every view, the comparison too)."""

    def __init__(
        self,
        desk: Desk,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        from_year: int,
        to_year: int,
        from_program_id: str | None = None,
        to_program_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.from_year = from_year
        self.to_year = to_year
        self.setObjectName("linkDialog")
        self.setWindowTitle(tr("事業の対応付け"))
        self.resize(900, 520)

        old_programs = desk.programs(from_year)
        new_programs = desk.programs(to_year)
        self._old_names = {p.program_id: p.name for p in old_programs}
        self._new_names = {p.program_id: p.name for p in new_programs}

        explain = QLabel(
            tr(
                "事業番号が変わった事業や、統合された事業を手動で対応付けます。"
                "対応付けた事業は、番号が違っても同じ事業として比較します。"
            )
        )
        explain.setWordWrap(True)

        self.model = LinkModel(self)
        self.table = record_table(self.model, "linkTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.old_combo = self._program_combo(old_programs, "linkOldCombo", from_program_id)
        self.new_combo = self._program_combo(new_programs, "linkNewCombo", to_program_id)
        self.note_edit = named(QLineEdit(), "linkNote")
        self.note_edit.setPlaceholderText(tr("例: 事業番号の振り直し、○○事業に統合"))
        form = QFormLayout()
        form.addRow(tr("{year}の事業", year=year_text(from_year)), self.old_combo)
        form.addRow(tr("{year}の事業", year=year_text(to_year)), self.new_combo)
        form.addRow(tr("メモ"), self.note_edit)

        self.add_button = named(QPushButton(tr("対応付けを追加")), "linkAddButton")
        self.remove_button = named(QPushButton(tr("選んだ対応付けを削除")), "linkRemoveButton")
        self.add_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)

        self.error_label = ErrorLabel("linkError")

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText(tr("閉じる"))
        box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(box)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        runner.changes.changed.connect(self._changes_happened)
        self.refresh()

    @staticmethod
    def _program_combo(programs: list[Program], name: str, chosen: str | None) -> QComboBox:
        combo = named(QComboBox(), name)
        combo.setMaxVisibleItems(20)
        for p in programs:
            combo.addItem(f"{p.program_id}　{p.name}", p.program_id)
        if chosen is not None:
            i = combo.findData(chosen)
            if i >= 0:
                combo.setCurrentIndex(i)
        return combo

    def links(self) -> list[ProgramLink]:
        both = self.desk.links(self.from_year, self.to_year) + self.desk.links(self.to_year, self.from_year)
        return sorted(both, key=lambda link: link.id)

    def refresh(self) -> None:
        self.model.set_links(
            self.links(), from_year=self.from_year, old_names=self._old_names, new_names=self._new_names
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))
        self.add_button.setEnabled(self.old_combo.count() > 0 and self.new_combo.count() > 0)

    def _changes_happened(self, changes: Changes) -> None:
        if (
            changes.everything
            or {(self.from_year, self.to_year), (self.to_year, self.from_year)} & changes.links
        ):
            self.refresh()

    def add_current(self) -> None:
        """Store the link between the two programs chosen (in the runner)."""
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        if old_id is None or new_id is None:
            return
        desk, note = self.desk, self.note_edit.text().strip()
        from_year, to_year = self.from_year, self.to_year

        def task(progress: Progress) -> ProgramLink:
            return desk.add_link(
                from_year=from_year, from_program_id=old_id, to_year=to_year, to_program_id=new_id, note=note
            )

        def added(link: ProgramLink) -> None:
            self.error_label.show_error("")
            self.note_edit.clear()

        self.runner.run(task, on_done=added, on_error=self._failed, changes=lambda link: link.changes)

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        link = self.model.link(rows[0].row())
        desk = self.desk

        def task(progress: Progress) -> None:
            desk.remove_link(link.id)

        self.runner.run(
            task,
            on_done=lambda _none: self.error_label.show_error(""),
            on_error=self._failed,
            changes=lambda _none: link.changes,
        )

    def _failed(self, exc: BaseException) -> None:
        self.error_label.show_error(error_text(exc, doing="対応付け"))
