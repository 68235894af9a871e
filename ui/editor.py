"""The form for one program's texts, with live character counts against the per-field soft limits."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from evaldesk.records import FIELD_LABELS, Program
from ui.commands import EditFieldCommand
from ui.empty_state import EmptyState
from ui.i18n import tr, year_text
from ui.session import ProgramSession
from ui.text_fields import LineField, TextField

log = logging.getLogger(__name__)

LONG_FIELDS: tuple[str, ...] = ("purpose", "overview", "outcome")
WARNING_STYLE = "color: #b3261e; font-weight: bold;"
SHRINK_STYLE = "color: #8a5a00;"

FitCheck = Callable[[Program], Any]
"""``Desk.sheet_fit``: lays the sheet out as it prints and answers a ``SheetFit``."""


def char_count(text: str) -> int:
    """Characters as the sheet counts them: line breaks do not count."""
    return len(text) - text.count("\n")


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
    purposeEdit: TextField
    overviewEdit: TextField
    outcomeEdit: TextField

    def __init__(self, parent: QWidget | None = None, *, fit_check: FitCheck | None = None) -> None:
        super().__init__(parent)
        self.session: ProgramSession | None = None
        self.limits: dict[str, int] = {}
        self._loading = False
        self._overflow_check: FitCheck | None = fit_check
        self._overflow_ready = False  # its first call loads fonts: done once off the UI thread
        self._fit: Any = None
        self._terms: list[str] = []

        shortcut_filter = _UndoShortcutFilter(self)
        self.counts: dict[str, QLabel] = {}
        self.form = QWidget()
        self.form.setObjectName("programForm")
        layout = QVBoxLayout(self.form)
        layout.setContentsMargins(6, 6, 6, 6)
        self._build_header(layout)
        layout.addLayout(self._build_name_and_department(shortcut_filter))
        for field in LONG_FIELDS:
            self._build_long_field(layout, field, shortcut_filter)

        self.emptyState = EmptyState()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.form)
        self.pages.addWidget(self.emptyState)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.nameEdit.textChanged.connect(lambda text: self._typed("name", text))
        self.departmentEdit.textChanged.connect(lambda text: self._typed("department", text))
        for field in LONG_FIELDS:
            text_edit = self.edits[field]
            assert isinstance(text_edit, TextField)
            text_edit.textChanged.connect(lambda f=field, e=text_edit: self._typed(f, e.toPlainText()))

        self._overflow_timer = QTimer(self)
        self._overflow_timer.setSingleShot(True)
        self._overflow_timer.setInterval(150)
        self._overflow_timer.timeout.connect(self._check_overflow)
        self.set_session(None)

    # -- building -----------------------------------------------------------------------------
    def _build_header(self, layout: QVBoxLayout) -> None:
        self.headerLabel = QLabel()
        self.headerLabel.setObjectName("programHeader")
        self.headerLabel.setTextFormat(Qt.TextFormat.PlainText)
        # A long name wraps instead of widening the pane (the form jumped by ~160 px between programs).
        self.headerLabel.setWordWrap(True)
        self.headerLabel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        font = self.headerLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headerLabel.setFont(font)
        self.infoLabel = QLabel()
        self.infoLabel.setObjectName("programInfo")
        self.infoLabel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.headerLabel)
        layout.addWidget(self.infoLabel)

    def _build_name_and_department(self, shortcut_filter: QObject) -> QFormLayout:
        self.nameEdit = LineField(self._stack)
        self.nameEdit.setObjectName("nameEdit")
        self.departmentEdit = LineField(self._stack)
        self.departmentEdit.setObjectName("departmentEdit")
        self._departments = QStringListModel(self)
        completer = QCompleter(self._departments, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.departmentEdit.setCompleter(completer)
        self.edits: dict[str, QLineEdit | TextField] = {
            "name": self.nameEdit,
            "department": self.departmentEdit,
        }
        self.nameEdit.installEventFilter(shortcut_filter)
        self.departmentEdit.installEventFilter(shortcut_filter)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr(FIELD_LABELS["name"]), self.nameEdit)
        form.addRow(tr(FIELD_LABELS["department"]), self.departmentEdit)
        return form

    def _build_long_field(self, layout: QVBoxLayout, field: str, shortcut_filter: QObject) -> None:
        """One long text (目的・概要・成果): its title, its live count and its edit box."""
        edit = TextField(self._stack)
        edit.setObjectName(f"{field}Edit")
        edit.setUndoRedoEnabled(False)  # the program's QUndoStack owns undo
        edit.setTabChangesFocus(True)
        edit.installEventFilter(shortcut_filter)
        edit.setMinimumHeight(60)
        count = QLabel()
        count.setObjectName(f"{field}Count")
        count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        count.setWordWrap(True)
        count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        title = QLabel(tr(FIELD_LABELS[field]))
        title.setBuddy(edit)
        row = QHBoxLayout()
        row.addWidget(title)
        row.addWidget(count, 1)
        layout.addLayout(row)
        layout.addWidget(edit, 1)
        self.edits[field] = edit
        self.counts[field] = count
        setattr(self, f"{field}Edit", edit)

    def _stack(self) -> QUndoStack | None:
        return self.session.stack if self.session is not None else None

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
                    if edit.text() != text:  # the department is often the same as the last program's
                        edit.setText(text)
                    edit.setCursorPosition(0)
                elif edit.toPlainText() != text:
                    edit.setPlainText(text)
                else:
                    edit.moveCursor(QTextCursor.MoveOperation.Start)
                edit.setEnabled(session is not None)
        finally:
            self._loading = False
        if session is not None:
            session.valueChanged.connect(self._value_changed)
            self.pages.setCurrentWidget(self.form)
            self._mark_terms()  # new texts: mark the current search in them
        self.update_header()
        self._fit = None
        self.update_counts()
        self._overflow_timer.start()  # the sheet layout check waits until the user stays on a program

    def show_empty(self, kind: str, detail: str = "") -> None:
        """No program to show: say why and what to do (see ``EmptyState.show_kind``)."""
        self.set_session(None)
        self.emptyState.show_kind(kind, detail)
        self.pages.setCurrentWidget(self.emptyState)

    def is_empty_shown(self) -> bool:
        return self.pages.currentWidget() is self.emptyState

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
                year=year_text(p.fiscal_year),
                revision=p.revision,
                at=p.updated_at.strftime("%Y-%m-%d %H:%M"),
            )
        )

    def set_limits(self, limits: Mapping[str, int]) -> None:
        self.limits = dict(limits)
        self.update_counts()

    def set_departments(self, names: Iterable[str]) -> None:
        self._departments.setStringList(sorted(set(names)))

    def highlight(self, terms: list[str]) -> None:
        """Mark what the search found in the three texts (the list marks it in the names)."""
        if terms == self._terms:  # the same search again: the texts already carry its marks
            return
        self._terms = list(terms)
        self._mark_terms()

    def _mark_terms(self) -> None:
        for field in LONG_FIELDS:
            edit = self.edits[field]
            assert isinstance(edit, TextField)
            edit.highlight(self._terms)

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
                    edit.highlight(self._terms)  # a new text (undo/redo): mark the search in it again
                    cursor = edit.textCursor()
                    cursor.movePosition(cursor.MoveOperation.End)
                    edit.setTextCursor(cursor)
            finally:
                self._loading = False
        if field == "name":
            self.update_header()
        self.update_counts()
        self._overflow_timer.start()

    # -- counts and the fit on the printed sheet ------------------------------------------------
    def update_counts(self) -> None:
        fit = self._fit if self.session is not None else None
        for field, label in self.counts.items():
            text = self.session.values[field] if self.session else ""
            n = char_count(text)
            limit = self.limits.get(field)
            count = (
                tr("{count} / {limit} 字", count=n, limit=limit)
                if limit is not None
                else tr("{count} 字", count=n)
            )
            spills = fit is not None and field in fit.spilled
            scale = fit.scale_of(field) if fit is not None else 1.0
            fill = fit.fill_of(field) if fit is not None else None
            if spills:
                note, style = tr("枠に収まらず2ページ目へ"), WARNING_STYLE
            elif scale < 1.0:
                note, style = tr("{percent}% に縮小して印刷", percent=round(scale * 100)), SHRINK_STYLE
            else:
                note, style = "", ""
            label.setText(f"{count}　{note}" if note else count)
            if label.styleSheet() != style:  # setting a style sheet restyles the label, even the same one
                label.setStyleSheet(style)
            label.setProperty("overLimit", spills)
            label.setToolTip(self._fit_tip(n, limit, fill, spills=spills, scale=scale))
        self.countsChanged.emit()

    @staticmethod
    def _fit_tip(n: int, limit: int | None, fill: float | None, *, spills: bool, scale: float) -> str:
        tips: list[str] = []
        if spills:
            tips.append(tr("この文章は事業シートの枠に収まらず、2ページ目にはみ出します。"))
        elif scale < 1.0:
            tips.append(tr("文字を小さくすると事業シートの枠に収まります。"))
        if fill is not None:
            tips.append(tr("100% の大きさでは枠の {percent}% を使います。", percent=round(fill * 100)))
        if limit is not None and n > limit:
            tips.append(tr("文字数の目安（{limit} 字）を超えています。", limit=limit))
        return "\n".join(tips)

    def is_over_limit(self, field: str) -> bool:
        """Whether the field's text goes on a second page of the printed sheet."""
        return bool(self.counts[field].property("overLimit"))

    def warm_up_job(self) -> Callable[[Callable[[int, int], None]], object] | None:
        """A job for the runner that loads what the sheet layout check needs (fonts), off the UI thread."""
        check = self._overflow_check
        if check is None:
            return None
        session = self.session
        program = session.base if session else None

        def job(_progress: Callable[[int, int], None]) -> object:
            return check(program) if program is not None else None

        return job

    def set_overflow_ready(self) -> None:
        self._overflow_ready = True
        self._check_overflow()

    def _check_overflow(self) -> None:
        if self._overflow_check is None or self.session is None or not self._overflow_ready:
            self.update_counts()
            return
        program = dataclasses.replace(self.session.base, **self.session.values)  # type: ignore[arg-type]
        try:
            self._fit = self._overflow_check(program)
        except Exception:  # a layout check must never stop editing
            log.exception("sheet layout check failed")
            self._fit = None
        self.update_counts()
