"""Shared fixtures: offscreen Qt, a file-backed database per test, the facade, the sample year."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from evaldesk.desk import Desk
from evaldesk.records import ParsedRow, ParsedTable

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO.parent / "shared" / "fixtures"
SAMPLE_PDF = REPO / "resources" / "samples" / "r6_sample.pdf"
TRUTH_JSON = REPO / "tests" / "data" / "r6_truth.json"

pytest_plugins = ["tests.pg"]  # EVALDESK_TEST_PG_URL=auto runs the suite on a throwaway PostgreSQL


def load_truth() -> dict[str, Any]:
    """The answer key of the FY2024 sample (a copy is kept in tests/data so CI needs no shared/)."""
    path = FIXTURES / "r6_truth.json"
    if not path.exists():
        path = TRUTH_JSON
    truth: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return truth


def _record_no(value: object) -> int | None:
    """The No. of an answer-key record: a number in the JSON, or null for a row printed without one."""
    if value is None:
        return None
    if isinstance(value, int | str):
        return int(value)
    raise TypeError(f"an answer-key No. must be a number, not {value!r}")


def truth_table(
    programs: list[dict[str, object]] | None = None, *, title_year: int | None = 2024
) -> ParsedTable:
    """A ParsedTable straight from answer-key records, for tests that do not exercise the importer."""
    records = programs if programs is not None else cast("list[dict[str, object]]", load_truth()["programs"])
    rows = tuple(
        ParsedRow(
            no=_record_no(p.get("no")),
            program_id=str(p["program_id"]),
            name=str(p["name"]),
            department=str(p["department"]),
            purpose=str(p["purpose"]),
            overview=str(p["overview"]),
            outcome=str(p["outcome"]),
        )
        for p in records
    )
    return ParsedTable(rows=rows, pages=1, warnings=(), title=None, title_year=title_year)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups, logs and the default database of every test live in a temporary folder."""
    data = tmp_path_factory.mktemp("evaldesk-data")
    monkeypatch.setenv("EVALDESK_DATA_DIR", str(data))
    monkeypatch.delenv("EVALDESK_DB", raising=False)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A file-backed database per test (a PostgreSQL one when EVALDESK_TEST_PG_URL is set)."""
    base = os.environ.get("EVALDESK_TEST_PG_URL")
    if base:
        from tests.pg import fresh_database

        return fresh_database(base)
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def desk(db_url: str) -> Iterator[Desk]:
    d = Desk(db_url)
    yield d
    d.close()


@pytest.fixture
def sample_desk(desk: Desk) -> Desk:
    """A database holding the FY2024 sample year (from the answer key, no PDF parsing)."""
    desk.import_table(truth_table(), year=2024, file_name="r6_sample.pdf")
    return desk
