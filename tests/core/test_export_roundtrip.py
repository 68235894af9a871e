"""The printed list reads back through our own importer to exactly the same texts."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from evaldesk.export import export_list_pdf
from evaldesk.importer import parse_pdf
from evaldesk.records import TEXT_FIELDS, Program
from tests.conftest import load_truth
from tests.core.tablegen import make_programs


def as_programs(records: list[dict[str, Any]]) -> list[Program]:
    """Answer-key style records as the stored programs an export is made from."""
    return [
        Program(
            fiscal_year=2024,
            no=int(p["no"]),
            program_id=str(p["program_id"]),
            name=str(p["name"]),
            department=str(p["department"]),
            purpose=str(p["purpose"]),
            overview=str(p["overview"]),
            outcome=str(p["outcome"]),
            revision=1,
            updated_at=datetime(2025, 1, 1),
        )
        for p in records
    ]


def truth_programs() -> list[Program]:
    return as_programs(load_truth()["programs"])


def assert_round_trip(programs: list[Program], out: Path, **kwargs: object) -> None:
    export_list_pdf(programs, out, year=2024, printed_on=date(2025, 1, 15), **kwargs)  # type: ignore[arg-type]
    table = parse_pdf(out)
    assert table.title_year == 2024
    assert [r.program_id for r in table.rows] == [p.program_id for p in programs]
    for program, row in zip(programs, table.rows, strict=True):
        assert row.no == program.no
        for field in TEXT_FIELDS:
            assert row.text(field) == program.text(field), (program.program_id, field)


def test_the_sample_year_reads_back_exactly(tmp_path: Path) -> None:
    assert_round_trip(truth_programs(), tmp_path / "list.pdf")


def test_one_department_reads_back_exactly(tmp_path: Path) -> None:
    programs = truth_programs()
    dept = programs[-1].department
    mine = [p for p in programs if p.department == dept]
    assert_round_trip(mine, tmp_path / "dept.pdf", department=dept)


def test_paragraphs_bullet_lookalikes_and_rows_split_over_pages_read_back(tmp_path: Path) -> None:
    programs = truth_programs()[:4]
    tricky = (
        "・サービス、イベント、ガイドブック（１）の作成を行い、１２、１３日に実施した。" * 3
        + "\n本年度は事業の成果を検証し、今後の方向性について検討する。"
        + "\n（１）相談対応\n（２）情報発信：ＳＮＳ（Ｘ）・ＨＰで毎月１，１９４件を配信した。"
    )
    programs[1] = dataclasses.replace(programs[1], overview=tricky, outcome=(tricky + "\n") * 25 + "以上。")
    assert_round_trip(programs, tmp_path / "tricky.pdf")


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_years_read_back_exactly(tmp_path: Path, seed: int) -> None:
    # Long names pushed by kinsoku (「（旧：〇〇地区…」) are set flush by spreading their letters; the
    # importer must read that spacing as spacing, not as spaces.
    programs = as_programs(make_programs(120, seed=seed, id_style=("code", "fullwidth")[seed % 2]))
    assert_round_trip(programs, tmp_path / "list.pdf")
