"""Screenshots at office-laptop sizes (1024×640, 1366×768) of every screen the README shows.

They go to tests/ui/screenshots (ignored by git); with EVALDESK_UPDATE_DOCS_SCREENSHOTS=1 also to
docs/screenshots. Each test also checks what the picture should show: no name cut without 「…」.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF, load_truth, truth_table
from ui.compare_view import CompareView
from ui.export_dialog import ExportDialog
from ui.mainwindow import MainWindow
from ui.runner import SyncRunner

REPO = Path(__file__).resolve().parents[2]
LOCAL = Path(__file__).resolve().parent / "screenshots"
SIZES = [(1024, 640), (1366, 768)]


def save(widget: QWidget, name: str) -> Path:
    QApplication.processEvents()
    image = widget.grab().toImage()
    LOCAL.mkdir(exist_ok=True)
    path = LOCAL / f"{name}.png"
    assert image.save(str(path))
    if os.environ.get("EVALDESK_UPDATE_DOCS_SCREENSHOTS"):
        docs = REPO / "docs" / "screenshots"
        docs.mkdir(parents=True, exist_ok=True)
        assert image.save(str(docs / f"{name}.png"))
    return path


def assert_labels_whole(root: QWidget) -> None:
    """Every visible one-line label shows its whole text (wrapping ones may take lines)."""
    for label in root.findChildren(QLabel):
        if not label.isVisible() or label.wordWrap() or not label.text() or "<" in label.text():
            continue
        width = label.fontMetrics().horizontalAdvance(label.text().split("\n")[0])
        assert width <= label.contentsRect().width() + 2, label.text()


def assert_cells_whole_or_elided(table: QTableView, column: int) -> None:
    """A cut cell ends in 「…」 and has the whole text as its tooltip."""
    model = table.model()
    for row in range(min(model.rowCount(), 30)):
        index = model.index(row, column)
        text = str(index.data() or "")
        if table.fontMetrics().horizontalAdvance(text) + 12 > table.columnWidth(column):
            assert index.data(Qt.ItemDataRole.ToolTipRole) == text  # the whole of it on hovering
    assert table.textElideMode() != Qt.TextElideMode.ElideNone


@pytest.fixture
def imported(desk: Desk) -> Desk:
    desk.import_pdf(SAMPLE_PDF, year=2024)
    return desk


@pytest.mark.parametrize("size", SIZES)
def test_main_window_and_history(qtbot: QtBot, make_window, imported: Desk, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window(imported.url)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.select_program("164")
    qtbot.wait(300)  # the PDF page renders in the background
    assert_cells_whole_or_elided(window.programTable, 1)
    assert_labels_whole(window.statusBar())
    save(window, f"main_window_{size[0]}x{size[1]}")
    edit = window.editor.outcomeEdit
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    edit.insertPlainText("\n・次年度は託児つきの回を設ける。")
    window.actionSave.trigger()
    window.sideTabs.setCurrentWidget(window.historyPanel)
    qtbot.wait(50)
    view = window.historyPanel.view
    assert view.columnViewportPosition(5) + view.columnWidth(5) <= view.viewport().width()
    save(window, f"history_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(qtbot: QtBot, imported: Desk, size: tuple[int, int]) -> None:
    dialog = ExportDialog(
        imported, SyncRunner(), year=2024, program_id="159", department="市長公室国際都市推進課"
    )
    qtbot.addWidget(dialog)
    dialog.resize(*size)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=5000)
    qtbot.wait(200)
    for radio in (dialog.program_radio, dialog.department_radio):
        assert radio.text() == radio.full_text or radio.text().endswith("…")
    save(dialog, f"export_dialog_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
def test_comparison_after_a_link(qtbot: QtBot, sample_desk: Desk, size: tuple[int, int]) -> None:
    records = [dict(r) for r in load_truth()["programs"]]
    by_id = {r["program_id"]: r for r in records}
    by_id["2"]["name"] = "市長車運転業務"
    records.remove(by_id["1006"])
    records.append(dict(by_id["164"], program_id="99", no=99, department="市長公室秘書課"))
    sample_desk.import_table(truth_table(records, title_year=2023), year=2023, file_name="r5.pdf")
    sample_desk.add_link(from_year=2023, from_program_id="99", to_year=2024, to_program_id="1006")
    view = CompareView(sample_desk, runner=SyncRunner())
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    assert view.select_program("1006")
    assert view.table.columnWidth(1) >= view.table.columnWidth(2)
    assert_cells_whole_or_elided(view.table, 1)
    save(view, f"compare_linked_{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
def test_message_box(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.ask_yes_no(
        "バックアップから復元",
        "データベースをバックアップ「evaldesk-20250401.sqlite3」の内容に置き換えます。"
        "いまの内容は先にバックアップされます。\n未保存の変更（3 件）は失われます。よろしいですか？",
        lambda: None,
    )
    box = window.findChild(QMessageBox, "questionBox")
    assert box is not None
    qtbot.waitExposed(box)
    assert box.width() <= size[0]
    save(box, f"message_box_{size[0]}x{size[1]}")
    box.close()
