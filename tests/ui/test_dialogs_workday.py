"""The dialogs at office-laptop sizes: comparison, export, message boxes, history, Qt's own, English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from evaldesk.export.linebreak import NO_START
from tests.ui.test_compare_view import two_years  # noqa: F401 (a fixture)
from ui.compare_view import CompareView
from ui.export_dialog import ExportDialog
from ui.history_panel import COL_NEW
from ui.mainwindow import MainWindow
from ui.message_boxes import message_label, wrap_japanese
from ui.runner import SyncRunner

LONG_NAME_ID = "159"  # 外国人生活支援事業（旧：国際交流員・留学生交流事業）


def drawn_lines(label: Any) -> list[str]:
    """The lines Qt actually draws for a word-wrapped label at its present width."""
    layout = QTextLayout(label.text().replace("\n", "\u2028"), label.font())
    layout.beginLayout()
    lines: list[str] = []
    text = label.text().replace("\n", "\u2028")
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(label.contentsRect().width())
        lines.append(text[line.textStart() : line.textStart() + line.textLength()].strip("\u2028"))
    layout.endLayout()
    return lines


# -- 8: comparison after a link, and with the years swapped ------------------------------------------
@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_comparison_keeps_names_readable_after_a_link(
    qtbot: QtBot,
    two_years: Desk,  # noqa: F811
    size: tuple[int, int],
) -> None:
    two_years.add_link(from_year=2023, from_program_id="99", to_year=2024, to_program_id="1006")
    view = CompareView(two_years, runner=SyncRunner())
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    row = view.model.row_of("1006")
    kind = view.model.index(row, 2)
    assert "対応付け" in kind.data(Qt.ItemDataRole.ToolTipRole)
    need = table.fontMetrics().horizontalAdvance("事" * 8)
    assert table.columnWidth(1) >= need  # was squeezed to 「市…」
    assert table.columnWidth(1) >= table.columnWidth(2)
    right = table.columnViewportPosition(2) + table.columnWidth(2)
    assert right <= table.viewport().width()


def test_swapped_years_are_named_not_called_last_and_this_year(qtbot: QtBot, two_years: Desk) -> None:  # noqa: F811
    view = CompareView(two_years, runner=SyncRunner(), from_year=2024, to_year=2023)
    qtbot.addWidget(view)
    view.show()
    assert view.select_program("4")
    headers = [view.figure_model.headerData(c, Qt.Orientation.Horizontal) for c in (1, 2)]
    assert headers == ["令和6年度", "令和5年度"]
    assert "令和6年度" in view.old_label.text() and "令和5年度" in view.new_label.text()


# -- 11: the export dialog --------------------------------------------------------------------------
def test_export_dialog_shows_pages_at_once_and_cuts_long_names_with_an_ellipsis(
    qtbot: QtBot, sample_desk: Desk
) -> None:
    long_name = sample_desk.program(2024, LONG_NAME_ID).name
    dialog = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id=LONG_NAME_ID)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 640)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=3000)  # without pressing プレビュー
    radio = dialog.program_radio
    fits = radio.fontMetrics().horizontalAdvance(radio.text()) <= radio.width()
    assert fits and (radio.text() == radio.full_text or radio.text().endswith("…"))
    assert long_name in radio.full_text and long_name in (radio.toolTip() or radio.text())
    # この部署 off: it says why, on the button itself
    assert not dialog.department_radio.isEnabled()
    assert "選ばれていません" in dialog.department_radio.full_text
    dialog.list_radio.setChecked(True)
    qtbot.waitUntil(dialog.preview_is_current, timeout=3000)  # refreshed when the options change


def test_main_window_offers_the_shown_programs_department(qtbot: QtBot, window: MainWindow) -> None:
    window.select_program("17")
    window.actionExport.trigger()
    dialog = window.dialogs["export"]
    assert dialog.department_radio.isEnabled()  # type: ignore[attr-defined]
    assert "市長公室危機管理課" in dialog.department_radio.full_text  # type: ignore[attr-defined]
    dialog.close()


# -- 12: message boxes ----------------------------------------------------------------------------------
QUESTION = (
    "データベースをバックアップ「evaldesk-20250401.sqlite3」の内容に置き換えます。"
    "いまの内容は先にバックアップされます。未保存の変更（3 件）は失われますが、よろしいですか？"
)


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_message_boxes_are_wide_and_never_start_a_line_with_a_question_mark(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.ask_yes_no("確認", QUESTION, lambda: None)
    box = window.findChild(QMessageBox, "questionBox")
    assert box is not None
    qtbot.waitExposed(box)
    label = message_label(box)
    assert label is not None
    assert label.width() >= 30 * label.fontMetrics().horizontalAdvance("あ")  # not Qt's ~400 px
    lines = drawn_lines(label)
    assert "".join(lines) == QUESTION  # nothing lost
    assert all(line[0] not in NO_START for line in lines if line)
    box.close()


def test_kinsoku_line_breaks_at_every_width(qapp: QApplication) -> None:
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(qapp.font())
    for chars in range(8, 40):
        width = metrics.horizontalAdvance("あ") * chars
        lines = wrap_japanese(QUESTION, metrics, width).split("\n")
        assert "".join(lines) == QUESTION
        assert all(line[0] not in NO_START for line in lines if line)
        assert all(metrics.horizontalAdvance(line) <= width + 1 for line in lines)


# -- 14: history --------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1366, 768), (1400, 860)])
def test_history_after_text_stays_in_view(qtbot: QtBot, window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.select_program("17")
    edit = window.editor.purposeEdit
    edit.selectAll()
    edit.insertPlainText("書き直した目的。避難所の備蓄を充実させる。")
    window.actionSave.trigger()
    window.sideTabs.setCurrentWidget(window.historyPanel)
    QApplication.processEvents()
    view = window.historyPanel.view
    right = view.columnViewportPosition(COL_NEW) + view.columnWidth(COL_NEW)
    assert right <= view.viewport().width()
    assert view.columnWidth(COL_NEW) >= view.fontMetrics().horizontalAdvance("あ" * 6)


# -- 16: Qt's own dialogs in Japanese, the documents folder --------------------------------------------
def test_print_to_file_proposes_the_documents_folder_and_a_name(
    qtbot: QtBot, sample_desk: Desk, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtCore import QStandardPaths

    from ui import i18n

    documents = tmp_path / "ドキュメント"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _kind: str(documents))
    proposed: list[str] = []

    def fake_exec(dlg: QPrintDialog) -> int:
        proposed.append(dlg.printer().outputFileName())
        proposed.append(dlg.windowTitle())
        return 0

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    assert i18n.install_qt_translations(QApplication.instance())  # type: ignore[arg-type]
    dialog = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id="164")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.preview.page_count() > 0, timeout=3000)
    dialog.print_dialog()
    assert proposed[0] == str(documents / "令和6年度_事業164_個票.pdf")
    assert proposed[1] == "印刷"  # Qt's own words, in Japanese


# -- 17: English ----------------------------------------------------------------------------------------
def test_english_ui_names_years_and_files_in_english(qtbot: QtBot, sample_desk: Desk) -> None:
    from ui import i18n

    i18n.set_language("en")
    try:
        dialog = ExportDialog(sample_desk, SyncRunner(), year=2024, program_id="164")
        qtbot.addWidget(dialog)
        assert "FY2024 (R6)" in dialog.windowTitle() and "令和" not in dialog.windowTitle()
        name = dialog.suggested_name(dialog.choice())
        assert name == "FY2024_program-164_sheets.pdf"
        assert name.isascii()
    finally:
        i18n.set_language("ja")


def test_english_main_window_shows_fy_years(qtbot: QtBot, make_window, sample_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    from ui import i18n

    i18n.set_language("en")
    try:
        window = make_window(sample_desk.url)
        window.select_program("164")
        assert window.yearCombo.currentText() == "FY2024 (R6)"
        assert "FY2024 (R6)" in window.windowTitle() and "令和" not in window.windowTitle()
        assert window.editor.infoLabel.text().startswith("FY2024 (R6)")
    finally:
        i18n.set_language("ja")


def test_print_dialog_options_have_no_english_left(qtbot: QtBot) -> None:
    """qtbase_ja leaves the page-range choices in English; the program supplies them."""
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

    from ui import i18n

    assert i18n.install_qt_translations(QApplication.instance())  # type: ignore[arg-type]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.show()
    for button in dialog.findChildren(QPushButton):
        if button.text().startswith("オプション"):
            button.click()  # the options part, where the page range is
    shown = [
        w.text()
        for w in dialog.findChildren(QWidget)
        if isinstance(w, (QLabel, QAbstractButton)) and w.isVisibleTo(dialog) and w.text()
    ]
    english = [t for t in shown if t.strip(".&: ").isascii() and any(c.isalpha() for c in t)]
    assert "ページ指定" in shown and "印刷するページ(&S):" in shown
    assert english == []
