"""The main window's listener of the change broadcast: the program table, open programs and the history."""

from __future__ import annotations

from evaldesk.errors import NotFoundError
from evaldesk.records import Changes
from ui.window_state import WindowState

BULK_CHANGE = 20
"""Past this many changed programs of the shown year the list is read again as a whole."""


class ChangesMixin(WindowState):
    """Follows ``runner.changes``: whoever saved, imported, restored or linked, the window shows it."""

    def _changes_happened(self, changes: Changes) -> None:
        if changes.everything:
            self._drop_sessions()  # the user was told unsaved edits are lost with a restore
        for year in changes.years:
            self._drop_sessions(year, keep_dirty=True)
        if changes.everything or changes.years:
            self.reload_years(prefer=self.year)
        if changes.everything:
            return
        programs = {key for key in changes.programs if key[0] not in changes.years}
        shown = {pid for year, pid in programs if year == self.year}
        if len(shown) > BULK_CHANGE:
            self.refresh_programs()
            self._refresh_departments()
            programs = {key for key in programs if key in self.sessions}
        for year, pid in sorted(programs):
            self._program_changed(year, pid)
        self._update_title()

    def _program_changed(self, year: int, pid: str) -> None:
        """Read one changed program again: its row, its open session (unless edited) and its history."""
        session = self.sessions.get((year, pid))
        row = self.model.row_of(pid) if year == self.year else None
        if session is None and row is None:
            return
        try:
            fresh = self.desk.program(year, pid)
        except NotFoundError:
            return
        if year == self.year:
            self._year_programs[pid] = fresh
        if session is not None and not session.is_dirty() and fresh.revision != session.base.revision:
            session.rebase(fresh, keep_edits=False)
        if row is not None:
            moved = self.model.program_at(row).department != fresh.department
            self.model.update_program(fresh)
            if moved:
                self._refresh_departments()
        if session is not None and session is self.current:
            self.editor.update_header()
            self._refresh_side(force=True)
