"""The main window asks before losing words: closing, switching years, two people saving one program."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from tests.conftest import truth_table
from tests.ui.test_main_window import type_into
from ui.conflict_dialog import ConflictDialog
from ui.mainwindow import MainWindow
from ui.window_messages import CANCEL, DISCARD, SAVE


# -- prompts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("answer", "closes", "saved"), [(CANCEL, False, False), (DISCARD, True, False), (SAVE, True, True)]
)
def test_close_prompt(
    qtbot: QtBot,
    window: MainWindow,
    sample_desk: Desk,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    closes: bool,
    saved: bool,
) -> None:
    window._close_confirmed = False
    window.select_program("17")
    type_into(window, "purpose", "閉じる前の追記")
    asked: list[str] = []

    def fake_ask(on_answer):  # type: ignore[no-untyped-def]
        asked.append("asked")
        on_answer(answer)

    monkeypatch.setattr(window, "ask_unsaved", fake_ask)
    window.close()
    assert asked == ["asked"]
    if closes:
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    else:
        qtbot.wait(50)
        assert window.isVisible()
    assert sample_desk.program(2024, "17").purpose.endswith("閉じる前の追記") == saved


def test_close_without_edits_does_not_ask(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window._close_confirmed = False
    monkeypatch.setattr(window, "ask_unsaved", lambda on_answer: pytest.fail("asked without edits"))
    window.close()
    assert not window.isVisible()


def test_year_switch_asks_about_unsaved_edits(
    qtbot: QtBot,
    make_window: Any,
    sample_desk: Desk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample_desk.import_table(truth_table(title_year=2023), year=2023, file_name="r5.pdf")
    window = make_window(sample_desk.url)
    assert [window.yearCombo.itemText(i) for i in range(2)] == ["令和6年度（2024）", "令和5年度（2023）"]
    window.select_program("17")
    type_into(window, "purpose", "年度切替前の追記")
    answers = [CANCEL, SAVE]
    monkeypatch.setattr(window, "ask_unsaved", lambda on_answer: on_answer(answers.pop(0)))
    window.yearCombo.setCurrentIndex(1)
    assert window.year == 2024 and window.yearCombo.currentIndex() == 0  # cancelled: nothing changed
    assert window.current is not None and window.current.is_dirty()
    window.yearCombo.setCurrentIndex(1)
    assert window.year == 2023
    assert window.current is not None and window.current.base.fiscal_year == 2023
    assert sample_desk.program(2024, "17").purpose.endswith("年度切替前の追記")
    assert window.windowTitle().startswith("evaldesk — 令和5年度")


# -- two people, one database -------------------------------------------------------------------
def _conflict(qtbot: QtBot, window: MainWindow, sample_desk: Desk) -> ConflictDialog:
    window.select_program("17")
    type_into(window, "purpose", "（わたしの追記）")
    with Desk(sample_desk.url) as other:  # a colleague's PC saves the same program first
        other.update_program(2024, "17", {"purpose": "同僚が書き直した目的。"})
    window.actionSave.trigger()
    dialog = window.dialogs["conflict"]
    assert isinstance(dialog, ConflictDialog)
    qtbot.waitUntil(dialog.isVisible)
    theirs, mine = dialog.views["purpose"]
    assert theirs.toPlainText() == "同僚が書き直した目的。"
    assert mine.toPlainText().endswith("（わたしの追記）")
    assert sample_desk.program(2024, "17").purpose == "同僚が書き直した目的。"  # nothing overwritten yet
    return dialog


def test_stale_revision_overwrite_with_mine(qtbot: QtBot, window: MainWindow, sample_desk: Desk) -> None:
    dialog = _conflict(qtbot, window, sample_desk)
    dialog.overwriteButton.click()
    saved = sample_desk.program(2024, "17")
    assert saved.purpose.endswith("（わたしの追記）")
    assert saved.revision == 3
    assert not window.isWindowModified()


def test_stale_revision_keep_theirs(qtbot: QtBot, window: MainWindow, sample_desk: Desk) -> None:
    dialog = _conflict(qtbot, window, sample_desk)
    dialog.copyButton.click()
    assert "（わたしの追記）" in QGuiApplication.clipboard().text()
    assert dialog.isVisible()  # copying does not decide
    dialog.keepButton.click()
    assert window.editor.purposeEdit.toPlainText() == "同僚が書き直した目的。"
    assert not window.isWindowModified()
    assert sample_desk.program(2024, "17").revision == 2


def test_stale_revision_decide_later_keeps_my_text_unsaved(
    qtbot: QtBot, window: MainWindow, sample_desk: Desk
) -> None:
    dialog = _conflict(qtbot, window, sample_desk)
    dialog.reject()
    assert window.editor.purposeEdit.toPlainText().endswith("（わたしの追記）")
    assert window.isWindowModified()
