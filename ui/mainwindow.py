"""The main window: year, departments, the program table, the editor, the source page and the history."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from evaldesk.desk import Desk
from evaldesk.errors import EvaldeskError, ImportCancelled, StaleRevisionError
from evaldesk.fiscal_year import era_label
from evaldesk.records import HistoryEntry, ImportSummary, Program, ProgramChange
from evaldesk.resources import resource_path
from ui.commands import ReplaceTextsCommand
from ui.conflict_dialog import KEEP_THEIRS, OVERWRITE, ConflictDialog
from ui.department_tree import DepartmentTree
from ui.editor import ProgramEditor
from ui.history_panel import HistoryPanel
from ui.i18n import LANGUAGES, language, tr
from ui.models import COL_DEPARTMENT, COL_ID, COL_MARK, COL_NAME, ProgramSortProxy, ProgramTableModel
from ui.runner import Runner
from ui.session import ProgramSession
from ui.settings import settings
from ui.source_view import SourceView

log = logging.getLogger(__name__)

SAMPLE_YEAR = 2024
SEARCH_DELAY_MS = 150
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"

Answer = Callable[[str], None]


def year_label(year: int) -> str:
    return f"{era_label(year)} ({year})"


def app_icon() -> QIcon:
    path = resource_path("icons", "evaldesk.png")
    return QIcon(str(path)) if path.exists() else QIcon()


class MainWindow(QMainWindow):
    """One window per database; edits are kept per (year, 事業番号) until saved or discarded."""

    def __init__(self, desk: Desk, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.desk = desk
        self.runner = runner
        self.year: int | None = None
        self.sessions: dict[tuple[int, str], ProgramSession] = {}
        self.current: ProgramSession | None = None
        self.undo_group = QUndoGroup(self)
        self.last_message = ""
        self._close_confirmed = False
        self._busy = 0
        self.dialogs: dict[str, QWidget] = {}

        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_widgets()
        # Text fields would take a dropped PDF as its path text; a PDF dropped anywhere means "import it".
        for widget in (*self.editor.edits.values(), self.searchEdit):
            target = widget.viewport() if isinstance(widget, QPlainTextEdit) else widget
            target.installEventFilter(self)
        self._build_actions()
        self._build_menus()
        self._restore_layout()
        self.editor.set_limits(settings().field_limits)
        self.reload_years(prefer=settings().last_year)
        self._update_title()
        self._warm_up()
        if self.yearCombo.count() == 0:
            QTimer.singleShot(0, self._offer_sample)

    # == building ==================================================================================
    def _build_widgets(self) -> None:
        self.yearCombo = QComboBox()
        self.yearCombo.setObjectName("yearCombo")
        self.yearCombo.setMinimumContentsLength(14)
        self.yearCombo.setToolTip(tr("表示する年度"))
        self.yearCombo.currentIndexChanged.connect(self._year_chosen)
        self.searchEdit = QLineEdit()
        self.searchEdit.setObjectName("searchEdit")
        self.searchEdit.setPlaceholderText(tr("事業名・目的・概要・成果を検索（Ctrl+F）"))
        self.searchEdit.setClearButtonEnabled(True)
        self.searchEdit.setMinimumWidth(320)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_programs)
        self.searchEdit.textChanged.connect(lambda _text: self._search_timer.start())
        self.searchEdit.returnPressed.connect(self._search_now)

        bar = QToolBar(tr("年度と検索"))
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.addWidget(QLabel(tr("年度") + " "))
        bar.addWidget(self.yearCombo)
        bar.addSeparator()
        bar.addWidget(QLabel(tr("検索") + " "))
        bar.addWidget(self.searchEdit)
        self.countLabel = QLabel()
        self.countLabel.setObjectName("countLabel")
        self.countLabel.setContentsMargins(8, 0, 0, 0)
        bar.addWidget(self.countLabel)
        self.addToolBar(bar)

        self.departmentTree = DepartmentTree()
        self.departmentTree.departmentChosen.connect(lambda _d: self.refresh_programs())

        self.model = ProgramTableModel(self)
        self.proxy = ProgramSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.programTable = QTableView()
        self.programTable.setObjectName("programTable")
        self.programTable.setModel(self.proxy)
        self.programTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.programTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.programTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.programTable.setAlternatingRowColors(True)
        self.programTable.setWordWrap(False)
        self.programTable.verticalHeader().hide()
        self.programTable.verticalHeader().setDefaultSectionSize(24)
        self.programTable.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.programTable.setSortingEnabled(True)
        header = self.programTable.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MARK, QHeaderView.ResizeMode.Fixed)
        self.programTable.setColumnWidth(COL_ID, 70)
        self.programTable.setColumnWidth(COL_DEPARTMENT, 150)
        self.programTable.setColumnWidth(COL_MARK, 44)
        self.programTable.selectionModel().currentRowChanged.connect(self._row_changed)

        self.editor = ProgramEditor()
        self.editor.setObjectName("programEditor")
        self.sourceView = SourceView(self.desk.source_pdf)
        self.historyPanel = HistoryPanel()
        self.historyPanel.setObjectName("historyPanel")
        self.historyPanel.restoreRequested.connect(self.restore_history)
        self.sideTabs = QTabWidget()
        self.sideTabs.setObjectName("sideTabs")
        self.sideTabs.addTab(self.sourceView, tr("取り込み元PDF"))
        self.sideTabs.addTab(self.historyPanel, tr("変更履歴"))
        self.sideTabs.currentChanged.connect(lambda _i: self._refresh_side())
        self._side_shown: tuple[int, str, int] | None = None

        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("leftSplitter")
        left.addWidget(self.departmentTree)
        left.addWidget(self.programTable)
        left.setStretchFactor(0, 1)
        left.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.sideTabs)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([420, 480, 540])
        left.setSizes([150, 650])
        self.setCentralWidget(self.splitter)

        self.progressBar = QProgressBar()
        self.progressBar.setMaximumWidth(180)
        self.progressBar.hide()
        self.dbLabel = QLabel(tr("データベース: {db}", db=self.desk.display_url))
        self.dbLabel.setObjectName("dbLabel")
        self.statusBar().addPermanentWidget(self.progressBar)
        self.statusBar().addPermanentWidget(self.dbLabel)

    def _action(self, text: str, name: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                *, tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.actionImport = self._action(tr("取り込み…"), "actionImport", self.open_import, std.Open,
                                         tip=tr("事務事業評価の PDF を取り込みます"))
        self.actionExport = self._action(tr("書き出し・印刷…"), "actionExport", self.open_export, std.Print,
                                         tip=tr("一覧表・事業シートの PDF、CSV、Excel に書き出します"))
        self.actionBackup = self._action(tr("バックアップ…"), "actionBackup", self.backup)
        self.actionRestore = self._action(tr("バックアップから復元…"), "actionRestoreBackup", self.restore_backup)
        self.actionQuit = self._action(tr("終了"), "actionQuit", self.close, std.Quit)
        self.actionQuit.setShortcut(QKeySequence("Ctrl+Q"))
        self.actionUndo = self.undo_group.createUndoAction(self, tr("元に戻す"))
        self.actionUndo.setObjectName("actionUndo")
        self.actionUndo.setShortcuts(QKeySequence.keyBindings(std.Undo))
        self.actionRedo = self.undo_group.createRedoAction(self, tr("やり直し"))
        self.actionRedo.setObjectName("actionRedo")
        redo_keys = QKeySequence.keyBindings(std.Redo)
        for extra in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.actionRedo.setShortcuts(redo_keys)
        self.addAction(self.actionUndo)
        self.addAction(self.actionRedo)
        self.actionSave = self._action(tr("保存"), "actionSave", self.save_current, std.Save,
                                       tip=tr("表示中の事業の変更を保存します"))
        self.actionSaveAll = self._action(tr("すべて保存"), "actionSaveAll", lambda: self.save_all(lambda: None),
                                          "Ctrl+Shift+S")
        self.actionRevert = self._action(tr("変更を取り消す"), "actionRevert", self.revert_current,
                                         tip=tr("表示中の事業を最後に保存した状態に戻します"))
        self.actionFind = self._action(tr("検索"), "actionFind", self.focus_search, std.Find)
        self.actionCompare = self._action(tr("年度比較…"), "actionCompare", self.open_compare, "Ctrl+D",
                                          tip=tr("2つの年度を比べます"))
        self.actionFieldLimits = self._action(tr("文字数の目安…"), "actionFieldLimits", self.edit_field_limits)
        self.actionDatabase = self._action(tr("データベース…"), "actionDatabase", self.edit_database)
        self.actionAbout = self._action(tr("evaldesk について"), "actionAbout", self.show_about)
        self.languageGroup = QActionGroup(self)
        self.languageActions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self.languageGroup)
            action.setObjectName(f"actionLanguage_{code}")
            action.setCheckable(True)
            action.setChecked(code == settings().language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.languageActions[code] = action
        self.undo_group.cleanChanged.connect(lambda _clean: self._update_actions())
        self._update_actions()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("ファイル(&F)"))
        file_menu.addActions([self.actionImport, self.actionExport])
        file_menu.addSeparator()
        file_menu.addActions([self.actionBackup, self.actionRestore])
        file_menu.addSeparator()
        file_menu.addAction(self.actionQuit)
        edit_menu = bar.addMenu(tr("編集(&E)"))
        edit_menu.addActions([self.actionUndo, self.actionRedo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.actionSave, self.actionSaveAll, self.actionRevert])
        edit_menu.addSeparator()
        edit_menu.addAction(self.actionFind)
        view_menu = bar.addMenu(tr("表示(&V)"))
        view_menu.addAction(self.actionCompare)
        settings_menu = bar.addMenu(tr("設定(&S)"))
        language_menu = settings_menu.addMenu(tr("表示言語"))
        language_menu.addActions(list(self.languageActions.values()))
        settings_menu.addActions([self.actionFieldLimits, self.actionDatabase])
        help_menu = bar.addMenu(tr("ヘルプ(&H)"))
        help_menu.addAction(self.actionAbout)

    def _restore_layout(self) -> None:
        s = settings()
        if not s.window_geometry.isEmpty():
            self.restoreGeometry(s.window_geometry)
        else:
            self.resize(1400, 860)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        if not s.splitter_state.isEmpty():
            self.splitter.restoreState(s.splitter_state)

    def _warm_up(self) -> None:
        job = self.editor.warm_up_job()
        if job is None:
            return

        def failed(exc: BaseException) -> None:
            log.warning("sheet layout check unavailable: %s", exc)

        self.runner.run(job, on_done=lambda _r: self.editor.set_overflow_ready(), on_error=failed)

    # == years and the program list ================================================================
    def reload_years(self, *, prefer: int | None = None) -> None:
        """Fill the year selector from the database and show ``prefer`` (else the newest year)."""
        years = [info.year for info in self.desk.years()]
        keep = prefer if prefer in years else (self.year if self.year in years else None)
        chosen = keep if keep is not None else (years[0] if years else None)
        self.yearCombo.blockSignals(True)
        try:
            self.yearCombo.clear()
            for y in years:
                self.yearCombo.addItem(year_label(y), y)
            if chosen is not None:
                self.yearCombo.setCurrentIndex(years.index(chosen))
        finally:
            self.yearCombo.blockSignals(False)
        self.year = None  # reload the programs even when the year stays the same
        self._show_year(chosen)

    def _show_year(self, year: int | None) -> None:
        self.year = year
        if year is not None:
            settings().last_year = year
        self._search_timer.stop()
        programs = self.desk.programs(year) if year is not None else []
        departments = list(dict.fromkeys(p.department for p in programs))
        self.departmentTree.set_departments(departments)
        self.editor.set_departments(departments)
        query = self.searchEdit.text().strip()
        self._set_programs(self.desk.programs(year, query) if year is not None and query else programs)
        self.select_first_if_none()
        self._update_title()

    def _refresh_departments(self) -> None:
        """A program moved to another department: the tree and the completer learn the new name."""
        if self.year is None:
            return
        departments = self.desk.departments(self.year)
        chosen = self.departmentTree.current_filter()
        self.departmentTree.set_departments(departments)
        self.editor.set_departments(departments)
        if chosen and not self.departmentTree.choose(chosen):
            self.refresh_programs()

    def refresh_programs(self) -> None:
        """Run the search and the department filter again (after typing, or a new department)."""
        self._search_timer.stop()
        if self.year is None:
            return
        department = self.departmentTree.current_filter() or None
        self._set_programs(self.desk.programs(self.year, self.searchEdit.text().strip(), department=department))

    def _search_now(self) -> None:
        self.refresh_programs()
        if self.proxy.rowCount() and self.current is None:
            self.select_first_if_none()

    def _set_programs(self, programs: list[Program]) -> None:
        keep = self.current.program_id if self.current else None
        table_selection = self.programTable.selectionModel()
        table_selection.blockSignals(True)
        try:
            self.model.set_programs(programs)
            for p in programs:
                session = self.sessions.get((p.fiscal_year, p.program_id))
                if session is not None and session.is_dirty():
                    self.model.set_unsaved(p.program_id, True)
            if keep is not None:
                self._select_row_of(keep)
        finally:
            table_selection.blockSignals(False)
        total = self.yearCombo.currentText()
        self.countLabel.setText(tr("{n} 件", n=len(programs)) if total else "")

    def select_first_if_none(self) -> None:
        if self.current is not None and self.current.base.fiscal_year == self.year:
            return
        if self.proxy.rowCount():
            self.programTable.setCurrentIndex(self.proxy.index(0, COL_ID))
        else:
            self._open_session(None)

    def _select_row_of(self, program_id: str) -> bool:
        row = self.model.row_of(program_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_ID))
        self.programTable.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.programTable.scrollTo(index)
        return True

    def select_program(self, program_id: str) -> bool:
        """Show a program of the current year, clearing the search and department filter if they hide it."""
        if self.model.row_of(program_id) is None and (self.searchEdit.text() or self.departmentTree.current_filter()):
            self.searchEdit.blockSignals(True)
            self.searchEdit.clear()
            self.searchEdit.blockSignals(False)
            self.departmentTree.choose("")
            self.refresh_programs()
        return self._select_row_of(program_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        program = self.model.program_at(self.proxy.mapToSource(current).row())
        self.open_program(program)

    # == sessions ==================================================================================
    def session_for(self, program: Program) -> ProgramSession:
        key = (program.fiscal_year, program.program_id)
        session = self.sessions.get(key)
        if session is None:
            session = ProgramSession(program, self)
            session.dirtyChanged.connect(lambda dirty, s=session: self._dirty_changed(s, dirty))
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
        return [s for s in self.sessions.values()
                if s.is_dirty() and (year is None or s.base.fiscal_year == year)]

    def _dirty_changed(self, session: ProgramSession, dirty: bool) -> None:
        if session.base.fiscal_year == self.year:
            self.model.set_unsaved(session.program_id, dirty)
        if session is self.current:
            self._update_history_block()
        self._update_actions()
        self._update_title()

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
            parts.append(era_label(self.year))
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
            self._saved(change)
            if then:
                then()

        def failed(exc: BaseException) -> None:
            session.saving = False
            self._idle()
            if isinstance(exc, StaleRevisionError):
                self.show_conflict(session, exc)
            else:
                self.show_error(exc)

        self.runner.run(
            lambda _progress: self.desk.update_program(year, pid, changes, if_revision=revision),
            on_done=done, on_error=failed,
        )

    def _saved(self, change: ProgramChange) -> None:
        program = change.program
        if program.fiscal_year == self.year:
            self.model.update_program(program)
            if "department" in change.changed_fields:
                self._refresh_departments()
        if self.current is not None and self.current.key == (program.fiscal_year, program.program_id):
            self.editor.update_header()
            self._refresh_history()
        self.status(tr("事業番号 {pid} を保存しました（版 {revision}）。", pid=program.program_id,
                       revision=program.revision))
        self._update_title()

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
        dialog = ConflictDialog(self, program_id=session.program_id, message=str(exc),
                                theirs=exc.current_values, mine=exc.rejected)
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
            self.show_error(exc)
            return
        if choice == KEEP_THEIRS:
            session.rebase(fresh, keep_edits=False)
            self._saved(ProgramChange(program=fresh, changed_fields=()))
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
        s = self.sessions.get((entry.fiscal_year, entry.program_id))
        if s is None or s.is_dirty():
            return
        revision = s.base.revision

        def done(change: ProgramChange) -> None:
            s.rebase(change.program, keep_edits=False)
            self._saved(change)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, StaleRevisionError):
                self.show_error(exc)
                fresh = self.desk.program(entry.fiscal_year, entry.program_id)
                s.rebase(fresh, keep_edits=False)
                self._saved(ProgramChange(program=fresh, changed_fields=()))
            else:
                self.show_error(exc)

        self.runner.run(lambda _p: self.desk.restore_history(entry.id, if_revision=revision),
                        on_done=done, on_error=failed)

    # == questions (patched in tests; non-blocking in the application) =============================
    def ask_unsaved(self, on_answer: Answer) -> None:
        """Save / Discard / Cancel for the programs with unsaved edits."""
        names = [f"{s.program_id} {s.values['name']}" for s in self.dirty_sessions()]
        box = QMessageBox(QMessageBox.Icon.Question, tr("未保存の変更"),
                          tr("{n} 件の事業に未保存の変更があります。保存しますか？", n=len(names)),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedBox")
        box.setInformativeText("\n".join(names[:10]) + ("\n…" if len(names) > 10 else ""))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Save).setText(tr("保存"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("保存しない"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("キャンセル"))
        answers = {QMessageBox.StandardButton.Save: SAVE, QMessageBox.StandardButton.Discard: DISCARD}
        box.finished.connect(lambda _r: on_answer(answers.get(box.standardButton(box.clickedButton()), CANCEL)))
        box.open()

    def ask_yes_no(self, title: str, text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("questionBox")
        box.button(QMessageBox.StandardButton.Yes).setText(tr("はい"))
        box.button(QMessageBox.StandardButton.No).setText(tr("いいえ"))
        box.finished.connect(
            lambda _r: on_yes() if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes
            else None
        )
        box.open()

    def ask_load_sample(self, on_yes: Callable[[], None]) -> None:
        self.ask_yes_no(
            tr("はじめに"),
            tr("データベースにまだ年度がありません。付属のサンプル（令和6年度・20事業）を取り込んで試しますか？"
               "\n自分の市の PDF は「ファイル → 取り込み…」から取り込めます。"),
            on_yes,
        )

    def show_error(self, error: BaseException | str) -> None:
        """One sentence for the user; anything unexpected goes to the log with its traceback."""
        if isinstance(error, EvaldeskError):
            message = str(error)
        elif isinstance(error, str):
            message = error
        else:
            log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
            message = tr("予期しないエラーが起きました。詳しくはログファイルをご覧ください。")
        self.last_message = message
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("evaldesk"), message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("errorBox")
        self.dialogs["error"] = box
        box.open()

    def show_info(self, message: str) -> None:
        self.last_message = message
        box = QMessageBox(QMessageBox.Icon.Information, tr("evaldesk"), message, QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("infoBox")
        self.dialogs["info"] = box
        box.open()

    def status(self, message: str) -> None:
        self.last_message = message
        self.statusBar().showMessage(message, 8000)

    def _busy_message(self, message: str) -> None:
        self._busy += 1
        self.statusBar().showMessage(message)

    def _idle(self) -> None:
        self._busy = max(0, self._busy - 1)
        if not self._busy:
            self.progressBar.hide()
            self.statusBar().clearMessage()

    def _progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, max(total, 0))
        self.progressBar.setValue(done)
        self.progressBar.show()

    # == year switching ============================================================================
    def _year_chosen(self, index: int) -> None:
        year = self.yearCombo.itemData(index)
        if year is None or year == self.year:
            return
        self.request_year(int(year))

    def request_year(self, year: int, then: Callable[[], None] | None = None) -> None:
        """Switch the year; unsaved edits of the shown year are saved or discarded first (or it stays)."""
        previous = self.year

        def switch() -> None:
            self._set_combo_year(year)
            self._show_year(year)
            if then:
                then()

        if year == previous:
            if then:
                then()
            return
        if previous is None or not self.dirty_sessions(previous):
            switch()
            return
        self._set_combo_year(previous)  # stays until the user has answered

        def answered(answer: str) -> None:
            if answer == SAVE:
                self.save_all(switch)
            elif answer == DISCARD:
                self._drop_sessions(previous)
                switch()

        self.ask_unsaved(answered)

    def _set_combo_year(self, year: int) -> None:
        index = self.yearCombo.findData(year)
        if index >= 0:
            self.yearCombo.blockSignals(True)
            self.yearCombo.setCurrentIndex(index)
            self.yearCombo.blockSignals(False)

    def go_to_program(self, year: int, program_id: str) -> None:
        """From the comparison: show that year and program, ready to edit."""
        self.request_year(year, then=lambda: self._go_to(program_id))

    def _go_to(self, program_id: str) -> None:
        if self.select_program(program_id):
            self.activateWindow()
            self.editor.focus_field("purpose")

    # == files, dialogs ============================================================================
    def open_import(self, path: str | None = None) -> None:
        try:
            from ui.import_dialog import ImportDialog
        except ImportError:
            log.exception("import dialog unavailable")
            self.show_error(tr("取り込み画面を開けません。"))
            return
        dialog = ImportDialog(self.desk, self.runner, self, path=path)
        dialog.imported.connect(self.imported)
        self.dialogs["import"] = dialog
        dialog.open()

    def imported(self, summary: ImportSummary) -> None:
        if summary.dry_run:
            return
        self.sourceView.forget_year(summary.fiscal_year)
        self._drop_sessions(summary.fiscal_year, keep_dirty=True)
        self.reload_years(prefer=summary.fiscal_year)
        self.status(tr("{year} の {n} 事業を取り込みました。", year=era_label(summary.fiscal_year),
                       n=summary.programs))

    def open_export(self) -> None:
        if self.year is None:
            return
        try:
            from ui.export_dialog import ExportDialog
        except ImportError:
            log.exception("export dialog unavailable")
            self.show_error(tr("書き出し画面を開けません。"))
            return
        dialog = ExportDialog(self.desk, self.runner, self, year=self.year,
                              program_id=self.current.program_id if self.current else None,
                              department=self.departmentTree.current_filter() or None)
        self.dialogs["export"] = dialog
        dialog.open()

    def open_compare(self) -> None:
        try:
            from ui.compare_view import CompareView
        except ImportError:
            log.exception("comparison view unavailable")
            self.show_error(tr("年度比較の画面を開けません。"))
            return
        s = settings()
        view = CompareView(self.desk, self, from_year=s.compare_from_year, to_year=s.compare_to_year)
        if not isinstance(view, QDialog):
            view.setWindowFlag(Qt.WindowType.Window, True)
        view.editRequested.connect(self.go_to_program)
        self.dialogs["compare"] = view
        view.show()

    def focus_search(self) -> None:
        self.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.searchEdit.selectAll()

    def backup(self) -> None:
        s = settings()
        folder = s.last_backup_dir or str(Path.home())
        suggested = str(Path(folder) / f"evaldesk-{self.year or 'backup'}.sqlite3")
        target, _ = QFileDialog.getSaveFileName(self, tr("バックアップの保存先"), suggested,
                                                tr("evaldesk バックアップ (*.sqlite3)"))
        if not target:
            return
        s.last_backup_dir = str(Path(target).parent)
        self._busy_message(tr("バックアップしています…"))

        def work(_progress: Callable[[int, int], None]) -> Path:
            made = self.desk.backup(reason="manual")
            if Path(target).resolve() != made.resolve():
                shutil.copy2(made, target)
            return Path(target)

        def done(path: Path) -> None:
            self._idle()
            self.status(tr("バックアップを保存しました: {path}", path=str(path)))

        def failed(exc: BaseException) -> None:
            self._idle()
            self.show_error(exc if not isinstance(exc, OSError) else tr("バックアップを保存できません: {err}",
                                                                         err=exc.strerror or str(exc)))

        self.runner.run(work, on_done=done, on_error=failed)

    def restore_backup(self) -> None:
        folder = settings().last_backup_dir or str(self.desk.backup_dir)
        path, _ = QFileDialog.getOpenFileName(self, tr("復元するバックアップ"), folder,
                                              tr("evaldesk バックアップ (*.sqlite3)"))
        if not path:
            return
        unsaved = len(self.dirty_sessions())
        text = tr("データベースをバックアップ「{name}」の内容に置き換えます。いまの内容は先にバックアップされます。",
                  name=Path(path).name)
        if unsaved:
            text += "\n" + tr("未保存の変更（{n} 件）は失われます。", n=unsaved)
        self.ask_yes_no(tr("バックアップから復元"), text, lambda: self._restore_from(path))

    def _restore_from(self, path: str) -> None:
        self._busy_message(tr("復元しています…"))

        def done(safety: Path) -> None:
            self._idle()
            self._drop_sessions()
            self.sourceView.forget_year()
            self.reload_years(prefer=self.year)
            self.status(tr("復元しました。復元前の内容は {path} に保存しました。", path=str(safety)))

        def failed(exc: BaseException) -> None:
            self._idle()
            self.show_error(exc)

        self.runner.run(lambda _p: self.desk.restore(path), on_done=done, on_error=failed)

    def _offer_sample(self) -> None:
        if self.yearCombo.count() == 0 and resource_path("samples", "r6_sample.pdf").exists():
            self.ask_load_sample(self.load_sample)

    def load_sample(self) -> None:
        path = resource_path("samples", "r6_sample.pdf")
        self._busy_message(tr("サンプルを取り込んでいます…"))

        def done(summary: ImportSummary) -> None:
            self._idle()
            self.imported(summary)

        def failed(exc: BaseException) -> None:
            self._idle()
            if not isinstance(exc, ImportCancelled):
                self.show_error(exc)

        self.runner.run(lambda progress: self.desk.import_pdf(path, year=SAMPLE_YEAR, progress=progress),
                        on_done=done, on_error=failed, on_progress=self._progress)

    # == settings menu =============================================================================
    def set_language(self, code: str) -> None:
        s = settings()
        if code == s.language:
            return
        s.language = code
        s.sync()
        if code != language():
            self.show_info(tr("表示言語は次回の起動から {name} になります。", name=LANGUAGES[code]))

    def edit_field_limits(self) -> None:
        from ui.preferences import FieldLimitsDialog

        dialog = FieldLimitsDialog(settings().field_limits, self)

        def accepted() -> None:
            settings().field_limits = dialog.limits()
            self.editor.set_limits(dialog.limits())

        dialog.accepted.connect(accepted)
        self.dialogs["limits"] = dialog
        dialog.open()

    def edit_database(self) -> None:
        from ui.preferences import DatabaseDialog

        dialog = DatabaseDialog(settings().db_url, self, in_use=self.desk.display_url)

        def accepted() -> None:
            if dialog.value() != settings().db_url:
                settings().db_url = dialog.value()
                self.show_info(tr("データベースの設定は次回の起動から使われます。"))

        dialog.accepted.connect(accepted)
        self.dialogs["database"] = dialog
        dialog.open()

    def show_about(self) -> None:
        from evaldesk.logs import setup_logging
        from ui.about import AboutDialog

        dialog = AboutDialog(self, database=self.desk.display_url, log_file=str(setup_logging()))
        self.dialogs["about"] = dialog
        dialog.open()

    # == Qt events =================================================================================
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and isinstance(
            event, QDropEvent
        ) and self._dropped_pdf(event) is not None:
            if kind == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_pdf(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_pdf(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        settings().last_import_dir = str(Path(path).parent)
        QTimer.singleShot(0, lambda: self.open_import(path))

    @staticmethod
    def _dropped_pdf(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                return url.toLocalFile()
        return None

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty_sessions() and not self._close_confirmed:
            event.ignore()

            def answered(answer: str) -> None:
                if answer == SAVE:
                    self.save_all(self._close_now)
                elif answer == DISCARD:
                    self._close_now()

            self.ask_unsaved(answered)
            return
        s = settings()
        s.window_geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter_state = self.splitter.saveState()
        s.sync()
        for dialog in self.dialogs.values():
            dialog.close()
        self.runner.wait()
        self.desk.close()  # release the database file now, not whenever Python collects the window
        event.accept()

    def _close_now(self) -> None:
        self._close_confirmed = True
        QTimer.singleShot(0, self.close)  # not from inside closeEvent: Qt refuses a nested close
