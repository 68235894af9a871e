"""The facade: years, listing, search, edits with revisions, history and links."""

from __future__ import annotations

import pytest

from evaldesk.desk import Desk
from evaldesk.errors import FieldError, NotFoundError, StaleRevisionError, YearError, YearExistsError
from tests.conftest import load_truth, truth_table


def test_import_table_stores_every_program_exactly(sample_desk: Desk) -> None:
    truth = load_truth()["programs"]
    got = sample_desk.programs(2024)
    assert [p.program_id for p in got] == [t["program_id"] for t in truth]
    for p, t in zip(got, truth, strict=True):
        assert (p.no, p.name, p.department, p.purpose, p.overview, p.outcome) == (
            t["no"],
            t["name"],
            t["department"],
            t["purpose"],
            t["overview"],
            t["outcome"],
        )
        assert p.revision == 1
    [info] = sample_desk.years()
    assert (info.year, info.label, info.programs) == (2024, "令和6年度", 20)


def test_reimport_refused_without_replace_and_database_unchanged(sample_desk: Desk) -> None:
    before = sample_desk.programs(2024)
    with pytest.raises(YearExistsError):
        sample_desk.import_table(truth_table(), year=2024)
    assert sample_desk.programs(2024) == before


def test_replace_keeps_previous_texts_in_history(sample_desk: Desk) -> None:
    records = [dict(p) for p in load_truth()["programs"]]
    records[0]["purpose"] = "新しい目的。"
    del records[1]
    summary = sample_desk.import_table(truth_table(records), year=2024, replace=True)
    assert summary.replaced and summary.backup
    assert sample_desk.program(2024, "1").purpose == "新しい目的。"
    assert sample_desk.program(2024, "1").revision == 2
    hist = sample_desk.history(2024, "1")
    assert [(h.field, h.new, h.how) for h in hist] == [("purpose", "新しい目的。", "import-replace")]
    assert hist[0].old == load_truth()["programs"][0]["purpose"]
    dropped = sample_desk.history(2024, "2")
    assert {h.field for h in dropped} == {"name", "department", "purpose", "overview", "outcome"}
    assert all(h.new is None for h in dropped)


def test_year_needed_when_the_title_has_none(desk: Desk) -> None:
    with pytest.raises(YearError):
        desk.import_table(truth_table(title_year=None))
    assert desk.years() == []


def test_year_from_title_used_when_not_given(desk: Desk) -> None:
    desk.import_table(truth_table(title_year=2023))
    assert [y.year for y in desk.years()] == [2023]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("防災", {"17", "19", "21", "164"}),  # two characters: LIKE fallback
        ("危機管理体制", {"21"}),  # three or more: trigram index
        ("ＳＮＳ", {"4", "5", "7", "13", "159"}),  # full width query
        ("sns", {"4", "5", "7", "13", "159"}),  # half width, lower case query finds full width text
        ("防災 備蓄", {"17", "19"}),  # every term must match
        ("存在しない語句", set()),
    ],
)
def test_search_is_width_insensitive_substring(sample_desk: Desk, query: str, expected: set[str]) -> None:
    got = {p.program_id for p in sample_desk.programs(2024, query)}
    assert got == expected


def test_department_filter(sample_desk: Desk) -> None:
    got = sample_desk.programs(2024, department="危機管理課")
    assert [p.program_id for p in got] == ["17", "19", "21"]


def test_edit_bumps_revision_and_records_history(sample_desk: Desk) -> None:
    change = sample_desk.update_program(2024, "17", {"purpose": "改訂した目的。"}, if_revision=1)
    assert change.changed_fields == ("purpose",)
    assert change.program.revision == 2
    assert sample_desk.program(2024, "17").purpose == "改訂した目的。"
    [h] = sample_desk.history(2024, "17")
    assert (h.field, h.new, h.how, h.revision) == ("purpose", "改訂した目的。", "edit", 2)
    assert sample_desk.programs(2024, "改訂した目的")[0].program_id == "17"


def test_stale_edit_refused_newer_text_kept_and_older_in_history(sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "17", {"outcome": "Aさんの成果"}, if_revision=1)
    with pytest.raises(StaleRevisionError) as info:
        sample_desk.update_program(2024, "17", {"outcome": "Bさんの成果"}, if_revision=1)
    assert info.value.rejected == {"outcome": "Bさんの成果"}
    assert info.value.current == 2
    assert sample_desk.program(2024, "17").outcome == "Aさんの成果"
    original = load_truth()["programs"][9]["outcome"]
    assert [h.old for h in sample_desk.history(2024, "17")] == [original]


def test_department_change_creates_the_office(sample_desk: Desk) -> None:
    sample_desk.update_program(2024, "1", {"department": "市長公室秘書広報課"})
    assert sample_desk.program(2024, "1").department == "市長公室秘書広報課"
    assert "市長公室秘書広報課" in sample_desk.departments(2024)


def test_bad_edits_refused(sample_desk: Desk) -> None:
    with pytest.raises(FieldError):
        sample_desk.update_program(2024, "1", {"revision": "9"})
    with pytest.raises(FieldError):
        sample_desk.update_program(2024, "1", {"name": "  "})
    with pytest.raises(NotFoundError):
        sample_desk.update_program(2024, "999", {"name": "x"})


def test_restore_from_history(sample_desk: Desk) -> None:
    original = sample_desk.program(2024, "1").name
    sample_desk.update_program(2024, "1", {"name": "改名"})
    [entry] = sample_desk.history(2024, "1")
    sample_desk.restore_history(entry.id)
    assert sample_desk.program(2024, "1").name == original
    assert sample_desk.history(2024, "1")[0].how == "restore"


def test_backup_and_restore_round_trip(sample_desk: Desk) -> None:
    copy = sample_desk.backup()
    sample_desk.update_program(2024, "1", {"name": "改名"})
    safety = sample_desk.restore(copy)
    assert sample_desk.program(2024, "1").name == "秘書業務"
    assert safety.exists()


def test_a_duplicated_program_number_is_reported_not_silently_dropped(desk: Desk) -> None:
    records = [dict(p) for p in load_truth()["programs"][:3]]
    records.append(dict(records[0], no=4, name="同じ番号の別事業"))
    summary = desk.import_table(truth_table(records), year=2024)
    assert summary.programs == 3
    assert any("同じ番号の別事業" in w for w in summary.warnings)
    assert desk.program(2024, "1").name == "秘書業務"
