"""Saving edited texts of one program: checks, the compare-and-set on its revision, and the history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from evaldesk.db import queries
from evaldesk.db.models import FiscalYearRow, HistoryRow, ProgramRow
from evaldesk.errors import FieldError, StaleRevisionError
from evaldesk.records import TEXT_FIELDS, Program, ProgramChange
from evaldesk.search import search_text_of
from evaldesk.users import current_user


def check_changes(changes: Mapping[str, str]) -> None:
    """Refuse, before touching the database, a field that cannot be edited or a text that cannot be stored."""
    for f in changes:
        if f not in TEXT_FIELDS:
            raise FieldError(f"項目「{f}」は編集できません（{', '.join(TEXT_FIELDS)}）。")
    if any("\x00" in text for text in changes.values()):
        raise FieldError(
            "文章に使えない文字（NUL, U+0000）が含まれています。取り除いてから保存してください。"
        )
    for f in ("name", "department"):
        if f in changes and not changes[f].strip():
            raise FieldError("事務事業名と部署名は空にできません。")


def write_change(
    s: Session,
    *,
    year: int,
    program_id: str,
    changes: Mapping[str, str],
    if_revision: int | None,
    how: str,
    source: str | None = None,
) -> ProgramChange:
    """Store ``changes`` in the open transaction ``s``, one history entry per field that changed."""
    user, at = current_user(), queries.now()
    row = queries.get_program(s, year, program_id)
    before = {f: text_of(row, f) for f in TEXT_FIELDS}

    def stale(expected: int, current: int) -> StaleRevisionError:
        return StaleRevisionError(
            fiscal_year=year,
            program_id=program_id,
            expected=expected,
            current=current,
            rejected=dict(changes),
            current_values=before,
        )

    if if_revision is not None and row.revision != if_revision:
        raise stale(if_revision, row.revision)
    changed = tuple(f for f in TEXT_FIELDS if f in changes and changes[f] != before[f])
    if not changed:
        return ProgramChange(program=program_in(s, year, program_id), changed_fields=())
    after = {**before, **{f: changes[f] for f in changed}}
    values: dict[str, Any] = {f: after[f] for f in changed if f != "department"}
    if "department" in changed:
        values["department_id"] = queries.department_id(s, after["department"])
    values.update(
        revision=row.revision + 1,
        updated_at=at,
        updated_by=user,
        search_text=search_text_of(
            name=after["name"], purpose=after["purpose"], overview=after["overview"], outcome=after["outcome"]
        ),
    )
    # Compare-and-set on the revision: two PCs saving at once cannot both win.
    result = s.execute(
        update(ProgramRow)
        .where(ProgramRow.id == row.id, ProgramRow.revision == row.revision)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise stale(row.revision, row.revision + 1)
    s.add_all(
        HistoryRow(
            fiscal_year=year,
            program_id=program_id,
            field=f,
            old=before[f],
            new=after[f],
            at=at,
            user=user,
            how=how,
            revision=row.revision + 1,
            source=source,
        )
        for f in changed
    )
    s.expire_all()
    program = program_in(s, year, program_id)
    return ProgramChange(program=program, changed_fields=changed, previous={f: before[f] for f in changed})


def text_of(row: ProgramRow, f: str) -> str:
    return row.department.name if f == "department" else str(getattr(row, f))


def program_in(s: Session, year: int, program_id: str) -> Program:
    stmt = queries.program_select().where(FiscalYearRow.year == year, ProgramRow.program_id == program_id)
    return queries.program_from_row(s.execute(stmt).one())
