"""The main window at office-laptop sizes, as a new member of the evaluation staff works with it."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF
from ui.empty_state import NO_HITS, NO_YEARS
from ui.mainwindow import MainWindow
from ui.models import COL_DEPARTMENT, COL_ID, COL_NAME
from ui.settings import settings
from ui.window_list import HIGHLIGHT

LAPTOPS = [(1024, 640), (1366, 768)]
LONGEST = "159"  # 外国人生活支援事業（旧：国際交流員・留学生交流事業）
SHORT = "1"  # 秘書業務


def ids(window: MainWindow) -> list[str]:
    return [str(window.proxy.index(r, COL_ID).data()) for r in range(window.proxy.rowCount())]


def shown(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> MainWindow:
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.searchEdit.setFocus()
    window.searchEdit.clear()
    window.searchEdit.insert(text)
    qtbot.waitUntil(lambda: not window._search_timer.isActive(), timeout=2000)


# -- 2: names can be read ---------------------------------------------------------------------------
@pytest.mark.parametrize(("size", "chars"), [((1024, 640), 9), ((1366, 768), 15)])
def test_program_names_get_the_room_at_laptop_sizes(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int], chars: int
) -> None:
    shown(qtbot, window, size)
    table = window.programTable
    need = table.fontMetrics().horizontalAdvance("事" * chars)
    assert table.columnWidth(COL_NAME) >= need
    assert table.columnWidth(COL_NAME) > 1.5 * table.columnWidth(COL_DEPARTMENT)
    row = window.model.row_of(LONGEST)
    assert row is not None
    for col in (COL_NAME, COL_DEPARTMENT):  # the whole text on hovering
        index = window.model.index(row, col)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()


def test_splitter_and_columns_keep_the_sizes_the_user_chose(
    qtbot: QtBot, make_window: Any, sample_desk: Desk
) -> None:
    first = shown(qtbot, make_window(sample_desk.url), (1366, 768))
    first.programTable.setColumnWidth(COL_DEPARTMENT, 170)
    first.splitter.setSizes([600, 450, 300])
    first.splitter.splitterMoved.emit(600, 1)
    sizes = first.splitter.sizes()
    first.close()
    settings().sync()
    again = shown(qtbot, make_window(sample_desk.url), (1366, 768))
    assert again.programTable.columnWidth(COL_DEPARTMENT) == 170
    assert again.splitter.sizes() == sizes


# -- 3: the editor follows the list -------------------------------------------------------------------
def test_editor_follows_a_department_filter_and_a_search(qtbot: QtBot, window: MainWindow) -> None:
    window.select_program("17")  # 危機管理課
    assert window.departmentTree.choose("市長公室秘書課")
    assert window.current is not None and window.current.program_id == ids(window)[0] == "1"
    assert window.programTable.selectionModel().isRowSelected(0)
    search(qtbot, window, "存在しない言葉ですよ")
    assert ids(window) == []
    assert window.current is None
    assert window.editor.is_empty_shown() and window.editor.emptyState.kind == NO_HITS
    assert window.editor.emptyState.titleLabel.text() == "該当する事業がありません"
    assert "存在しない言葉ですよ" in window.editor.emptyState.textLabel.text()
    qtbot.mouseClick(window.editor.emptyState.clearButton, Qt.MouseButton.LeftButton)
    assert len(ids(window)) == 20 and window.current is not None
    assert not window.editor.is_empty_shown()


# -- 4: the fit note is the printed sheet's --------------------------------------------------------
@pytest.mark.parametrize("length", [201, 230, 285, 2000])
def test_fit_warning_agrees_with_the_printed_sheet(
    qtbot: QtBot, window: MainWindow, sample_desk: Desk, tmp_path: Path, length: int
) -> None:
    window.select_program("17")
    edit = window.editor.purposeEdit
    edit.selectAll()
    edit.insertPlainText(("市民の安全を守るため防災設備を整備する。" * 200)[:length])
    qtbot.waitUntil(lambda: not window.editor._overflow_timer.isActive(), timeout=3000)
    warned = window.editor.is_over_limit("purpose")
    label = window.editor.counts["purpose"].text()
    window.actionSave.trigger()
    printed = sample_desk.export(2024, tmp_path / "s.pdf", layout="sheet", program_ids=["17"])
    assert warned == (printed.pages > 1)
    assert ("2ページ目" in label) == (printed.pages > 1)  # on the label itself, no hovering
    assert (
        "%" not in window.editor.counts["purpose"].toolTip()
        or "100%" in window.editor.counts["purpose"].toolTip()
    )


# -- 5: Tab moves between panes ----------------------------------------------------------------------
def test_tab_leaves_the_list_and_shift_tab_comes_back_through_it(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    table = window.programTable
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert window.current is not None and window.current.program_id == ids(window)[1]  # arrows: the list
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.editor.nameEdit
    qtbot.keyClick(window.editor.nameEdit, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is window.departmentTree


# -- 6: search by number and department, marked, Esc and Enter ------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [("158", ["158"]), ("１５８", ["158"]), ("秘書課", ["1", "2", "3"]), ("市長公室", None)],
)
def test_search_finds_program_numbers_and_departments(
    qtbot: QtBot, window: MainWindow, query: str, expected: list[str] | None
) -> None:
    search(qtbot, window, query)
    assert ids(window) == (expected if expected is not None else ids(window)) and ids(window)


def test_matches_are_marked_esc_clears_enter_opens(qtbot: QtBot, window: MainWindow) -> None:
    shown(qtbot, window, (1366, 768))
    window.select_program("1")
    search(qtbot, window, "防災")
    image = window.programTable.viewport().grab().toImage()
    marked = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if QColor(image.pixel(x, y)) == HIGHLIGHT
    )
    assert marked > 50
    assert (
        window.editor.purposeEdit.extraSelections() or "防災" not in window.editor.purposeEdit.toPlainText()
    )
    qtbot.keyClick(window.searchEdit, Qt.Key.Key_Return)
    assert window.current is not None and window.current.program_id == ids(window)[0] == "17"
    window.searchEdit.setFocus()
    qtbot.keyClick(window.searchEdit, Qt.Key.Key_Escape)
    assert window.searchEdit.text() == "" and len(ids(window)) == 20


# -- 7: the source PDF is readable -------------------------------------------------------------------
def test_source_pdf_opens_readable_and_keeps_the_users_zoom(qtbot: QtBot, make_window, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    desk.import_pdf(SAMPLE_PDF, year=2024)
    window = shown(qtbot, make_window(desk.url), (1366, 768))
    window.select_program("17")
    view = window.sourceView
    assert view.has_source()
    dpi_scale = view.pdfView.logicalDpiY() / 72.0
    assert view.pdfView.scale() >= 1.4 * dpi_scale  # table print at 7 pt is ≥ 13 px, not ~4
    view.zoom_by(1.25)
    chosen = view.pdfView.scale()
    window.select_program("19")
    assert view.pdfView.scale() == pytest.approx(chosen)
    window.close()
    again = shown(qtbot, make_window(desk.url), (1366, 768))
    again.select_program("17")
    assert again.sourceView.pdfView.scale() == pytest.approx(chosen)


# -- 9: no jumps ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", LAPTOPS)
def test_switching_programs_keeps_the_panes_still(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    shown(qtbot, window, size)
    window.select_program(SHORT)
    QApplication.processEvents()
    before = (window.splitter.sizes(), window.editor.width(), window.width())
    window.select_program(LONGEST)
    QApplication.processEvents()
    assert (window.splitter.sizes(), window.editor.width(), window.width()) == before
    header = window.editor.headerLabel
    assert header.width() <= window.editor.width()
    assert header.heightForWidth(header.width()) <= header.height()  # wrapped, all of it shown


# -- 10: line spacing ----------------------------------------------------------------------------------
def test_text_lines_and_department_rows_have_air(qtbot: QtBot, window: MainWindow) -> None:
    shown(qtbot, window, (1024, 640))
    window.select_program("17")
    edit = window.editor.purposeEdit
    edit.selectAll()
    edit.insertPlainText("災害時に市民に対して迅速な情報伝達を行う。" * 6)
    QApplication.processEvents()
    height = edit.fontMetrics().height()
    assert edit.line_spacing() >= 1.4 * height
    tree = window.departmentTree
    row = tree.visualRect(tree.model().index(0, 0)).height()
    assert row >= 1.5 * tree.fontMetrics().height()


# -- 13: a new user ------------------------------------------------------------------------------------
def test_new_user_without_data_is_shown_what_to_do(
    qtbot: QtBot, make_window: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainWindow, "_offer_sample", lambda self: None)  # the user declined the sample
    window = shown(qtbot, make_window(db_url), (1024, 640))
    empty = window.editor.emptyState
    assert window.editor.is_empty_shown() and empty.kind == NO_YEARS
    assert "取り込" in empty.textLabel.text() and "ドラッグ" in empty.textLabel.text()
    for button in (empty.importButton, empty.sampleButton, empty.manualButton):
        assert button.isVisible()
    qtbot.mouseClick(empty.sampleButton, Qt.MouseButton.LeftButton)
    assert window.yearCombo.count() == 1 and window.current is not None
    assert not window.editor.is_empty_shown()


def test_manual_opens_from_the_help_menu_offline(qtbot: QtBot, window: MainWindow) -> None:
    window.actionManual.trigger()
    dialog = window.dialogs["manual"]
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()  # type: ignore[attr-defined]
    assert text.startswith("evaldesk の使い方")
    for words in ("取り込", "事業番号", "保存", "書き出し", "バックアップ"):
        assert words in text
    dialog.close()


# -- 15: small ones ------------------------------------------------------------------------------------
def test_status_bar_names_the_database_file_not_a_raw_url(window: MainWindow, sample_desk: Desk) -> None:
    text = window.dbLabel.text()
    assert "sqlite:" not in text and text.endswith(Path(sample_desk.url.split("///", 1)[1]).name)


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard).*")  # the menu pops up
def test_text_field_menu_undoes_through_the_program(qtbot: QtBot, window: MainWindow) -> None:
    window.select_program("17")
    edit = window.editor.purposeEdit
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    edit.insertPlainText("追記。")
    for widget in (window.editor.nameEdit, edit):
        target: QWidget = widget.viewport() if widget is edit else widget
        QApplication.sendEvent(
            target, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
        )
        menu = widget.lastMenu
        actions = {a.objectName(): a for a in menu.actions()}
        assert actions["edit-undo"].text() == "元に戻す" and actions["edit-undo"].isEnabled()
        assert actions["edit-redo"].text() == "やり直し"
        if widget is edit:
            actions["edit-undo"].trigger()
            assert not edit.toPlainText().endswith("追記。")
        menu.close()


def test_year_field_refuses_a_year_not_yet_come(qtbot: QtBot, sample_desk: Desk) -> None:
    from ui.import_dialog import ImportDialog
    from ui.runner import SyncRunner

    dialog = ImportDialog(sample_desk, SyncRunner(), None)
    qtbot.addWidget(dialog)
    dialog.year_edit.setText("R99")
    assert dialog.year() is None
    assert "2117" in dialog.year_hint.text()
    dialog.year_edit.setText("R7")
    assert dialog.year() == 2025


def test_exported_files_are_readable_like_the_pdfs(sample_desk: Desk, tmp_path: Path) -> None:
    modes = {}
    for fmt in ("pdf", "csv", "xlsx"):
        out = tmp_path / f"list.{fmt}"
        sample_desk.export(2024, out, fmt=fmt)
        modes[fmt] = stat.S_IMODE(out.stat().st_mode)
    assert modes["xlsx"] == modes["csv"] == modes["pdf"]
    assert modes["xlsx"] & stat.S_IRGRP
