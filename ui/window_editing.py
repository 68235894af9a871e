"""Editing in the main window: per-program sessions, saving through the runner, conflicts, history restore."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QMessageBox,
)

from evaldesk.errors import EvaldeskError, StaleRevisionError
from evaldesk.records import FIELD_LABELS, Changes, HistoryEntry, Program, ProgramChange
from ui.commands import ReplaceTextsCommand
from ui.conflict_dialog import KEEP_THEIRS, OVERWRITE, ConflictDialog
from ui.i18n import tr, year_text
from ui.message_boxes import fit_message_box
from ui.session import ProgramSession
from ui.window_messages import CANCEL, DISCARD, SAVE, Answer
from ui.window_state import WindowState

log = logging.getLogger(__name__)


class EditingMixin(WindowState):
    """Unsaved edits live in one ``ProgramSession`` per (year, 事業番号) until saved or discarded."""

    # == sessions ==================================================================================
    def session_for(self, program: Program) -> ProgramSession:
        key = (program.fiscal_year, program.program_id)
        session = self.sessions.get(key)
        if session is None:
            session = ProgramSession(program, self)
            session.dirtyChanged.connect(lambda dirty, s=session: self._dirty_changed(s, dirty))
            session.valueChanged.connect(lambda field, _value, s=session: self._value_changed(s, field))
            self.undo_group.addStack(session.stack)
            self.sessions[key] = session
        elif not session.is_dirty() and program.revision > session.base.revision:
            session.rebase(program, keep_edits=False)  # someone saved meanwhile; nothing of ours is lost
        return session

    def open_program(self, program: Program) -> None:
        self._open_session(self.session_for(program))

    def _open_session(self, session: ProgramSession | None) -> None:
        self.current = session
        self.undo_group.setActiveStack(session.stack if session else None)  # type: ignore[arg-type]
        self.editor.set_session(session)
        self._refresh_side()
        self._update_actions()
        self._update_title()

    def dirty_sessions(self, year: int | None = None) -> list[ProgramSession]:
        # Asked a few times per switch of program; every program visited keeps a session, so only the
        # ones that ever had an unsaved edit are asked (in the order they were opened).
        edited = self._edited_keys
        return [
            s
            for key, s in self.sessions.items()
            if key in edited and (year is None or key[0] == year) and s.is_dirty()
        ]

    def _dirty_changed(self, session: ProgramSession, dirty: bool) -> None:
        if dirty:
            self._edited_keys.add(session.key)
        if session.base.fiscal_year == self.year:
            self.model.set_unsaved(session.program_id, dirty)
        if session is self.current:
            self._update_history_block()
        self._update_actions()
        self._update_title()

    def _value_changed(self, session: ProgramSession, field: str) -> None:
        if field == "name" and session is self.current:
            self._update_title()  # the title names the program as it is being edited

    def _drop_sessions(self, year: int | None = None, *, keep_dirty: bool = False) -> None:
        for key, session in list(self.sessions.items()):
            if (year is None or key[0] == year) and not (keep_dirty and session.is_dirty()):
                if session is self.current:
                    self._open_session(None)
                self.undo_group.removeStack(session.stack)
                del self.sessions[key]
                if key[0] == self.year:
                    self.model.set_unsaved(key[1], False)
                session.deleteLater()
        self._update_title()

    def _update_title(self) -> None:
        parts = [tr("evaldesk")]
        if self.year is not None:
            parts.append(year_text(self.year))
        if self.current is not None:
            parts.append(f"{self.current.program_id} {self.current.values['name']}")
        self.setWindowTitle(" — ".join(parts) + "[*]")
        self.setWindowModified(bool(self.dirty_sessions()))

    def _update_actions(self) -> None:
        dirty = self.current is not None and self.current.is_dirty()
        self.actionSave.setEnabled(dirty)
        self.actionRevert.setEnabled(dirty)
        self.actionSaveAll.setEnabled(bool(self.dirty_sessions()))
        has_year = self.year is not None
        self.actionExport.setEnabled(has_year)
        self.actionCompare.setEnabled(self.yearCombo.count() >= 1)

    # == saving ====================================================================================
    def save_current(self) -> None:
        if self.current is not None and self.current.is_dirty():
            self.save_session(self.current)

    def save_all(self, then: Callable[[], None]) -> None:
        """Save every program with unsaved edits, one after another; ``then`` runs if all succeeded."""
        pending = self.dirty_sessions()

        def step() -> None:
            if not pending:
                then()
                return
            self.save_session(pending.pop(0), then=step)

        step()

    def save_session(self, session: ProgramSession, *, then: Callable[[], None] | None = None) -> None:
        changes = session.changes()
        if not changes:
            session.stack.setClean()
            if then:
                then()
            return
        if session.saving:
            return
        session.saving = True
        index = session.stack.index()
        year, pid, revision = session.base.fiscal_year, session.program_id, session.base.revision
        self._busy_message(tr("事業番号 {pid} を保存しています…", pid=pid))

        def done(change: ProgramChange) -> None:
            session.saving = False
            self._idle()
            session.rebase(change.program, keep_edits=True)
            if session.stack.index() == index:
                session.stack.setClean()
            self._saved(change.program)
            if then:
                then()

        def failed(exc: BaseException) -> None:
            session.saving = False
            self._idle()
            if isinstance(exc, StaleRevisionError):
                self.show_conflict(session, exc)
            else:
                self.show_error(exc, doing="保存")

        self.runner.run(
            lambda _progress: self.desk.update_program(year, pid, changes, if_revision=revision),
            on_done=done,
            on_error=failed,
            changes=lambda change: change.changes,
        )

    def _saved(self, program: Program) -> None:
        """After our own save (the broadcast has already refreshed the table and the history)."""
        if self.current is not None and self.current.key == (program.fiscal_year, program.program_id):
            self.editor.update_header()
        self.status(
            tr(
                "事業番号 {pid} を保存しました（版 {revision}）。",
                pid=program.program_id,
                revision=program.revision,
            )
        )
        self._update_title()

    def _saved_elsewhere(self, session: ProgramSession, fresh: Program) -> None:
        """Someone else saved this program: take their texts and tell every view."""
        session.rebase(fresh, keep_edits=False)
        self.runner.changes.announce(Changes(programs=frozenset({session.key})))

    def revert_current(self) -> None:
        """Back to the last saved texts; undoable like any other edit."""
        s = self.current
        if s is None or not s.is_dirty():
            return
        if s.stack.cleanIndex() >= 0:
            s.stack.setIndex(s.stack.cleanIndex())
        else:
            s.stack.push(ReplaceTextsCommand(s, dict(s.values), s.base.texts(), tr("変更の取り消し")))

    # == conflicts =================================================================================
    def show_conflict(self, session: ProgramSession, exc: StaleRevisionError) -> None:
        dialog = ConflictDialog(
            self,
            program_id=session.program_id,
            message=str(exc),
            theirs=exc.current_values,
            mine=exc.rejected,
        )
        dialog.chosen.connect(lambda choice: self._resolve_conflict(session, choice))
        self.dialogs["conflict"] = dialog
        dialog.open()

    def _resolve_conflict(self, session: ProgramSession, choice: str) -> None:
        if choice not in (KEEP_THEIRS, OVERWRITE):
            self.status(tr("事業番号 {pid} の変更は未保存のままです。", pid=session.program_id))
            return
        try:
            fresh = self.desk.program(session.base.fiscal_year, session.program_id)
        except EvaldeskError as exc:
            self.show_error(exc, doing="保存")
            return
        if choice == KEEP_THEIRS:
            self._saved_elsewhere(session, fresh)
            self.status(tr("他の人が保存した文章を残しました。"))
        else:
            session.rebase(fresh, keep_edits=True)
            self.save_session(session)

    # == history ===================================================================================
    def _refresh_side(self, *, force: bool = False) -> None:
        """Fill only the side tab in view (the other follows when it is shown): switching stays fast."""
        s = self.current
        shown = self.sideTabs.currentWidget()
        key = (s.base.fiscal_year, s.program_id, s.base.revision) if s else None
        if shown is self.sourceView:
            self.sourceView.show_program(s.base if s else None)
        elif shown is self.historyPanel and (force or key != self._side_shown):
            self._side_shown = key
            self.historyPanel.set_entries(self.desk.history(s.base.fiscal_year, s.program_id) if s else [])
        self._update_history_block()

    def _refresh_history(self) -> None:
        self._refresh_side(force=True)

    def _update_history_block(self) -> None:
        dirty = self.current is not None and self.current.is_dirty()
        self.historyPanel.set_restore_blocked(
            tr("未保存の変更があります。保存するか取り消してから戻してください。") if dirty else ""
        )

    def restore_history(self, entry: HistoryEntry) -> None:
        """Ask first: taking an old text back writes to the database at once."""
        s = self.sessions.get((entry.fiscal_year, entry.program_id))
        if s is None or s.is_dirty():
            return
        self.ask_yes_no(
            tr("変更前に戻す"),
            tr(
                "事業番号 {pid} の「{field}」を、{at} の変更前の文章に戻して保存します。"
                "いまの文章は履歴に残ります。戻しますか？",
                pid=entry.program_id,
                field=tr(FIELD_LABELS.get(entry.field, entry.field)),
                at=entry.at.strftime("%Y-%m-%d %H:%M"),
            ),
            lambda: self._restore_entry(entry),
        )

    def _restore_entry(self, entry: HistoryEntry) -> None:
        s = self.sessions.get((entry.fiscal_year, entry.program_id))
        if s is None or s.is_dirty():
            return
        revision = s.base.revision

        def done(change: ProgramChange) -> None:
            s.rebase(change.program, keep_edits=False)
            self._saved(change.program)

        def failed(exc: BaseException) -> None:
            self.show_error(exc, doing="履歴からの復元")
            if isinstance(exc, StaleRevisionError):
                self._saved_elsewhere(s, self.desk.program(entry.fiscal_year, entry.program_id))

        self.runner.run(
            lambda _p: self.desk.restore_history(entry.id, if_revision=revision),
            on_done=done,
            on_error=failed,
            changes=lambda change: change.changes,
        )

    # == questions (patched in tests; non-blocking in the application) =============================
    def ask_unsaved(self, on_answer: Answer) -> None:
        """Save / Discard / Cancel for the programs with unsaved edits."""
        names = [f"{s.program_id} {s.values['name']}" for s in self.dirty_sessions()]
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("未保存の変更"),
            tr("{n} 件の事業に未保存の変更があります。保存しますか？", n=len(names)),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("unsavedBox")
        box.setInformativeText("\n".join(names[:10]) + ("\n…" if len(names) > 10 else ""))
        fit_message_box(box)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Save).setText(tr("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("保存しない"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("キャンセル"))
        answers = {QMessageBox.StandardButton.Save: SAVE, QMessageBox.StandardButton.Discard: DISCARD}
        box.finished.connect(
            lambda _r: on_answer(answers.get(box.standardButton(box.clickedButton()), CANCEL))
        )
        box.open()
