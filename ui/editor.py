"""The form for one program's texts, with live character counts against the per-field soft limits."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS, Program
from ui.commands import EditFieldCommand
from ui.i18n import tr
from ui.session import ProgramSession

log = logging.getLogger(__name__)

LONG_FIELDS: tuple[str, ...] = ("purpose", "overview", "outcome")
WARNING_STYLE = "color: #b3261e; font-weight: bold;"


def char_count(text: str) -> int:
    """Characters as the sheet counts them: line breaks do not count."""
    return len(text) - text.count("\n")


SheetFill = Callable[[Program], Mapping[str, float]]
"""Per text field, the fraction of its box on the printed sheet the text fills (``Desk.sheet_overflow``)."""


class _UndoShortcutFilter(QObject):
    """Text widgets keep Ctrl+Z to themselves; hand it to the window's undo actions instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                event.ignore()
                return True
        return False


class ProgramEditor(QWidget):
    """Shows one ``ProgramSession``; every change the user types becomes an undo command."""

    countsChanged = Signal()
    purposeEdit: QPlainTextEdit
    overviewEdit: QPlainTextEdit
    outcomeEdit: QPlainTextEdit

    def __init__(self, sheet_fill: SheetFill, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ProgramSession | None = None
        self.limits: dict[str, int] = {}
        self._loading = False
        self._overflow_check = sheet_fill
        self._overflow_ready = False  # its first call loads fonts: done once off the UI thread
        self._fill: dict[str, float] = {}

        self.headerLabel = QLabel()
        self.headerLabel.setObjectName("programHeader")
        self.headerLabel.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headerLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headerLabel.setFont(font)
        self.infoLabel = QLabel()
        self.infoLabel.setObjectName("programInfo")

        self.nameEdit = QLineEdit()
        self.nameEdit.setObjectName("nameEdit")
        self.departmentEdit = QLineEdit()
        self.departmentEdit.setObjectName("departmentEdit")
        self._departments = QStringListModel(self)
        completer = QCompleter(self._departments, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.departmentEdit.setCompleter(completer)

        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {
            "name": self.nameEdit,
            "department": self.departmentEdit,
        }
        self.counts: dict[str, QLabel] = {}
        shortcut_filter = _UndoShortcutFilter(self)
        self.nameEdit.installEventFilter(shortcut_filter)
        self.departmentEdit.installEventFilter(shortcut_filter)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr(FIELD_LABELS["name"]), self.nameEdit)
        form.addRow(tr(FIELD_LABELS["department"]), self.departmentEdit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.headerLabel)
        layout.addWidget(self.infoLabel)
        layout.addLayout(form)
        for field in LONG_FIELDS:
            edit = QPlainTextEdit()
            edit.setObjectName(f"{field}Edit")
            edit.setUndoRedoEnabled(False)  # the program's QUndoStack owns undo
            edit.setTabChangesFocus(True)
            edit.installEventFilter(shortcut_filter)
            edit.setMinimumHeight(60)
            count = QLabel()
            count.setObjectName(f"{field}Count")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            title = QLabel(tr(FIELD_LABELS[field]))
            title.setBuddy(edit)
            row = QHBoxLayout()
            row.addWidget(title)
            row.addStretch(1)
            row.addWidget(count)
            layout.addLayout(row)
            layout.addWidget(edit, 1)
            self.edits[field] = edit
            self.counts[field] = count
            setattr(self, f"{field}Edit", edit)

        self.nameEdit.textChanged.connect(lambda text: self._typed("name", text))
        self.departmentEdit.textChanged.connect(lambda text: self._typed("department", text))
        for field in LONG_FIELDS:
            text_edit = self.edits[field]
            assert isinstance(text_edit, QPlainTextEdit)
            text_edit.textChanged.connect(lambda f=field, e=text_edit: self._typed(f, e.toPlainText()))

        self._overflow_timer = QTimer(self)
        self._overflow_timer.setSingleShot(True)
        self._overflow_timer.setInterval(150)
        self._overflow_timer.timeout.connect(self._check_overflow)
        self.set_session(None)

    # -- showing a program ----------------------------------------------------------------------
    def set_session(self, session: ProgramSession | None) -> None:
        if self.session is session and session is not None:
            return
        if self.session is not None:
            self.session.valueChanged.disconnect(self._value_changed)
        self.session = session
        self._loading = True
        try:
            for field, edit in self.edits.items():
                text = session.values[field] if session else ""
                if isinstance(edit, QLineEdit):
                    edit.setText(text)
                    edit.setCursorPosition(0)
                else:
                    edit.setPlainText(text)
                edit.setEnabled(session is not None)
        finally:
            self._loading = False
        if session is not None:
            session.valueChanged.connect(self._value_changed)
        self.update_header()
        self._fill = {}
        self.update_counts()
        self._overflow_timer.start()  # the sheet layout check waits until the user stays on a program

    def update_header(self) -> None:
        s = self.session
        if s is None:
            self.headerLabel.setText(tr("事業を選んでください"))
            self.infoLabel.setText("")
            return
        p = s.base
        self.headerLabel.setText(tr("事業番号 {pid}　{name}", pid=p.program_id, name=s.values["name"]))
        self.infoLabel.setText(
            tr(
                "{year}　版 {revision}　最終更新 {at}",
                year=era_label(p.fiscal_year),
                revision=p.revision,
                at=p.updated_at.strftime("%Y-%m-%d %H:%M"),
            )
        )

    def set_limits(self, limits: Mapping[str, int]) -> None:
        self.limits = dict(limits)
        self.update_counts()

    def set_departments(self, names: Iterable[str]) -> None:
        self._departments.setStringList(sorted(set(names)))

    def focus_field(self, field: str) -> None:
        self.edits[field].setFocus()

    # -- edits ----------------------------------------------------------------------------------
    def _typed(self, field: str, text: str) -> None:
        if self._loading or self.session is None:
            return
        old = self.session.values[field]
        if text != old:
            self.session.stack.push(EditFieldCommand(self.session, field, old, text))

    def _value_changed(self, field: str, value: str) -> None:
        """A command set a value (undo/redo, or typing): make the widget show it."""
        edit = self.edits[field]
        current = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
        if current != value:
            self._loading = True
            try:
                if isinstance(edit, QLineEdit):
                    edit.setText(value)
                else:
                    edit.setPlainText(value)
                    cursor = edit.textCursor()
                    cursor.movePosition(cursor.MoveOperation.End)
                    edit.setTextCursor(cursor)
            finally:
                self._loading = False
        if field == "name":
            self.update_header()
        self.update_counts()
        self._overflow_timer.start()

    # -- counts ---------------------------------------------------------------------------------
    def update_counts(self) -> None:
        for field, label in self.counts.items():
            text = self.session.values[field] if self.session else ""
            n = char_count(text)
            limit = self.limits.get(field)
            over_limit = limit is not None and n > limit
            fill = self._fill.get(field)
            spills = fill is not None and fill > 1.0
            if limit is not None:
                label.setText(tr("{count} / {limit} 字", count=n, limit=limit))
            else:
                label.setText(tr("{count} 字", count=n))
            tips: list[str] = []
            if over_limit:
                tips.append(
                    tr(
                        "目安の {limit} 字を超えています。印刷すると事業シートが2ページ目にはみ出します。",
                        limit=limit,
                    )
                )
            if spills and self.session is not None and not over_limit:
                tips.append(tr("この文章は事業シートの枠に収まらず、2ページ目にはみ出します。"))
            warn = bool(tips) and self.session is not None
            if fill is not None and self.session is not None:
                tips.append(tr("事業シートの枠の {percent}% を使っています。", percent=round(fill * 100)))
            label.setStyleSheet(WARNING_STYLE if warn else "")
            label.setProperty("overLimit", warn)
            label.setToolTip("\n".join(tips))
        self.countsChanged.emit()

    def is_over_limit(self, field: str) -> bool:
        return bool(self.counts[field].property("overLimit"))

    def warm_up_job(self) -> Callable[[Callable[[int, int], None]], object]:
        """A job for the runner that loads what the sheet layout check needs (fonts), off the UI thread."""
        check = self._overflow_check
        session = self.session
        program = session.base if session else None

        def job(_progress: Callable[[int, int], None]) -> object:
            return check(program) if program is not None else None

        return job

    def set_overflow_ready(self) -> None:
        self._overflow_ready = True
        self._check_overflow()

    def _check_overflow(self) -> None:
        if self.session is None or not self._overflow_ready:
            self.update_counts()
            return
        program = dataclasses.replace(self.session.base, **self.session.values)  # type: ignore[arg-type]
        try:
            self._fill = dict(self._overflow_check(program))
        except Exception:  # a layout check must never stop editing
            log.exception("sheet_overflow failed")
            self._fill = {}
        self.update_counts()
