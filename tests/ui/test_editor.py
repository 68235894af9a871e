"""The editor form: live counts against the soft limits, and undo steps that match what a user did."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from evaldesk.export import sheet_fit
from evaldesk.records import Program
from ui import commands
from ui.commands import EditFieldCommand, ReplaceTextsCommand
from ui.editor import ProgramEditor, char_count
from ui.session import ProgramSession

PROGRAM = Program(
    fiscal_year=2024,
    no=10,
    program_id="17",
    name="防災設備等整備事業",
    department="市長公室危機管理課",
    purpose="災害時に市民に対して迅速な情報伝達を行う。",
    overview="概要",
    outcome="成果",
    revision=1,
    updated_at=datetime(2025, 4, 1, 9, 0),
)


@pytest.fixture
def editor(qtbot: QtBot) -> ProgramEditor:
    widget = ProgramEditor()
    qtbot.addWidget(widget)
    widget.set_limits({"purpose": 30, "overview": 400, "outcome": 400})
    return widget


@pytest.fixture
def session() -> ProgramSession:
    return ProgramSession(PROGRAM)


def test_counts_and_the_soft_limit_are_not_a_page_warning(
    editor: ProgramEditor, session: ProgramSession
) -> None:
    """Past the soft limit the count says so in its tooltip; only the sheet layout may warn in red."""
    editor.set_session(session)
    n = char_count(PROGRAM.purpose)
    assert editor.counts["purpose"].text() == f"{n} / 30 字"
    editor.purposeEdit.insertPlainText("加えて、避難所の備蓄を充実させる。")
    assert not editor.is_over_limit("purpose")
    assert "目安" in editor.counts["purpose"].toolTip()
    assert "2ページ目" not in editor.counts["purpose"].text() + editor.counts["purpose"].toolTip()


def test_line_breaks_do_not_count() -> None:
    assert char_count("一行目\n二行目") == 6


def test_sheet_layout_marks_a_field_that_spills(qtbot: QtBot) -> None:
    editor = ProgramEditor(fit_check=sheet_fit)
    qtbot.addWidget(editor)
    editor.set_limits({"purpose": 5000, "overview": 5000, "outcome": 5000})
    editor.set_overflow_ready()
    long = dataclasses.replace(PROGRAM, outcome="成果の説明。" * 400)
    editor.set_session(ProgramSession(long))
    qtbot.waitUntil(lambda: editor.is_over_limit("outcome"), timeout=2000)
    assert "2ページ目" in editor.counts["outcome"].text()  # seen without hovering
    assert "はみ出します" in editor.counts["outcome"].toolTip()
    assert not editor.is_over_limit("overview")


def test_typing_in_one_field_merges_into_one_step(editor: ProgramEditor, session: ProgramSession) -> None:
    editor.set_session(session)
    for ch in "あいう":
        editor.purposeEdit.insertPlainText(ch)
    assert session.stack.count() == 1
    editor.nameEdit.insert("改")
    assert session.stack.count() == 2
    session.stack.undo()
    assert editor.nameEdit.text() == PROGRAM.name
    session.stack.undo()
    assert editor.purposeEdit.toPlainText() == PROGRAM.purpose
    assert session.stack.isClean()


def test_a_pause_starts_a_new_step(monkeypatch: pytest.MonkeyPatch, session: ProgramSession) -> None:
    clock = [100.0]
    monkeypatch.setattr("ui.commands.time.monotonic", lambda: clock[0])
    session.stack.push(EditFieldCommand(session, "purpose", "a", "ab"))
    clock[0] += commands.MERGE_PAUSE_SECONDS + 1
    session.stack.push(EditFieldCommand(session, "purpose", "ab", "abc"))
    assert session.stack.count() == 2


def test_typing_back_to_the_start_leaves_no_step(session: ProgramSession) -> None:
    session.stack.push(EditFieldCommand(session, "outcome", "成果", "成果。"))
    session.stack.push(EditFieldCommand(session, "outcome", "成果。", "成果"))
    assert session.stack.count() == 0
    assert session.stack.isClean()


def test_replace_texts_command_round_trip() -> None:
    session = ProgramSession(PROGRAM)
    stack: QUndoStack = session.stack
    stack.push(
        ReplaceTextsCommand(
            session,
            {"name": PROGRAM.name, "outcome": "成果"},
            {"name": "新しい名前", "outcome": "新しい成果"},
            "replace",
        )
    )
    assert session.changes() == {"name": "新しい名前", "outcome": "新しい成果"}
    stack.undo()
    assert session.changes() == {}


def test_editor_is_disabled_without_a_program(editor: ProgramEditor) -> None:
    editor.set_session(None)
    assert not editor.purposeEdit.isEnabled()
    assert editor.headerLabel.text() == "事業を選んでください"
