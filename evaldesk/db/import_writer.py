"""Writing an imported table into the database as one fiscal year, with its history."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from evaldesk.db import queries
from evaldesk.db.models import FiscalYearRow, HistoryRow, ImportRow, ProgramRow
from evaldesk.records import TEXT_FIELDS, ParsedRow, ParsedTable, Program
from evaldesk.search import search_text_of
from evaldesk.users import current_user


def without_nul(table: ParsedTable) -> ParsedTable:
    """Drop U+0000 from imported texts: never printed, and PostgreSQL cannot store it (same on SQLite)."""
    fields = ("program_id", *TEXT_FIELDS)
    if not any("\x00" in r.text(f) for r in table.rows for f in fields):
        return table

    def clean(r: ParsedRow) -> ParsedRow:
        texts: dict[str, Any] = {f: r.text(f).replace("\x00", "") for f in fields}
        return dataclasses.replace(r, **texts)

    rows = tuple(map(clean, table.rows))
    return dataclasses.replace(table, rows=rows)


def duplicates(table: ParsedTable) -> list[ParsedRow]:
    """Rows whose 事業番号 came earlier in the table: only the first of them can be stored."""
    seen: set[str] = set()
    out: list[ParsedRow] = []
    for r in table.rows:
        if r.program_id in seen:
            out.append(r)
        seen.add(r.program_id)
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class _Stamp:
    """Who imported which year when: the same on every row and history entry of one import."""

    year: int
    at: datetime
    user: str

    def history(self, program_id: str, field: str, old: str, new: str | None, revision: int) -> HistoryRow:
        return HistoryRow(
            fiscal_year=self.year,
            program_id=program_id,
            field=field,
            old=old,
            new=new,
            at=self.at,
            user=self.user,
            how="import-replace",
            revision=revision,
        )


def write_import(
    s: Session, *, year: int, table: ParsedTable, file_name: str, digest: str, data: bytes
) -> None:
    """Store ``table`` as fiscal year ``year`` in the open transaction ``s``.

    A year already there is replaced: its programs go, and every text that changes or disappears is
    kept in the history (how="import-replace"), so a re-import never loses a word.
    """
    stamp = _Stamp(year=year, at=queries.now(), user=current_user())
    fy, old = _open_year(s, year)
    last = _last_revisions(s, year)
    imp = _import_row(s, stamp, fy, table, file_name=file_name, digest=digest, data=data)
    deps = queries.department_ids(s, (r.department for r in table.rows))
    rows: list[dict[str, Any]] = []
    history: list[HistoryRow] = []
    seen: set[str] = set()
    for index, r in enumerate(table.rows):
        if r.program_id in seen:
            continue  # the importer warns about duplicates; the first row wins
        seen.add(r.program_id)
        prev = old.get(r.program_id)
        revision = max(prev.revision if prev else 0, last.get(r.program_id, 0)) + 1
        values = _program_values(r, sort_key=index, revision=revision, stamp=stamp, import_id=imp.id)
        values.update(fiscal_year_id=fy.id, department_id=deps[r.department])
        rows.append(values)
        if prev is not None:
            history.extend(
                stamp.history(r.program_id, f, prev.text(f), r.text(f), revision)
                for f in TEXT_FIELDS
                if prev.text(f) != r.text(f)
            )
    for pid, prev in old.items():
        if pid not in seen:  # dropped by the new file: keep its texts in the history
            revision = max(prev.revision, last.get(pid, 0)) + 1
            history.extend(stamp.history(pid, f, prev.text(f), None, revision) for f in TEXT_FIELDS)
    _insert_programs(s, rows, replaced=bool(old))
    s.add_all(history)


def _insert_programs(s: Session, rows: list[dict[str, Any]], *, replaced: bool) -> None:
    """Insert the programs in row order. On SQLite through a temporary table and one INSERT ... SELECT:
    the search index (FTS5, filled by a trigger) writes out what it indexed at the end of every
    statement, so one statement per program costs four times the indexing itself. When the year's
    programs were ``replaced``, the index is merged into one piece again: otherwise each re-import
    leaves the old entries' deletion markers beside the new ones and the file grows every time."""
    if not rows:
        return
    if s.get_bind().dialect.name != "sqlite":
        s.execute(insert(ProgramRow), rows)
        return
    staging = Table(
        "import_programs",
        MetaData(),
        *(Column(c.name, c.type) for c in ProgramRow.__table__.c if c.name in rows[0]),
        prefixes=["TEMPORARY"],
    )
    conn = s.connection()
    staging.drop(conn, checkfirst=True)
    staging.create(conn)
    conn.execute(insert(staging), rows)
    in_order = select(staging).order_by(text("rowid"))  # as inserted: ids follow the table's rows
    conn.execute(insert(ProgramRow).from_select(staging.c.keys(), in_order))
    staging.drop(conn)
    if replaced:
        conn.execute(text("INSERT INTO programs_fts(programs_fts) VALUES ('optimize')"))


def _open_year(s: Session, year: int) -> tuple[FiscalYearRow, dict[str, Program]]:
    """The year's row (made if new) and the programs it held, which are deleted here."""
    fy = s.scalars(select(FiscalYearRow).where(FiscalYearRow.year == year)).first()
    if fy is None:
        fy = FiscalYearRow(year=year)
        s.add(fy)
        s.flush()
        return fy, {}
    # PostgreSQL: lock the year's rows before reading them, so an edit saving meanwhile is either
    # read here (and its revision counted) or refused afterwards; never given the same revision.
    s.execute(select(ProgramRow.id).where(ProgramRow.fiscal_year_id == fy.id).with_for_update())
    stmt = queries.program_select().where(FiscalYearRow.year == year)
    old = {p.program_id: p for p in map(queries.program_from_row, s.execute(stmt))}
    s.execute(delete(ProgramRow).where(ProgramRow.fiscal_year_id == fy.id))
    return fy, old


def _last_revisions(s: Session, year: int) -> dict[str, int]:
    """One revision sequence per program: a program dropped by an earlier import and back now goes on
    from the last revision in its history, never from 1 again."""
    stmt = (
        select(HistoryRow.program_id, func.max(HistoryRow.revision))
        .where(HistoryRow.fiscal_year == year)
        .group_by(HistoryRow.program_id)
    )
    return {str(pid): int(rev) for pid, rev in s.execute(stmt)}


def _import_row(
    s: Session,
    stamp: _Stamp,
    fy: FiscalYearRow,
    table: ParsedTable,
    *,
    file_name: str,
    digest: str,
    data: bytes,
) -> ImportRow:
    if data:
        # The same PDF stored again (a re-import with --replace): keep its bytes once, in the newest row.
        s.execute(update(ImportRow).where(ImportRow.sha256 == digest).values(pdf=None))
    imp = ImportRow(
        fiscal_year_id=fy.id,
        file_name=file_name,
        sha256=digest,
        pages=table.pages,
        programs=len(table.rows),
        imported_at=stamp.at,
        imported_by=stamp.user,
        warnings=json.dumps(list(table.warnings), ensure_ascii=False),
        pdf=data or None,
    )
    s.add(imp)
    s.flush()
    return imp


def _program_values(
    r: ParsedRow, *, sort_key: int, revision: int, stamp: _Stamp, import_id: int
) -> dict[str, Any]:
    return dict(
        program_id=r.program_id,
        no=r.no,
        sort_key=sort_key,
        name=r.name,
        purpose=r.purpose,
        overview=r.overview,
        outcome=r.outcome,
        search_text=search_text_of(name=r.name, purpose=r.purpose, overview=r.overview, outcome=r.outcome),
        revision=revision,
        updated_at=stamp.at,
        updated_by=stamp.user,
        import_id=import_id,
        source_page=r.source.page if r.source else None,
        source_top=r.source.top if r.source else None,
        source_bottom=r.source.bottom if r.source else None,
    )
