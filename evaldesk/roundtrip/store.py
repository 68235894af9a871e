"""Database side of the round: send records, per-部署 state and the 課's comments."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaldesk.db.models import RoundCommentRow, RoundSendRow, RoundStateRow
from evaldesk.roundtrip.records import DepartmentRound, WorkbookReview


def add_send(session: Session, *, row: RoundSendRow, due: date | None) -> None:
    session.add(row)
    state = _state_row(session, row.fiscal_year, row.department)
    state.state = "sent"
    state.sent_at = row.sent_at
    state.collected_at = None
    state.accepted_at = None
    state.due = due.isoformat() if due else ""
    state.file_name = row.file_name


def payload_of(session: Session, digest: str) -> dict[str, Any] | None:
    """What was sent in the workbook with this hidden-sheet digest, or None if this database never sent it."""
    found = session.scalars(select(RoundSendRow.payload).where(RoundSendRow.digest == digest)).first()
    return json.loads(found) if found is not None else None


def mark(session: Session, wb: WorkbookReview, *, state: str, at: datetime) -> None:
    row = _state_row(session, wb.fiscal_year, wb.department)
    row.state = state
    row.collected_at = row.collected_at if state == "accepted" and row.collected_at else at
    row.accepted_at = at if state == "accepted" else None
    row.file_name = wb.file_name
    keep_comments(session, wb, at=at)


def keep_comments(session: Session, wb: WorkbookReview, *, at: datetime) -> None:
    for p in wb.programs:
        if not p.comment:
            continue
        row = session.scalars(
            select(RoundCommentRow).where(
                RoundCommentRow.fiscal_year == wb.fiscal_year, RoundCommentRow.program_id == p.program_id
            )
        ).first()
        if row is None:
            row = RoundCommentRow(fiscal_year=wb.fiscal_year, program_id=p.program_id)
            session.add(row)
        row.department, row.comment, row.file_name, row.at = wb.department, p.comment, wb.file_name, at


def comments(session: Session, year: int) -> dict[str, str]:
    stmt = select(RoundCommentRow.program_id, RoundCommentRow.comment).where(
        RoundCommentRow.fiscal_year == year
    )
    return {pid: text for pid, text in session.execute(stmt)}


def status(session: Session, year: int, counts: dict[str, int]) -> list[DepartmentRound]:
    """Every 部署 of the year (by program count) with its state; 未送付 when nothing was sent yet."""
    rows = {
        r.department: r
        for r in session.scalars(select(RoundStateRow).where(RoundStateRow.fiscal_year == year))
    }
    out = []
    for dep in sorted(set(counts) | set(rows)):
        r = rows.get(dep)
        out.append(
            DepartmentRound(
                fiscal_year=year,
                department=dep,
                programs=counts.get(dep, 0),
                state=r.state if r else "unsent",
                sent_at=r.sent_at if r else None,
                collected_at=r.collected_at if r else None,
                accepted_at=r.accepted_at if r else None,
                due=date.fromisoformat(r.due) if r and r.due else None,
                file_name=r.file_name if r else "",
            )
        )
    return out


def _state_row(session: Session, year: int, department: str) -> RoundStateRow:
    row = session.scalars(
        select(RoundStateRow).where(RoundStateRow.fiscal_year == year, RoundStateRow.department == department)
    ).first()
    if row is None:
        row = RoundStateRow(fiscal_year=year, department=department, state="unsent", due="", file_name="")
        session.add(row)
    return row


def programs_payload(items: Iterable[tuple[str, int, dict[str, str]]]) -> str:
    return json.dumps(
        {pid: {"revision": rev, "texts": texts} for pid, rev, texts in items}, ensure_ascii=False
    )
