"""The main window's part of the revision round: the 部署 panel, the review, workbooks dropped on it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDropEvent

from evaldesk.roundtrip import AcceptResult, Review
from ui.i18n import tr, year_text
from ui.window_state import WindowState

log = logging.getLogger(__name__)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


class RoundMixin(WindowState):
    def open_round(self) -> None:
        """The 部署 panel of the shown year: send workbooks, see who answered, collect."""
        from ui.round_dialog import RoundDialog

        if self.year is None:
            return
        dialog = RoundDialog(self.desk, self.year, self, runner=self.runner)
        dialog.reviewReady.connect(self.open_review)
        self.dialogs["round"] = dialog
        dialog.show()

    def collect_workbooks(self, paths: Sequence[str | Path]) -> None:
        """Read returned workbooks (e.g. dropped on the window) and open the review of them."""
        if self.year is None:
            return
        desk, year = self.desk, self.year

        def task(progress: object) -> Review:
            review = desk.collect_workbooks(paths, year=year)
            if review.workbooks:
                desk.mark_collected(review)  # the 部署 state only; no program text is written
            return review

        self.runner.run(task, on_done=self.open_review, on_error=self.show_error)

    def open_review(self, review: Review) -> None:
        from ui.review_view import ReviewView

        if not review.workbooks and review.refused:
            self.show_error(" ".join(r.message for r in review.refused))
            return
        view = ReviewView(self.desk, review, self, runner=self.runner)
        view.returnsStored.connect(self.returns_stored)
        self.dialogs["review"] = view
        view.show()

    def returns_stored(self, result: AcceptResult) -> None:
        """The views have followed the change broadcast already; the status bar says what happened."""
        if self.year is not None:
            self.status(
                tr(
                    "{year}：返送されたブックから {n} 件を取り込みました。",
                    year=year_text(self.year),
                    n=len(result.stored),
                )
            )

    @staticmethod
    def dropped_workbooks(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return [
            u.toLocalFile()
            for u in mime.urls()
            if u.isLocalFile() and u.toLocalFile().lower().endswith(WORKBOOK_SUFFIXES)
        ]
