"""Helpers for the revision-round tests: edit a sent workbook as Excel would, fingerprint the database."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from evaldesk.db.engine import sqlite_path
from evaldesk.db.models import Base, RoundSendRow
from evaldesk.desk import Desk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "roundtrip"
COLUMN = {
    "program_id": "A",
    "department": "B",
    "name": "C",
    "purpose": "D",
    "overview": "E",
    "outcome": "F",
    "comment": "G",
}


def row_of(ws: Worksheet, program_id: str) -> int:
    for r in range(3, ws.max_row + 1):
        if str(ws.cell(row=r, column=1).value) == program_id:
            return r
    raise KeyError(program_id)


def edit_workbook(path: Path, change: Callable[[Worksheet], None], *, sheet: str = "事務事業") -> None:
    """Open, change and save with openpyxl: shared strings and a new save date, as Excel writes them."""
    wb = load_workbook(path)
    change(wb[sheet])
    wb.save(path)


def set_cells(path: Path, cells: dict[tuple[str, str], str]) -> None:
    """cells: (事業番号, field) -> text."""

    def change(ws: Worksheet) -> None:
        for (pid, field), value in cells.items():
            ws[f"{COLUMN[field]}{row_of(ws, pid)}"] = value

    edit_workbook(path, change)


def fingerprint(desk: Desk) -> str:
    """SQLite: the bytes of the database file and its WAL. PostgreSQL: every row of every table."""
    path = sqlite_path(desk.url)
    h = hashlib.sha256()
    if path is not None:
        for p in (path, path.with_name(path.name + "-wal")):
            if p.exists():
                h.update(p.read_bytes())
        return h.hexdigest()
    with desk.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY id")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def settle(desk: Desk) -> None:
    """Move SQLite's WAL into the file first, so a later fingerprint changes only if something is written."""
    if sqlite_path(desk.url) is not None:
        with desk.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def take_calc_send(desk: Desk) -> dict[str, Any]:
    """Record in ``desk`` the send that produced the LibreOffice fixture (made by make_calc_return.py)."""
    record = json.loads((FIXTURES / "calc_send.json").read_text(encoding="utf-8"))
    record["sent_at"] = datetime.fromisoformat(record["sent_at"])
    with desk._session.begin() as s:
        s.add(RoundSendRow(**record))
    expected: dict[str, Any] = json.loads((FIXTURES / "calc_expected.json").read_text(encoding="utf-8"))
    return expected
