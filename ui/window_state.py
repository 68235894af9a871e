"""What the parts of the main window share: its state and widgets, declared once for the type checker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QDragEnterEvent, QDropEvent, QKeyEvent, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QTableView,
    QTabWidget,
    QWidget,
)

from evaldesk.desk import Desk
from evaldesk.records import Program
from ui.department_tree import DepartmentTree
from ui.editor import ProgramEditor
from ui.history_panel import HistoryPanel
from ui.models import ProgramTableModel
from ui.runner import Runner
from ui.session import ProgramSession
from ui.source_view import SourceView


class WindowState(QMainWindow):
    """Base of the main window and its parts (menus, editing, messages); holds no behaviour itself."""

    desk: Desk
    runner: Runner
    year: int | None
    sessions: dict[tuple[int, str], ProgramSession]
    current: ProgramSession | None
    undo_group: QUndoGroup
    dialogs: dict[str, QWidget]
    _year_programs: dict[str, Program]
    _edited_keys: set[tuple[int, str]]
    last_message: str
    _busy: int
    _close_confirmed: bool
    _side_shown: tuple[int, str, int] | None

    yearCombo: QComboBox
    searchEdit: QLineEdit
    departmentTree: DepartmentTree
    model: ProgramTableModel
    proxy: ProgramTableModel
    programTable: QTableView
    editor: ProgramEditor
    sourceView: SourceView
    historyPanel: HistoryPanel
    sideTabs: QTabWidget
    splitter: QSplitter
    progressBar: QProgressBar

    actionImport: QAction
    actionExport: QAction
    actionBackup: QAction
    actionRestore: QAction
    actionQuit: QAction
    actionUndo: QAction
    actionRedo: QAction
    actionSave: QAction
    actionSaveAll: QAction
    actionRevert: QAction
    actionFind: QAction
    actionCompare: QAction
    actionFieldLimits: QAction
    actionDatabase: QAction
    actionAbout: QAction
    actionManual: QAction
    languageGroup: QActionGroup
    languageActions: dict[str, QAction]

    if TYPE_CHECKING:  # implemented by MainWindow and its parts; declared here so each part type-checks

        def reload_years(self, *, prefer: int | None = None) -> None: ...
        def _refresh_departments(self) -> None: ...
        def _show_year(self, year: int | None) -> None: ...
        def _set_combo_year(self, year: int) -> None: ...
        def select_program(self, program_id: str) -> bool: ...
        def request_year(self, year: int, then: Callable[[], None] | None = None) -> None: ...
        def go_to_program(self, year: int, program_id: str) -> None: ...
        def focus_search(self) -> None: ...
        def focus_results(self) -> None: ...
        def refresh_programs(self) -> None: ...
        def _search_key(self, event: QKeyEvent) -> bool: ...
        def _open_session(self, session: ProgramSession | None) -> None: ...
        def _update_title(self) -> None: ...
        def _update_actions(self) -> None: ...
        def _refresh_side(self, *, force: bool = False) -> None: ...
        def dirty_sessions(self, year: int | None = None) -> list[ProgramSession]: ...
        def _drop_sessions(self, year: int | None = None, *, keep_dirty: bool = False) -> None: ...
        def save_current(self) -> None: ...
        def save_all(self, then: Callable[[], None]) -> None: ...
        def revert_current(self) -> None: ...
        def ask_yes_no(self, title: str, text: str, on_yes: Callable[[], None]) -> None: ...
        def show_error(self, error: BaseException | str, *, doing: str = "処理") -> None: ...
        def show_info(self, message: str) -> None: ...
        def status(self, message: str) -> None: ...
        def _busy_message(self, message: str) -> None: ...
        def _idle(self) -> None: ...
        def _progress(self, done: int, total: int) -> None: ...
        def open_round(self) -> None: ...
        def collect_workbooks(self, paths: Sequence[str | Path]) -> None: ...
        @staticmethod
        def dropped_workbooks(event: QDragEnterEvent | QDropEvent) -> list[str]: ...
