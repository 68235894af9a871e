"""The main window: year, departments, the program table, the editor, the source page and the history."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QIcon,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QToolBar,
    QWidget,
)

from evaldesk.desk import Desk
from evaldesk.records import Program
from evaldesk.resources import resource_path
from ui.department_tree import DepartmentTree
from ui.editor import ProgramEditor
from ui.history_panel import HistoryPanel
from ui.i18n import tr, year_with_western
from ui.models import COL_ID, ProgramTableModel
from ui.runner import Runner
from ui.session import ProgramSession
from ui.settings import settings
from ui.source_view import SourceView
from ui.widgets import record_table, tab_widget
from ui.window_changes import ChangesMixin
from ui.window_editing import EditingMixin
from ui.window_list import ListMixin
from ui.window_menus import MenusMixin
from ui.window_messages import DISCARD, SAVE, MessagesMixin
from ui.window_round import RoundMixin

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150


def year_label(year: int) -> str:
    return year_with_western(year)


def app_icon() -> QIcon:
    path = resource_path("icons", "evaldesk.png")
    return QIcon(str(path)) if path.exists() else QIcon()


class MainWindow(ListMixin, MenusMixin, RoundMixin, EditingMixin, ChangesMixin, MessagesMixin):
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
        self._year_programs: dict[str, Program] = {}
        self._edited_keys: set[tuple[int, str]] = set()  # sessions that have had unsaved edits

        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self._build_widgets()
        # Text fields would take a dropped PDF as its path text; a PDF dropped anywhere means "import it".
        for widget in (*self.editor.edits.values(), self.searchEdit):
            target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
            target.installEventFilter(self)
        self._build_actions()
        self._build_menus()
        self._restore_layout()
        self.editor.set_limits(settings().field_limits)
        self.reload_years(prefer=settings().last_year)
        self._update_title()
        self._warm_up()
        # Start in the list: arrow keys browse programs. (Qt would give the year selector the focus,
        # where Home/End or a turn of the wheel switched the year without the user noticing.)
        self.programTable.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.yearCombo.count() == 0:
            QTimer.singleShot(0, self._offer_sample)

    # == building ==================================================================================
    def _build_widgets(self) -> None:
        self._build_toolbar()
        self._build_list()
        self._build_side()
        self._build_splitter()
        self._build_status_bar()

    def _build_toolbar(self) -> None:
        """The year selector, the search field and the count of programs found."""
        self.yearCombo = QComboBox()
        self.yearCombo.setObjectName("yearCombo")
        self.yearCombo.setMinimumContentsLength(14)
        self.yearCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.yearCombo.setToolTip(tr("表示する年度"))
        self.yearCombo.currentIndexChanged.connect(self._year_chosen)
        self.searchEdit = QLineEdit()
        self.searchEdit.setObjectName("searchEdit")
        self.searchEdit.setPlaceholderText(tr("事業番号・事業名・部署名・本文を検索（Ctrl+F）"))
        self.searchEdit.setClearButtonEnabled(True)
        self.searchEdit.setMinimumWidth(320)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_programs)
        self.searchEdit.textChanged.connect(lambda _text: self._search_timer.start())
        self.searchEdit.returnPressed.connect(self.open_first_hit)

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

    def _build_list(self) -> None:
        self.departmentTree = DepartmentTree()
        self.departmentTree.departmentChosen.connect(lambda _d: self.refresh_programs())

        self.model = ProgramTableModel(self)
        self.proxy = self.model  # the model sorts itself (no proxy in between); the old name still works
        self.programTable = record_table(self.model, "programTable")
        self.programTable.setAlternatingRowColors(True)
        self.programTable.setWordWrap(False)
        self.programTable.verticalHeader().setDefaultSectionSize(24)
        self.programTable.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.programTable.setSortingEnabled(True)
        self.programTable.selectionModel().currentRowChanged.connect(self._row_changed)

    def _build_side(self) -> None:
        """The editor, and beside it the source PDF and the history; they follow the change broadcast."""
        self.editor = ProgramEditor(fit_check=self.desk.sheet_fit)
        self.editor.setObjectName("programEditor")
        self.sourceView = SourceView(self.desk.source_pdf)
        self.runner.changes.changed.connect(self.sourceView.apply_changes)
        self.runner.changes.changed.connect(self._changes_happened)
        self.historyPanel = HistoryPanel()
        self.historyPanel.setObjectName("historyPanel")
        self.historyPanel.restoreRequested.connect(self.restore_history)
        self.sideTabs = tab_widget("sideTabs")
        self.sideTabs.addTab(self.sourceView, tr("取り込み元PDF"))
        self.sideTabs.addTab(self.historyPanel, tr("変更履歴"))
        self.sideTabs.currentChanged.connect(lambda _i: self._refresh_side())
        self._side_shown: tuple[int, str, int] | None = None

    def _build_splitter(self) -> None:
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
        self._setup_list()
        empty = self.editor.emptyState
        empty.importRequested.connect(lambda: self.open_import())
        empty.sampleRequested.connect(self.load_sample)
        empty.manualRequested.connect(self.show_manual)

    def _build_status_bar(self) -> None:
        self.progressBar = QProgressBar()
        self.progressBar.setMaximumWidth(180)
        self.progressBar.hide()
        self.dbLabel = QLabel(tr("データベース: {db}", db=self.desk.display_name))
        self.dbLabel.setObjectName("dbLabel")
        self.dbLabel.setToolTip(self.desk.display_url)
        self.statusBar().addPermanentWidget(self.progressBar)
        self.statusBar().addPermanentWidget(self.dbLabel)

    def _restore_layout(self) -> None:
        s = settings()
        if not s.window_geometry.isEmpty():
            self.restoreGeometry(s.window_geometry)
        else:
            self.resize(1400, 860)
        if not s.window_state.isEmpty():
            self.restoreState(s.window_state)
        self._restore_list_layout()

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
        programs = self._load_year_programs(year)
        departments = list(dict.fromkeys(p.department for p in programs))
        self.departmentTree.set_departments(departments)
        self.editor.set_departments(departments)
        query = self.searchEdit.text().strip()
        self._set_programs(self.find_programs(query) if query else programs)
        self.select_first_if_none()
        self.follow_list()
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
        self._set_programs(self.find_programs(self.searchEdit.text().strip(), department))
        self.follow_list()

    def _set_programs(self, programs: list[Program]) -> None:
        keep = self.current.program_id if self.current else None
        table_selection = self.programTable.selectionModel()
        table_selection.blockSignals(True)
        try:
            self.model.set_programs(programs)
            for session in self.dirty_sessions(self.year):
                self.model.set_unsaved(session.program_id, True)
            if keep is not None:
                self._select_row_of(keep)
        finally:
            table_selection.blockSignals(False)
        self.countLabel.setText(tr("{n} 件", n=len(programs)) if self.year is not None else "")

    def select_first_if_none(self) -> None:
        if self.current is not None and self.current.base.fiscal_year == self.year:
            return
        if self.model.rowCount():
            self.programTable.setCurrentIndex(self.model.index(0, COL_ID))
        else:
            self._open_session(None)

    def _select_row_of(self, program_id: str) -> bool:
        row = self.model.row_of(program_id)
        if row is None:
            return False
        index = self.model.index(row, COL_ID)
        self.programTable.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.programTable.scrollTo(index)
        return True

    def select_program(self, program_id: str) -> bool:
        """Show a program of the current year, clearing the search and department filter if they hide it."""
        if self.model.row_of(program_id) is None and (
            self.searchEdit.text() or self.departmentTree.current_filter()
        ):
            self.searchEdit.blockSignals(True)
            self.searchEdit.clear()
            self.searchEdit.blockSignals(False)
            self.departmentTree.choose("")
            self.refresh_programs()
        return self._select_row_of(program_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        program = self.model.program_at(current.row())
        self.open_program(program)

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

    def focus_search(self) -> None:
        self.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.searchEdit.selectAll()

    def focus_results(self) -> None:
        """Move from the search field into the program list, onto the shown program or the first found."""
        if self._search_timer.isActive():
            self.refresh_programs()  # what was typed in the last moment counts too
        if not self.programTable.currentIndex().isValid():
            self.programTable.setCurrentIndex(self.model.index(0, COL_ID))
        self.programTable.setFocus(Qt.FocusReason.OtherFocusReason)

    # == closing ====================================================================================
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
        self._save_list_layout()
        s.sync()
        for dialog in self.dialogs.values():
            dialog.close()
        self.runner.wait()
        self.desk.close()  # release the database file now, not whenever Python collects the window
        event.accept()

    def _close_now(self) -> None:
        self._close_confirmed = True
        QTimer.singleShot(0, self.close)  # not from inside closeEvent: Qt refuses a nested close
