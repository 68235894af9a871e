"""Every model passes pytest-qt's model tester; department names split into 部 and 課 sensibly."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from evaldesk.desk import Desk
from evaldesk.records import HistoryEntry
from ui.department_tree import DepartmentTreeModel, department_groups, split_department
from ui.history_panel import HistoryModel
from ui.models import (
    COL_ID,
    COL_MARK,
    COL_NAME,
    EDITED_MARK,
    UNSAVED_MARK,
    ProgramTableModel,
    id_sort_key,
)


def test_program_model_passes_model_tester(qtmodeltester, sample_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    model = ProgramTableModel()
    model.set_programs(sample_desk.programs(2024))
    qtmodeltester.check(model)
    model.sort(COL_ID, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_programs([])
    qtmodeltester.check(model)


def test_program_ids_sort_as_numbers(sample_desk: Desk) -> None:
    model = ProgramTableModel()
    model.set_programs(sample_desk.programs(2024))
    model.sort(COL_ID, Qt.SortOrder.AscendingOrder)
    ids = [model.index(r, COL_ID).data() for r in range(model.rowCount())]
    assert ids[:4] == ["1", "2", "3", "4"]
    assert ids[-2:] == ["164", "1006"]  # not "1006" right after "1" as text sorting would put it
    assert id_sort_key("9") < id_sort_key("10") < id_sort_key("A-1")


def test_sorted_list_stays_sorted_and_keeps_the_selection(sample_desk: Desk) -> None:
    """The model sorts itself: a new list (a search) comes sorted, a selected row follows its program."""
    programs = sample_desk.programs(2024)
    model = ProgramTableModel()
    model.set_programs(programs)
    table_order = [p.program_id for p in programs]
    picked = model.index(model.row_of(table_order[2]) or 0, COL_ID)
    kept = QPersistentModelIndex(picked)
    model.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    names = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    assert kept.isValid() and model.program_at(kept.row()).program_id == table_order[2]
    model.set_programs(programs[:5])  # a search: the hits are shown in the chosen order at once
    names = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert names == sorted((p.name for p in programs[:5]), reverse=True)
    model.sort(-1)  # no sort column: table order again
    assert [model.index(r, COL_ID).data() for r in range(5)] == table_order[:5]


def test_marker_column_shows_unsaved_and_edited(sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "2", {"purpose": "改"})
    model = ProgramTableModel()
    model.set_programs(sample_desk.programs(2024))
    row1, row2 = model.row_of("1"), model.row_of("2")
    assert row1 is not None and row2 is not None
    assert model.index(row1, COL_MARK).data() == ""
    assert model.index(row2, COL_MARK).data() == EDITED_MARK
    model.set_unsaved("1", True)
    assert model.index(row1, COL_MARK).data() == UNSAVED_MARK
    model.clear_unsaved()
    assert model.index(row1, COL_MARK).data() == ""


def test_history_model_passes_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HistoryModel()
    at = datetime(2025, 4, 1, 9, 30)
    model.set_entries(
        [
            HistoryEntry(
                id=2,
                fiscal_year=2024,
                program_id="17",
                field="purpose",
                old="旧" * 60,
                new="新",
                at=at,
                user="sato",
                how="edit",
                revision=2,
            ),
            HistoryEntry(
                id=1,
                fiscal_year=2024,
                program_id="17",
                field="name",
                old=None,
                new="x",
                at=at,
                user="sato",
                how="import-replace",
                revision=1,
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "編集"
    assert model.index(0, 3).data() == "事業の目的"
    assert str(model.index(0, 4).data()).endswith("…")
    assert model.index(1, 4).data() == "（なし）"


def test_department_tree_model_passes_model_tester(qtmodeltester, sample_desk: Desk) -> None:  # type: ignore[no-untyped-def]
    model = DepartmentTreeModel()
    model.set_departments(sample_desk.departments(2024))
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # すべての部署 + 市長公室
    assert model.item(1).text() == "市長公室"
    assert model.item(1).rowCount() == 6


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("市長公室秘書課", ("市長公室", "秘書課")),
        ("市長公室広聴室", ("市長公室", "広聴室")),
        ("市長公室ダイバーシティ推進室", ("市長公室", "ダイバーシティ推進室")),
        ("総務部総務課", ("総務部", "総務課")),
        ("教育委員会事務局教育総務課", ("教育委員会事務局", "教育総務課")),
        ("上下水道局水道部浄水課", ("上下水道局水道部", "浄水課")),
        ("健康福祉部保健センター", ("健康福祉部", "保健センター")),
        ("会計課", None),
        ("議会事務局", None),
    ],
)
def test_split_department(name: str, expected: tuple[str, str] | None) -> None:
    assert split_department(name) == expected


def test_unsplit_names_stay_flat() -> None:
    groups = department_groups(["会計課", "総務部総務課", "総務部人事課", "会計課"])
    assert groups == {"会計課": [], "総務部": [("総務課", "総務部総務課"), ("人事課", "総務部人事課")]}
