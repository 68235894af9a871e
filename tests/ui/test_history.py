"""The history panel lists each saved change and can take an old text back, as a new change."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QPlainTextEdit, QTextEdit
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from ui.mainwindow import MainWindow


def show_history(window: MainWindow) -> None:
    window.sideTabs.setCurrentWidget(window.historyPanel)


def test_history_lists_saved_edits_and_restores(qtbot: QtBot, window: MainWindow, sample_desk: Desk) -> None:
    original = sample_desk.program(2024, "17").purpose
    window.select_program("17")
    show_history(window)
    assert window.historyPanel.model.rowCount() == 0
    edit = window.editor.purposeEdit
    assert isinstance(edit, QTextEdit)
    edit.selectAll()
    edit.insertPlainText("書き直した目的。")
    window.actionSave.trigger()
    panel = window.historyPanel
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 2).data() == "編集"
    assert panel.model.index(0, 3).data() == "事業の目的"
    assert panel.model.index(0, 5).data() == "書き直した目的。"

    panel.select_row(0)
    assert panel.oldText.toPlainText() == original  # the whole text, to read before taking it back
    assert panel.newText.toPlainText() == "書き直した目的。"
    assert panel.restoreButton.isEnabled()
    panel.restoreButton.click()
    box = window.findChild(QMessageBox, "questionBox")  # writing back at once would surprise: ask
    assert box is not None and box.isVisible() and "戻しますか" in box.text().replace("\n", "")
    assert sample_desk.program(2024, "17").purpose == "書き直した目的。"  # nothing written yet
    with qtbot.waitSignal(box.finished):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert sample_desk.program(2024, "17").purpose == original
    assert window.editor.purposeEdit.toPlainText() == original
    assert not window.isWindowModified()
    assert panel.model.rowCount() == 2
    assert panel.model.index(0, 2).data() == "復元"
    assert sample_desk.program(2024, "17").revision == 3


def test_restore_is_blocked_while_there_are_unsaved_edits(window: MainWindow, sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "19", {"outcome": "前の成果の書き直し"})
    window.select_program("19")
    show_history(window)
    panel = window.historyPanel
    panel.select_row(0)
    assert panel.restoreButton.isEnabled()
    window.editor.outcomeEdit.insertPlainText("未保存")
    assert not panel.restoreButton.isEnabled()
    assert "未保存" in panel.restoreButton.toolTip()
    window.actionUndo.trigger()
    assert panel.restoreButton.isEnabled()


def test_history_follows_the_selected_program(window: MainWindow, sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "21", {"name": "危機管理体制整備事業（改）"})
    show_history(window)
    window.select_program("21")
    assert window.historyPanel.model.rowCount() == 1
    window.select_program("17")
    assert window.historyPanel.model.rowCount() == 0
    assert window.historyPanel.note.text() == "履歴はありません"


def _marked(box: QPlainTextEdit | QTextEdit, *, strike: bool) -> str:
    """The characters of ``box`` drawn struck out (deleted) or underlined (inserted)."""
    from PySide6.QtGui import QTextCursor

    out = []
    cursor = QTextCursor(box.document())
    text = box.toPlainText()
    position = 0
    for ch in text:
        width = len(ch.encode("utf-16-le")) // 2
        cursor.setPosition(position + width)  # the format of the character before the cursor
        fmt = cursor.charFormat()
        if fmt.fontStrikeOut() if strike else fmt.fontUnderline():
            out.append(ch)
        position += width
    return "".join(out)


def test_history_texts_show_what_changed(window: MainWindow, sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "21", {"purpose": "𠮷田地区の防災体制を整える。"})
    sample_desk.update_program(2024, "21", {"purpose": "𠮷田地区と北地区の防災体制を強化する。"})
    window.select_program("21")
    show_history(window)
    panel = window.historyPanel
    panel.select_row(0)
    assert panel.newText.toPlainText() == "𠮷田地区と北地区の防災体制を強化する。"
    assert _marked(panel.newText, strike=False) == "と北地区強化す"  # 整え|る → 強化す|る
    assert _marked(panel.oldText, strike=True) == "整え"
    assert _marked(panel.oldText, strike=False) == ""
