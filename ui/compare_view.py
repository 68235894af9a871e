"""The year-over-year comparison window: counts, a filterable list of programs, side-by-side diffs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui import diff_view
from ui.compare_models import (
    FILTER_KINDS,
    KIND_LABELS,
    ComparisonModel,
    FigureModel,
    kind_label,
)
from ui.errors import error_text
from ui.file_dialogs import ask_export_path, file_name, year_for_file
from ui.i18n import tr, year_text, year_with_western
from ui.settings import settings
from ui.widgets import ErrorLabel, named, object_name, record_table

if TYPE_CHECKING:
    from evaldesk.compare import Comparison, FigureChange, ProgramComparison
    from evaldesk.desk import Desk
    from evaldesk.records import Changes
    from ui.link_dialog import LinkDialog
    from ui.runner import Runner

log = logging.getLogger(__name__)

RESIZE_ROWS = 100
"""How many rows the table looks at to size its columns."""


class CompareView(QDialog):
    """Two fiscal years side by side; non-modal (``show()``)."""

    editRequested = Signal(int, str)
    comparisonChanged = Signal(object)

    def __init__(
        self,
        desk: Desk,
        runner: Runner,
        parent: QWidget | None = None,
        *,
        from_year: int | None = None,
        to_year: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.comparison: Comparison | None = None
        self._pending: Any = None
        self.setObjectName("compareView")
        self.setWindowTitle(tr("年度比較"))
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1280, 820)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_year_row())
        layout.addLayout(self._build_filters())
        self.error_label = ErrorLabel("compareError")
        layout.addWidget(self.error_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_table())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 2)  # the list keeps room for names also on a 1024 px laptop
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([510, 770])
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_buttons())

        self._fill_years(from_year, to_year)
        self.from_combo.currentIndexChanged.connect(self.recompute)
        self.to_combo.currentIndexChanged.connect(self.recompute)
        runner.changes.changed.connect(self._changes_happened)
        self._show_entry(None)
        self.recompute()

    # -- building -----------------------------------------------------------------------------
    def _build_year_row(self) -> QHBoxLayout:
        self.from_combo = named(QComboBox(), "compareFromCombo")
        self.to_combo = named(QComboBox(), "compareToCombo")
        self.summary_label = named(QLabel(), "compareSummary")
        self.summary_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("比較元")))
        top.addWidget(self.from_combo)
        top.addWidget(QLabel("→"))
        top.addWidget(QLabel(tr("比較先")))
        top.addWidget(self.to_combo)
        top.addSpacing(16)
        top.addWidget(self.summary_label, 1)
        return top

    def _build_filters(self) -> QHBoxLayout:
        self.filter_boxes: dict[str, QCheckBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("表示:")))
        for key in FILTER_KINDS:
            box = named(QCheckBox(tr(KIND_LABELS[key])), object_name("compareFilter", key))
            box.setChecked(True)
            box.toggled.connect(self._apply_filter)
            self.filter_boxes[key] = box
            filters.addWidget(box)
        filters.addStretch(1)
        return filters

    def _build_table(self) -> QTableView:
        self.model = ComparisonModel(self)
        self.table = record_table(self.model, "compareTable")
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Sized from the first rows only: measuring a thousand rows froze the window for a second.
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # 変更の種類 keeps its width: 「名称変更・所管変更・内容変更（対応付け）」 after a link took the
        # name's room; a long one ends in 「…」 and the tooltip has it whole.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(2, metrics.horizontalAdvance("名称変更・内容変更（") + 16)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._request_edit())
        return self.table

    def _build_detail(self) -> QWidget:
        """The chosen program: its title, the two years' texts side by side, the figures that moved."""
        self.title_label = named(QLabel(), "compareProgramTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        self.old_label = QLabel()
        self.new_label = QLabel()
        self.old_browser = named(QTextBrowser(), "compareOldText")
        self.new_browser = named(QTextBrowser(), "compareNewText")
        sides = QHBoxLayout()
        for label, browser in ((self.old_label, self.old_browser), (self.new_label, self.new_browser)):
            browser.setOpenLinks(False)
            side = QVBoxLayout()
            side.addWidget(label)
            side.addWidget(browser)
            sides.addLayout(side)
        legend = QLabel(diff_view.legend_html())
        legend.setTextFormat(Qt.TextFormat.RichText)
        self.figures_label = QLabel(tr("数値の比較"))

        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.title_label)
        dl.addLayout(sides, 1)
        dl.addWidget(legend)
        dl.addWidget(self.figures_label)
        dl.addWidget(self._build_figure_table())
        return detail

    def _build_figure_table(self) -> QTableView:
        self.figure_model = FigureModel(self)
        self.figure_table = named(QTableView(), "compareFigures")
        self.figure_table.setModel(self.figure_model)
        self.figure_table.verticalHeader().setVisible(False)
        self.figure_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        fh = self.figure_table.horizontalHeader()
        fh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            fh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.figure_table.setMaximumHeight(150)
        return self.figure_table

    def _build_buttons(self) -> QHBoxLayout:
        self.edit_button = named(QPushButton(tr("この事業を編集")), "compareEditButton")
        self.link_button = named(QPushButton(tr("対応付け…")), "compareLinkButton")
        self.pdf_button = named(QPushButton(tr("PDF 出力…")), "comparePdfButton")
        self.close_button = named(QPushButton(tr("閉じる")), "compareCloseButton")
        self.edit_button.clicked.connect(self._request_edit)
        self.edit_button.setDefault(True)  # Enter on the chosen row opens it, like a double-click
        self.link_button.clicked.connect(self.open_links)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.close_button)
        return buttons

    # -- years --------------------------------------------------------------------------------
    def _fill_years(self, from_year: int | None, to_year: int | None) -> None:
        """The years in the database, newest first; the pair asked for, else the last pair compared."""
        years = sorted((y.year for y in self.desk.years()), reverse=True)
        if from_year is None and to_year is None:
            s = settings()
            from_year, to_year = s.compare_from_year, s.compare_to_year
            if from_year not in years or to_year not in years:
                from_year = to_year = None
        if from_year not in years:
            from_year = None
        if to_year not in years:
            to_year = None
        if to_year is None:
            to_year = years[0] if years else None
        if from_year is None:
            older = [y for y in years if to_year is None or y < to_year]
            from_year = older[0] if older else (years[1] if len(years) > 1 else to_year)
        for combo, chosen in ((self.from_combo, from_year), (self.to_combo, to_year)):
            combo.blockSignals(True)
            combo.clear()
            for y in years:
                combo.addItem(year_with_western(y), y)
            i = combo.findData(chosen)
            combo.setCurrentIndex(i if i >= 0 else 0)
            combo.blockSignals(False)

    def years(self) -> tuple[int | None, int | None]:
        return self.from_combo.currentData(), self.to_combo.currentData()

    def set_years(self, from_year: int, to_year: int) -> None:
        for combo, y in ((self.from_combo, from_year), (self.to_combo, to_year)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(y))
            combo.blockSignals(False)
        self.recompute()

    # -- computing ----------------------------------------------------------------------------
    def recompute(self) -> None:
        """Compare the chosen years again (after a change of years or of the links)."""
        from_year, to_year = self.years()
        self.error_label.show_error("")
        if from_year is None or to_year is None or len(self.desk.years()) < 2:
            self._set_comparison(None)
            self.error_label.show_error(tr("比較するには 2 つ以上の年度を取り込んでください。"))
            return
        if from_year == to_year:
            self._set_comparison(None)
            self.error_label.show_error(tr("異なる 2 つの年度を選んでください。"))
            return
        s = settings()
        s.compare_from_year = from_year
        s.compare_to_year = to_year
        desk = self.desk

        def task(progress: Any) -> Comparison:
            return desk.compare(from_year, to_year)

        self.summary_label.setText(tr("比較しています…"))
        token = object()
        self._pending = token
        self.runner.run(task, on_done=lambda c: self._done(token, c), on_error=lambda e: self._done(token, e))

    def _changes_happened(self, changes: Changes) -> None:
        """A save, import, restore or link anywhere: compare again if it touches the years shown."""
        shown = self.years()
        if changes.everything or changes.years:  # a year may have come or gone
            kept = shown if shown[0] != shown[1] else (None, None)
            self._fill_years(*kept)
        from_year, to_year = shown
        if (
            from_year is None
            or to_year is None
            or self.years() != shown
            or changes.touches_comparison(from_year, to_year)
        ):
            self.recompute()

    def _done(self, token: object, result: Any) -> None:
        if token is not self._pending:
            return  # an older computation finished after a newer one started
        self._pending = None
        if isinstance(result, BaseException):
            self._failed(result)
        else:
            self._set_comparison(result)

    def _failed(self, exc: BaseException) -> None:
        self.error_label.show_error(error_text(exc, doing="比較"))
        self._set_comparison(None)

    def _set_comparison(self, comparison: Comparison | None) -> None:
        current = self.selected_entry()
        keep = current.program_id if current is not None else None
        self.comparison = comparison
        self.model.set_comparison(comparison)
        self.summary_label.setText(self.summary_text())
        self.pdf_button.setEnabled(comparison is not None)
        self.link_button.setEnabled(comparison is not None)
        if comparison is not None:
            self.old_label.setText(f"<b>{year_text(comparison.from_year)}</b>")
            self.new_label.setText(f"<b>{year_text(comparison.to_year)}</b>")
            self.figure_model.set_years(comparison.from_year, comparison.to_year)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and self.model.rowCount() > 0:
            row = self._first_interesting_row()
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_entry(None)
        self.comparisonChanged.emit(comparison)

    def _first_interesting_row(self) -> int:
        for i, e in enumerate(self.model.entries()):
            if e.kind != "unchanged":
                return i
        return 0

    def summary_text(self) -> str:
        c = self.comparison
        if c is None:
            return ""
        counts = c.counts
        sub = {k: sum(1 for e in c.changed if k in e.kinds) for k in ("renamed", "moved", "text_changed")}
        return tr(
            "新規 {added} 件・終了 {removed} 件・変更 {changed} 件"
            "（名称変更 {renamed}・所管変更 {moved}・内容変更 {text_changed}）・変更なし {unchanged} 件",
            **counts,
            **sub,
        )

    # -- filter and selection -----------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.set_filter(k for k, box in self.filter_boxes.items() if box.isChecked())

    def set_filter(self, kinds: Iterable[str]) -> None:
        """Show only entries of these kinds (added, removed, renamed, moved, text_changed, unchanged)."""
        wanted = set(kinds)
        for k, box in self.filter_boxes.items():
            box.blockSignals(True)
            box.setChecked(k in wanted)
            box.blockSignals(False)
        current = self.selected_entry()
        self.model.set_kinds(wanted)
        row = self.model.row_of(current.program_id) if current is not None else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_entry(None)

    def selected_entry(self) -> ProgramComparison | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.model.entry(row) if 0 <= row < self.model.rowCount() else None

    def select_program(self, program_id: str) -> bool:
        row = self.model.row_of(program_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_entry(self.selected_entry())

    def _show_entry(self, entry: ProgramComparison | None) -> None:
        from evaldesk.compare import figure_changes

        self.edit_button.setEnabled(entry is not None and entry.new is not None)
        if entry is None:
            self.title_label.setText(tr("事業を選ぶと、2 つの年度の文章を並べて表示します。"))
            self.old_browser.clear()
            self.new_browser.clear()
            self.figure_model.set_changes([])
            return
        program = entry.new if entry.new is not None else entry.old
        assert program is not None
        self.title_label.setText(f"{entry.program_id}　{program.name}　［{kind_label(entry)}］")
        self.old_browser.setHtml(diff_view.program_html(entry, "old"))
        self.new_browser.setHtml(diff_view.program_html(entry, "new"))
        changes: list[FigureChange] = []
        if entry.old is not None and entry.new is not None:
            for f in ("purpose", "overview", "outcome"):
                changes.extend(figure_changes(entry.old.text(f), entry.new.text(f)))
        self.figure_model.set_changes(changes)
        self.figures_label.setText(
            tr("数値の比較（{n} 件）", n=len(changes))
            if changes
            else tr("数値の比較（変わった数値はありません）")
        )

    # -- actions ------------------------------------------------------------------------------
    def _request_edit(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.new is None or self.comparison is None:
            return
        self.editRequested.emit(self.comparison.to_year, entry.new.program_id)

    def open_links(self) -> LinkDialog:
        """Open the manual links of the two years (the comparison hears of a change through the runner)."""
        from ui.link_dialog import LinkDialog

        from_year, to_year = self.years()
        assert from_year is not None and to_year is not None
        entry = self.selected_entry()
        dlg = LinkDialog(
            self.desk,
            self.runner,
            self,
            from_year=from_year,
            to_year=to_year,
            from_program_id=entry.old.program_id if entry is not None and entry.old is not None else None,
            to_program_id=entry.new.program_id if entry is not None and entry.new is not None else None,
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    def save_pdf(self) -> Path | None:
        """Ask for a file name and write the printable comparison report (in the runner).

        Returns the path asked for, or None when the user cancelled.
        """
        c = self.comparison
        if c is None:
            return None
        out = ask_export_path(
            self,
            caption=tr("比較結果を PDF に保存"),
            name=file_name(
                tr("年度比較"), year_for_file(c.from_year), year_for_file(c.to_year), suffix=".pdf"
            ),
            name_filter=tr("PDF ファイル (*.pdf)"),
            suffix=".pdf",
        )
        if out is None:
            return None

        desk = self.desk

        def task(progress: Any) -> Path:
            return desk.write_comparison_pdf(c, out)

        def written(path: Path) -> None:
            self.pdf_button.setEnabled(True)
            self.error_label.show_error("")
            self.summary_label.setText(
                self.summary_text() + "　" + tr("{name} に保存しました。", name=path.name)
            )

        def failed(exc: BaseException) -> None:
            self.pdf_button.setEnabled(True)
            self.error_label.show_error(error_text(exc, doing="比較表の書き出し"))

        self.pdf_button.setEnabled(False)
        self.runner.run(task, on_done=written, on_error=failed)
        return out
