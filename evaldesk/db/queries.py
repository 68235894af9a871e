"""Small database helpers shared by the facade: conversions to records and look-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import Engine, Row, Select, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from evaldesk.db.models import DepartmentRow, FiscalYearRow, HistoryRow, LinkRow, ProgramRow
from evaldesk.errors import DatabaseDamagedError, NotFoundError
from evaldesk.fiscal_year import era_label
from evaldesk.records import HistoryEntry, Program, ProgramLink, SourceLocation
from evaldesk.search import search_condition

PROGRAM_COLUMNS = (
    FiscalYearRow.year,
    ProgramRow.no,
    ProgramRow.program_id,
    ProgramRow.name,
    DepartmentRow.name.label("department"),
    ProgramRow.purpose,
    ProgramRow.overview,
    ProgramRow.outcome,
    ProgramRow.revision,
    ProgramRow.updated_at,
    ProgramRow.source_page,
    ProgramRow.source_top,
    ProgramRow.source_bottom,
)


def program_select() -> Select[*tuple[Any, ...]]:
    return (
        select(*PROGRAM_COLUMNS)
        .join(FiscalYearRow, ProgramRow.fiscal_year_id == FiscalYearRow.id)
        .join(DepartmentRow, ProgramRow.department_id == DepartmentRow.id)
    )


def hit_select() -> Select[*tuple[Any, ...]]:
    """事業番号 and revision of programs, joined like ``program_select`` (the search needs both joins)."""
    return (
        select(ProgramRow.program_id, ProgramRow.revision)
        .join(FiscalYearRow, ProgramRow.fiscal_year_id == FiscalYearRow.id)
        .join(DepartmentRow, ProgramRow.department_id == DepartmentRow.id)
    )


def filtered(
    stmt: Select[*tuple[Any, ...]], year: int, query: str, *, department: str | None, fts: bool
) -> Select[*tuple[Any, ...]]:
    """``stmt`` limited to a year, a search text and a department substring, in table order."""
    stmt = stmt.where(FiscalYearRow.year == year)
    cond = search_condition(query, fts=fts)
    if cond is not None:
        stmt = stmt.where(cond)
    if department:
        stmt = stmt.where(DepartmentRow.name.contains(department, autoescape=True))
    return stmt.order_by(ProgramRow.sort_key, ProgramRow.id)


def program_from_row(row: Row[Any]) -> Program:
    m = row._mapping
    page = m["source_page"]
    source = (
        SourceLocation(page=int(page), top=float(m["source_top"] or 0), bottom=float(m["source_bottom"] or 0))
        if page is not None
        else None
    )
    return Program(
        fiscal_year=int(m["year"]),
        no=m["no"],
        program_id=str(m["program_id"]),
        name=str(m["name"]),
        department=str(m["department"]),
        purpose=str(m["purpose"]),
        overview=str(m["overview"]),
        outcome=str(m["outcome"]),
        revision=int(m["revision"]),
        updated_at=m["updated_at"],
        source=source,
    )


def history_from_row(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        id=row.id,
        fiscal_year=row.fiscal_year,
        program_id=row.program_id,
        field=row.field,
        old=row.old,
        new=row.new,
        at=row.at,
        user=row.user,
        how=row.how,
        revision=row.revision,
        source=row.source,
    )


def link_from_row(row: LinkRow) -> ProgramLink:
    return ProgramLink(
        id=row.id,
        from_year=row.from_year,
        from_program_id=row.from_program_id,
        to_year=row.to_year,
        to_program_id=row.to_program_id,
        note=row.note,
    )


def get_year(session: Session, year: int) -> FiscalYearRow:
    row = session.scalars(select(FiscalYearRow).where(FiscalYearRow.year == year)).first()
    if row is None:
        raise_not_found(session, f"{era_label(year)}（{year}）のデータはありません。")
    return row


def get_program(session: Session, year: int, program_id: str) -> ProgramRow:
    fy = get_year(session, year)
    row = session.scalars(
        select(ProgramRow).where(ProgramRow.fiscal_year_id == fy.id, ProgramRow.program_id == program_id)
    ).first()
    if row is None:
        raise_not_found(session, f"{era_label(year)} に事業番号 {program_id} の事業はありません。")
    return row


def raise_not_found(session: Session, message: str) -> NoReturn:
    """A missing row may be a damaged index that hides it: say so rather than "does not exist"."""
    if session.get_bind().dialect.name == "sqlite":
        report = [str(r) for r in session.execute(text("PRAGMA integrity_check(5)")).scalars()]
        if report != ["ok"]:
            raise DatabaseDamagedError("; ".join(report))
    raise NotFoundError(message)


def department_id(session: Session, name: str, cache: dict[str, int] | None = None) -> int:
    if cache is not None and name in cache:
        return cache[name]
    found = session.scalars(select(DepartmentRow.id).where(DepartmentRow.name == name)).first()
    if found is None:
        dep = DepartmentRow(name=name)
        session.add(dep)
        session.flush()
        found = dep.id
    if cache is not None:
        cache[name] = found
    return found


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def stores_nothing(engine: Engine) -> bool:
    """True when the database holds no year, no history and no link (a file nobody used yet)."""
    try:
        with engine.connect() as conn:
            return not any(
                conn.execute(select(table.c.id).limit(1)).first()
                for table in (FiscalYearRow.__table__, HistoryRow.__table__, LinkRow.__table__)
            )
    except SQLAlchemyError:
        return False
