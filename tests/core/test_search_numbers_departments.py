"""Search finds a program by its 事業番号 (either width) and by its department, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from evaldesk.desk import Desk


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("158", ["158"]),
        ("１５８", ["158"]),
        ("秘書課", ["1", "2", "3"]),
        ("秘書", ["1", "2", "3"]),  # two characters: below the trigram index, LIKE answers
        ("危機管理課 防災", ["17", "19", "21"]),  # every term must match, each anywhere
    ],
)
def test_program_numbers_and_departments_are_found(
    sample_desk: Desk, query: str, expected: list[str]
) -> None:
    assert [p.program_id for p in sample_desk.programs(2024, query)] == expected


def test_a_whole_division_is_found_by_its_name(sample_desk: Desk) -> None:
    found = sample_desk.programs(2024, "市長公室")
    assert found and all(p.department.startswith("市長公室") for p in found)


def test_sheet_fit_goes_through_the_facade(sample_desk: Desk) -> None:
    import dataclasses

    program = sample_desk.program(2024, "17")
    assert sample_desk.sheet_fit(program).pages == 1
    long = dataclasses.replace(program, outcome="成果の説明。" * 400)
    fit = sample_desk.sheet_fit(long)
    assert fit.pages > 1 and fit.spilled == ("outcome",)
