"""The revision round in the window: the 部署 panel sends and shows states, the review accepts one field,
rejects another, takes a whole 課; workbooks dropped on the main window open the review."""

from __future__ import annotations

import json
import os
import string
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from evaldesk.desk import Desk
from evaldesk.roundtrip import Review
from tests.core.roundtrip_helpers import set_cells
from tests.ui.drops import file_drop
from tests.ui.tr_strings import tr_literals
from ui.review_view import ReviewModel, ReviewView
from ui.round_dialog import RoundDialog, RoundStatusModel
from ui.runner import SyncRunner

PR, KIKI = "市長公室広報戦略課", "市長公室危機管理課"
REPO = Path(__file__).resolve().parents[2]


def RETURNED_5(text: str) -> str:
    """The 課's answer for program 5: one figure corrected, one sentence added."""
    return text.replace("３回実施", "４回実施").replace("共有した。", "共有した。来年度も継続する。")


def CURRENT_5(text: str) -> str:
    """The office's own correction of program 5 meanwhile."""
    return text.replace("計１５９名", "計１６０名")


@pytest.fixture
def returned(sample_desk: Desk, tmp_path: Path) -> dict[str, Path]:
    """Two 部署 answered: 広報戦略課 changed two texts (one also changed here), 危機管理課 two."""
    (tmp_path / "out").mkdir()
    sent = sample_desk.send_workbooks(2024, [PR, KIKI], out_dir=tmp_path / "out")
    paths = {w.department: w.path for w in sent}
    outcome = sample_desk.program(2024, "5").outcome
    set_cells(paths[PR], {("4", "purpose"): "課が直した目的。", ("5", "outcome"): RETURNED_5(outcome),
                          ("5", "comment"): "数値は決算で確定します。"})  # fmt: skip
    set_cells(paths[KIKI], {("17", "name"): "防災設備整備事業", ("21", "overview"): "課が直した概要。"})
    sample_desk.update_program(2024, "5", {"outcome": CURRENT_5(outcome)})
    return paths


@pytest.fixture
def view(qtbot: Any, sample_desk: Desk, returned: dict[str, Path]) -> ReviewView:
    review = sample_desk.collect_workbooks(list(returned.values()), year=2024)
    v = ReviewView(sample_desk, review, runner=SyncRunner())
    qtbot.addWidget(v)
    v.show()
    return v


def test_review_lists_changes_and_shows_three_texts(view: ReviewView, qtmodeltester: Any) -> None:
    qtmodeltester.check(view.model)
    rows = {
        (f.program_id, f.field): view.model.data(view.model.index(r, 4))
        for r, f in enumerate(view.model.records())
    }
    assert rows == {("4", "purpose"): "課が変更", ("5", "outcome"): "競合（両方で変更）",
                    ("17", "name"): "課が変更", ("21", "overview"): "課が変更"}  # fmt: skip
    assert "課の変更 4 件（うち競合 1 件）" in view.summary_label.text()
    assert view.select_field((PR, "5", "outcome"))
    assert (
        "４回実施" in view.browsers["returned"].toPlainText()
        and "来年度も継続する。" in view.browsers["returned"].toPlainText()
    )
    assert (
        "計１６０名" in view.browsers["current"].toPlainText()
        and "３回実施" in view.browsers["current"].toPlainText()
    )
    assert "課の意見: 数値は決算で確定します。" == view.comment_label.text()
    assert "background-color:#c8f0c8" in view.browsers["returned"].toHtml().replace(" ", "")
    view.accept_program_button.click()  # every change of program 5, and nothing else
    assert view.model.decisions == {(PR, "5", "outcome"): True}


def test_accept_one_field_reject_another_and_a_whole_department(view: ReviewView, sample_desk: Desk) -> None:
    before_5 = sample_desk.program(2024, "5").outcome
    assert view.select_field((PR, "4", "purpose"))
    view.accept_field_button.click()  # accept one field (the selection moves on to the next)
    assert view.selected_field() is not None and view.selected_field().key == (PR, "5", "outcome")  # type: ignore[union-attr]
    view.reject_field_button.click()  # reject the conflict
    assert view.select_field((KIKI, "17", "name"))
    view.accept_department_button.click()  # all of 危機管理課
    decisions = {
        k[1:]: view.model.data(view.model.index(view.model.row_of(k), 5)) for k in view.model.decisions
    }
    assert decisions == {("4", "purpose"): "取り込む", ("5", "outcome"): "取り込まない",
                         ("17", "name"): "取り込む", ("21", "overview"): "取り込む"}  # fmt: skip
    assert sample_desk.program(2024, "4").purpose != "課が直した目的。"  # nothing stored before 決定を保存
    stored: list[Any] = []
    view.returnsStored.connect(stored.append)
    view.apply_button.click()
    assert sample_desk.program(2024, "4").purpose == "課が直した目的。"
    assert sample_desk.program(2024, "17").name == "防災設備整備事業"
    assert sample_desk.program(2024, "21").overview == "課が直した概要。"
    assert sample_desk.program(2024, "5").outcome == before_5
    assert "計１６０名" in before_5 and "来年度も継続する。" not in before_5
    assert len(stored) == 1 and len(stored[0].stored) == 3
    assert "3 件を取り込みました" in view.summary_label.text()
    assert not view.apply_button.isEnabled()
    assert sample_desk.history(2024, "17")[0].source.startswith("令和6年度_事務事業_市長公室危機管理課.xlsx")  # type: ignore[union-attr]


def test_round_panel_sends_to_ticked_departments(
    qtbot: Any, sample_desk: Desk, tmp_path: Path, qtmodeltester: Any
) -> None:
    dlg = RoundDialog(sample_desk, 2024, runner=SyncRunner())
    qtbot.addWidget(dlg)
    dlg.show()
    model: RoundStatusModel = dlg.model
    qtmodeltester.check(model)
    assert [model.data(model.index(r, 2)) for r in range(model.rowCount())] == ["未送付"] * 6
    row = next(r for r in range(model.rowCount()) if model.record(r).department == PR)
    assert model.setData(model.index(row, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    dlg.folder_edit.setText(str(tmp_path))
    dlg.send_button.click()
    assert [p.name for p in tmp_path.glob("*.xlsx")] == [f"令和6年度_事務事業_{PR}.xlsx"]
    assert model.data(model.index(row, 2)) == "送付済" and model.data(model.index(row, 3))
    assert "1 部署のブックを" in dlg.message_label.text()
    reviews: list[Review] = []
    dlg.reviewReady.connect(reviews.append)
    dlg.collect([tmp_path / f"令和6年度_事務事業_{PR}.xlsx"])
    assert len(reviews) == 1 and reviews[0].changes == ()
    assert model.data(model.index(row, 2)) == "回収済"


def test_workbook_dropped_on_the_main_window_opens_the_review(
    window: Any, returned: dict[str, Path], qtbot: Any
) -> None:
    assert window.select_program("17")
    assert window.current.values["name"] == "防災設備等整備事業"
    window.dropEvent(file_drop(returned[KIKI]))
    qtbot.waitUntil(lambda: "review" in window.dialogs)
    view: ReviewView = window.dialogs["review"]
    assert [w.department for w in view.review.workbooks] == [KIKI]
    view.accept_department(KIKI)
    view.apply()
    assert window.desk.program(2024, "17").name == "防災設備整備事業"
    assert window.dialogs["review"].outcome is not None
    qtbot.waitUntil(
        lambda: window.current is not None and window.current.values["name"] == "防災設備整備事業"
    )
    assert window.editor.edits["name"].text() == "防災設備整備事業"  # the editor shows the stored text
    window.sideTabs.setCurrentWidget(window.historyPanel)
    history = window.historyPanel.model
    assert history.rowCount() == 1
    assert history.data(history.index(0, 2)) == "課のブック"
    assert history.data(history.index(0, 2), Qt.ItemDataRole.ToolTipRole).startswith(
        "令和6年度_事務事業_市長公室危機管理課.xlsx（"
    )


def test_round_action_opens_the_panel(window: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    window.actionRound.trigger()
    dlg = window.dialogs["round"]
    assert isinstance(dlg, RoundDialog) and dlg.isVisible() and dlg.model.rowCount() == 6
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    dlg.collect_button.click()  # cancelled: nothing happens
    assert "review" not in window.dialogs


def test_english_catalog_covers_the_round_strings() -> None:
    catalog = json.loads(
        (REPO / "resources" / "translations" / "en" / "roundtrip.json").read_text(encoding="utf-8")
    )
    from ui.review_view import DECISION_LABELS, STATE_LABELS
    from ui.round_dialog import STATE_TEXT

    wanted = set(tr_literals(("review_view", "round_dialog", "window_round")))
    wanted |= set(STATE_LABELS.values()) | set(DECISION_LABELS.values()) | set(STATE_TEXT.values())
    wanted |= set(ReviewModel.HEADERS) | set(RoundStatusModel.HEADERS)
    assert sorted(s for s in wanted if s not in catalog) == []

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert [k for k, v in catalog.items() if fields(k) != fields(v)] == []


def test_screenshot(view: ReviewView, qapp: QApplication, tmp_path: Path) -> None:
    """The review as the README shows it (written to docs/screenshots when EVALDESK_SCREENSHOTS is set)."""
    view.setFont(qapp.font())
    view.resize(1366, 768)
    assert view.select_field((PR, "5", "outcome"))
    folder = Path(os.environ.get("EVALDESK_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert view.grab().save(str(folder / "review.png"))
