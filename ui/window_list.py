"""The program list in the main window: room for names, remembered sizes, search keys, following the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QSplitter,
    QWidget,
)

from evaldesk.errors import NotFoundError
from evaldesk.records import Program
from evaldesk.textnorm import fold_for_search
from ui.empty_state import NO_HITS, NO_YEARS
from ui.i18n import tr
from ui.models import COL_DEPARTMENT, COL_ID, COL_MARK, COL_NAME
from ui.settings import settings
from ui.window_state import WindowState

SPLITTER_SHARES = (0.40, 0.36, 0.24)
"""List, editor, source/history: the list gets the most, so names can be read on a laptop."""
STALE_REREAD = 20
"""Past this many changed programs among the hits, the year's list is read again as a whole."""
DEPARTMENT_CHARS = 6
"""The 部署名 column shows this many characters by default (the full name is in the tooltip)."""
HIGHLIGHT = QColor(255, 224, 102)


def match_ranges(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, length) of every occurrence of a folded search term in ``text``, width-insensitively."""
    folded = fold_for_search(text)
    if len(folded) != len(text):  # folding changed the length (rare ligatures): no safe mapping
        return []
    out: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while term and start >= 0:
            out.append((start, len(term)))
            start = folded.find(term, start + len(term))
    return out


class ListMixin(WindowState):
    """Builds on the widgets ``MainWindow._build_widgets`` made; called once from there."""

    def _setup_list(self) -> None:
        table = self.programTable
        table.setTabKeyNavigation(False)  # Tab moves between panes; the arrow keys move in the list
        self.departmentTree.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DEPARTMENT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_MARK, QHeaderView.ResizeMode.Fixed)
        metrics = table.fontMetrics()
        table.setColumnWidth(COL_ID, max(64, header.sectionSizeHint(COL_ID)))
        table.setColumnWidth(COL_DEPARTMENT, metrics.horizontalAdvance("部" * DEPARTMENT_CHARS) + 16)
        table.setColumnWidth(COL_MARK, header.sectionSizeHint(COL_MARK))
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setDefaultSectionSize(round(metrics.height() * 1.7))
        self._splitter_touched = False
        self.splitter.splitterMoved.connect(self._splitter_moved)
        self._set_tab_order()
        empty = self.editor.emptyState
        empty.clearFilterRequested.connect(self.clear_search_and_filter)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.yearCombo,
            self.searchEdit,
            self.departmentTree,
            self.programTable,
            *self.editor.edits.values(),
            self.sideTabs,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_touched = True

    def _share_splitter(self) -> None:
        """Give the panes their shares of the width until the user moves a splitter handle."""
        if self._splitter_touched:
            return
        width = max(self.splitter.width(), 1)
        self.splitter.setSizes([round(width * share) for share in SPLITTER_SHARES])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share_splitter()

    def _restore_list_layout(self) -> None:
        s = settings()
        if not s.splitter_state.isEmpty() and self.splitter.restoreState(s.splitter_state):
            self._splitter_touched = True
        left = self.splitter.widget(0)
        if not s.left_splitter_state.isEmpty() and isinstance(left, QSplitter):
            left.restoreState(s.left_splitter_state)
        if not s.list_header_state.isEmpty():
            self.programTable.horizontalHeader().restoreState(s.list_header_state)

    def _save_list_layout(self) -> None:
        s = settings()
        s.splitter_state = self.splitter.saveState()
        left = self.splitter.widget(0)
        if isinstance(left, QSplitter):
            s.left_splitter_state = left.saveState()
        s.list_header_state = self.programTable.horizontalHeader().saveState()

    # -- search --------------------------------------------------------------------------------
    def _load_year_programs(self, year: int | None) -> list[Program]:
        """Read the year's programs with their texts (once per year; a search then reads only hits)."""
        programs = self.desk.programs(year) if year is not None else []
        self._year_programs = {p.program_id: p for p in programs}
        return programs

    def find_programs(self, query: str, department: str | None = None) -> list[Program]:
        """The programs of the shown year a search finds, in table order.

        The database answers which programs match (and their revisions); their records come from the
        list read for the year, so typing does not read 1,000 programs' texts again. A program changed
        since (another revision) is read again, so the list is as fresh as the database.
        """
        if self.year is None:
            return []
        hits = self.desk.program_hits(self.year, query, department=department)
        known = self._year_programs
        stale = [
            h.program_id for h in hits if (p := known.get(h.program_id)) is None or p.revision != h.revision
        ]
        try:
            if len(stale) > STALE_REREAD:
                self._load_year_programs(self.year)
            for program_id in stale if len(stale) <= STALE_REREAD else ():
                known[program_id] = self.desk.program(self.year, program_id)
        except NotFoundError:  # removed meanwhile (a re-import): read it all again
            return self.desk.programs(self.year, query, department=department)
        return [known[h.program_id] for h in hits if h.program_id in known]

    def _search_key(self, event: QKeyEvent) -> bool:
        """Esc clears the search; Down goes into the results. True if the key was used."""
        if event.key() == Qt.Key.Key_Escape and self.searchEdit.text():
            self.searchEdit.clear()
            self.refresh_programs()
            return True
        if event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self.focus_results()  # from the search straight into what it found, as in a browser
            return True
        return False

    def open_first_hit(self) -> None:
        """Enter in the search: run it now and open the first program found."""
        self.refresh_programs()
        if self.model.rowCount():
            self.programTable.setCurrentIndex(self.model.index(0, COL_ID))
            self.programTable.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_search_and_filter(self) -> None:
        self.searchEdit.blockSignals(True)
        self.searchEdit.clear()
        self.searchEdit.blockSignals(False)
        self.departmentTree.choose("")
        self.refresh_programs()

    def _highlight(self) -> None:
        terms = [t for t in fold_for_search(self.searchEdit.text()).split() if t]
        self.model.set_highlight(terms)
        self.editor.highlight(terms)

    def follow_list(self) -> None:
        """The editor shows a program the list shows: the one shown, else the first hit, else why not."""
        self._highlight()
        if self.year is None:
            self.editor.show_empty(NO_YEARS)
            return
        if self.current is not None and self.model.row_of(self.current.program_id) is not None:
            return
        if self.model.rowCount():
            self.programTable.setCurrentIndex(self.model.index(0, COL_ID))
            return
        self._open_session(None)
        self.editor.show_empty(NO_HITS, self._filter_text())

    def _filter_text(self) -> str:
        parts = []
        if self.searchEdit.text().strip():
            parts.append(tr("検索: {text}", text=self.searchEdit.text().strip()))
        if self.departmentTree.current_filter():
            parts.append(tr("部署: {name}", name=self.departmentTree.current_filter()))
        return "　".join(parts)
