"""The import dialog shows the doubtful cells first, each with its crop, and waits for a decision on each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF
from tests.core.tablegen import make_programs, make_table_pdf
from ui.import_dialog import ImportDialog
from ui.runner import SyncRunner


@pytest.fixture
def doubtful_pdf(tmp_path: Path) -> Path:
    programs = make_programs(12, seed=2)
    programs[4] = dict(programs[4], department="")
    programs[6] = dict(programs[6], purpose="9,273")
    return make_table_pdf(tmp_path / "doubtful.pdf", programs)


def _dialog(qtbot: Any, desk: Desk, path: Path) -> ImportDialog:
    dlg = ImportDialog(desk, SyncRunner(), path=str(path))
    qtbot.addWidget(dlg)
    dlg.open()
    return dlg


def test_doubtful_cells_come_first_with_their_crop_and_block_the_import(
    qtbot: Any, desk: Desk, doubtful_pdf: Path
) -> None:
    dlg = _dialog(qtbot, desk, doubtful_pdf)
    panel = dlg.doubts
    assert panel.isVisible() and panel.list.count() == 2
    assert "No.5" in panel.list.item(0).text() and "部署名" in panel.list.item(0).text()
    assert "No.7" in panel.list.item(1).text() and "事業の目的" in panel.list.item(1).text()
    assert "84 セル" in panel.summary.text() and "残り 2 か所" in panel.summary.text()
    assert "2 か所" in panel.title()
    # The panel sits above the preview: the user meets the doubts before the table.
    assert panel.y() < dlg.table.y()
    assert panel.list.currentRow() == 0 and "部署名が空" in panel.reason.text()
    pixmap = panel.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 50 and pixmap.height() > 10
    assert dlg.year_edit.text() == "2024"  # from the title
    assert not dlg.import_button.isEnabled()

    panel.text.clear()
    panel.text.insertPlainText("総務部総務課")
    panel.correct_button.click()
    assert panel.remaining() == 1 and panel.list.currentRow() == 1
    assert panel.text.toPlainText() == "9,273"
    assert not dlg.import_button.isEnabled()
    panel.confirm_button.click()
    assert panel.remaining() == 0 and "残り 0 か所" in panel.summary.text()
    assert dlg.import_button.isEnabled()

    with qtbot.waitSignal(dlg.imported) as blocker:
        dlg.import_button.click()
    assert blocker.args[0].programs == 12
    stored = desk.programs(2024)
    assert stored[4].department == "総務部総務課"  # the correction is the cell's text
    assert stored[6].purpose == "9,273"  # confirmed as read


def test_a_decision_can_be_changed_before_importing(qtbot: Any, desk: Desk, doubtful_pdf: Path) -> None:
    dlg = _dialog(qtbot, desk, doubtful_pdf)
    panel = dlg.doubts
    panel.list.setCurrentRow(1)
    panel.text.clear()
    panel.text.insertPlainText("特別職の秘書業務")
    panel.correct_button.click()
    panel.list.setCurrentRow(0)
    panel.text.insertPlainText("総務課")
    panel.correct_button.click()
    panel.list.setCurrentRow(1)
    assert panel.text.toPlainText() == "特別職の秘書業務"  # the decision is shown again
    panel.confirm_button.click()  # back to the text as read
    assert dlg.import_button.isEnabled()
    with qtbot.waitSignal(dlg.imported):
        dlg.import_button.click()
    assert desk.programs(2024)[6].purpose == "9,273"


def test_a_clean_table_shows_no_doubt_panel(qtbot: Any, desk: Desk) -> None:
    dlg = _dialog(qtbot, desk, SAMPLE_PDF)
    assert not dlg.doubts.isVisible() and dlg.doubts.remaining() == 0
    dlg.year_edit.setText("2024")
    assert dlg.import_button.isEnabled()
