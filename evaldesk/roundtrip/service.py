"""The revision round's use cases on the Desk facade: send workbooks, collect them, accept changes."""

from __future__ import annotations

import os
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaldesk.db import queries
from evaldesk.db.models import RoundSendRow
from evaldesk.errors import EvaldeskError, NotFoundError, StaleRevisionError
from evaldesk.fiscal_year import era_label
from evaldesk.records import TEXT_FIELDS, Program, Progress
from evaldesk.roundtrip import layout, store
from evaldesk.roundtrip.errors import MetaChangedError, ReturnError, WrongRoundError
from evaldesk.roundtrip.records import (
    DEFAULT_LIMITS,
    AcceptResult,
    DepartmentRound,
    FieldKey,
    Refusal,
    Review,
    SentWorkbook,
    WorkbookReview,
)
from evaldesk.users import current_user

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from evaldesk.records import ProgramChange
    from evaldesk.roundtrip.meta import Meta

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


class RoundTripMixin:
    """Mixed into ``Desk``; uses its sessions, ``programs()`` and ``update_program()``."""

    if TYPE_CHECKING:
        _session: sessionmaker[Session]

        def programs(self, year: int, query: str = "", *, department: str | None = None) -> list[Program]: ...

        def update_program(
            self,
            year: int,
            program_id: str,
            changes: Mapping[str, str],
            *,
            if_revision: int | None = None,
            how: str = "edit",
            source: str | None = None,
        ) -> ProgramChange: ...

    # -- send -----------------------------------------------------------------------------------
    def send_workbooks(
        self,
        year: int,
        departments: Sequence[str] | None = None,
        *,
        out_dir: str | os.PathLike[str],
        due: date | None = None,
        return_to: str = "",
        limits: Mapping[str, int] | None = None,
        progress: Progress | None = None,
    ) -> list[SentWorkbook]:
        """Write one workbook per 部署 (all of the year's, or those named) and record the sends."""
        from evaldesk.roundtrip.writer import write_workbook

        by_dep: dict[str, list[Program]] = defaultdict(list)
        for p in self.programs(year):
            by_dep[p.department].append(p)
        if not by_dep:
            raise NotFoundError(f"{era_label(year)}（{year}）のデータはありません。")
        chosen = list(departments) if departments else sorted(by_dep)
        unknown = [d for d in chosen if d not in by_dep]
        if unknown:
            raise NotFoundError(f"{era_label(year)}に部署「{'」「'.join(unknown)}」の事業はありません。")
        out = Path(out_dir)
        if not out.is_dir():
            raise EvaldeskError(f"送付先のフォルダ {out} がありません。")
        user, at = current_user(), queries.now()
        lim = {f: int(n) for f, n in (limits or DEFAULT_LIMITS).items() if n > 0}
        rows: list[RoundSendRow] = []
        sent: list[SentWorkbook] = []
        for i, dep in enumerate(chosen, start=1):
            programs = by_dep[dep]
            meta = sent_meta(year, dep, programs, at=at, user=user, due=due, return_to=return_to, limits=lim)
            path = out / layout.file_name(year, dep)
            n = 2
            while path in (w.path for w in sent):  # two names alike once unsafe characters are replaced
                path = out / f"{Path(layout.file_name(year, dep)).stem}_{n}.xlsx"
                n += 1
            write_workbook(path, meta=meta, programs=programs)
            payload = store.programs_payload((p.program_id, p.revision, p.texts()) for p in programs)
            rows.append(
                RoundSendRow(
                    fiscal_year=year,
                    department=dep,
                    file_name=path.name,
                    digest=meta.digest(),
                    sent_at=at,
                    sent_by=user,
                    due=due.isoformat() if due else "",
                    return_to=return_to,
                    payload=payload,
                )
            )
            sent.append(SentWorkbook(year, dep, path, len(programs), 0, at))
            if progress is not None:
                progress(i, len(chosen))
        # Recorded once every file is written, in one short transaction: a failed write records nothing,
        # and a workbook whose send was never recorded is refused when it comes back.
        with self._session.begin() as s:
            for row in rows:
                store.add_send(s, row=row, due=due)
            s.flush()
            ids = [row.id for row in rows]
        return [
            SentWorkbook(w.fiscal_year, w.department, w.path, w.programs, i, w.sent_at)
            for w, i in zip(sent, ids, strict=True)
        ]

    # -- collect --------------------------------------------------------------------------------
    def collect_workbooks(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        year: int | None = None,
        department: str | None = None,
        progress: Progress | None = None,
    ) -> Review:
        """Read returned workbooks (files or folders) into a review; writes nothing.

        A bad file becomes a ``Refusal`` with its sentence; the others are still reviewed.
        """
        from evaldesk.roundtrip.reader import read_returned
        from evaldesk.roundtrip.review import check_round, review_workbook

        files = expand_paths(paths)
        current: dict[int, dict[str, Program]] = {}
        reviews: list[WorkbookReview] = []
        refused: list[Refusal] = []
        seen: dict[str, Path] = {}
        for i, path in enumerate(files, start=1):
            try:
                wb = read_returned(path)
                check_round(wb, year=year, department=department)
                year = wb.meta.fiscal_year if year is None else year
                with self._session() as s:
                    payload = store.payload_of(s, wb.digest)
                if payload is None:
                    raise MetaChangedError(
                        f"{path.name} はこのデータベースから送付した記録がありません"
                        "（別のデータベースから送付したか、管理用シートが書き換えられています）。",
                        path=str(path),
                    )
                if wb.meta.department in seen:
                    raise WrongRoundError(
                        f"{path.name} は{wb.meta.department}のブックで、{seen[wb.meta.department].name} と重なります。"
                        "1つずつ回収してください。",
                        path=str(path),
                    )
                if year not in current:
                    current[year] = {p.program_id: p for p in self.programs(year)}
                reviews.append(review_workbook(wb, current=current[year], sent=payload))
                seen[wb.meta.department] = path
            except ReturnError as exc:
                refused.append(Refusal(path=path, message=str(exc), kind=type(exc).__name__))
            if progress is not None:
                progress(i, len(files))
        if year is None and not reviews and not refused:
            raise NotFoundError("回収するブック（.xlsx）が見つかりません。")
        return Review(fiscal_year=year or 0, workbooks=tuple(reviews), refused=tuple(refused))

    def mark_collected(self, review: Review) -> None:
        """Record that the review's workbooks came back (回収済) and keep the 課's comments."""
        at = queries.now()
        with self._session.begin() as s:
            for wb in review.workbooks:
                store.mark(s, wb, state="collected", at=at)

    # -- accept ---------------------------------------------------------------------------------
    def accept_returns(
        self, review: Review, accepted: Collection[FieldKey], *, progress: Progress | None = None
    ) -> AcceptResult:
        """Store the accepted fields as ordinary edits (revision check, history naming the workbook)."""
        stored: list[FieldKey] = []
        rejected: list[FieldKey] = []
        stale: list[str] = []
        warnings: list[str] = []
        wanted = set(accepted)
        for i, wb in enumerate(review.workbooks, start=1):
            for p in wb.programs:
                take = [f for f in p.changes if f.key in wanted]
                rejected += [f.key for f in p.changes if f.key not in wanted]
                if not take:
                    continue
                try:
                    self.update_program(
                        wb.fiscal_year, p.program_id, {f.field: f.returned for f in take},
                        if_revision=p.current_revision, how="workbook", source=wb.source,
                    )  # fmt: skip
                except StaleRevisionError as exc:
                    stale.append(str(exc))
                    rejected += [f.key for f in take]
                    continue
                stored += [f.key for f in take]
                warnings += [
                    f"事業番号 {f.program_id} の{f.field}は上限 {f.limit} 字を超えたまま保存しました（{len(f.returned)} 字）。"
                    for f in take
                    if f.over_limit
                ]
            at = queries.now()
            with self._session.begin() as s:
                store.mark(s, wb, state="accepted", at=at)
            if progress is not None:
                progress(i, len(review.workbooks))
        return AcceptResult(
            stored=tuple(stored),
            rejected=tuple(rejected),
            stale=tuple(stale),
            warnings=tuple(warnings),
            fiscal_year=review.fiscal_year,
        )

    # -- reading the round's state --------------------------------------------------------------
    def round_status(self, year: int) -> list[DepartmentRound]:
        counts: dict[str, int] = defaultdict(int)
        for p in self.programs(year):
            counts[p.department] += 1
        with self._session() as s:
            return store.status(s, year, dict(counts))

    def round_comments(self, year: int) -> dict[str, str]:
        """The 課's comments of the year by 事業番号 (the latest returned workbook's)."""
        with self._session() as s:
            return store.comments(s, year)


def sent_meta(
    year: int,
    department: str,
    programs: Sequence[Program],
    *,
    at: datetime,
    user: str,
    due: date | None,
    return_to: str,
    limits: dict[str, int],
) -> Meta:
    """What the hidden sheet of one 部署's workbook records: per program its row, revision and text hashes."""
    from evaldesk.roundtrip.meta import Meta, SentProgram, text_hash

    return Meta(
        fiscal_year=year,
        department=department,
        sent_at=at,
        sent_by=user,
        due=due,
        return_to=return_to,
        limits=limits,
        nonce=secrets.token_hex(8),
        programs=tuple(
            SentProgram(
                program_id=p.program_id,
                row=layout.FIRST_ROW + n,
                revision=p.revision,
                hashes={f: text_hash(p.text(f)) for f in TEXT_FIELDS},
            )
            for n, p in enumerate(programs)
        ),
    )


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given; folders become their workbooks (not Excel's ~$ lock files), sorted by name."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES and not p.name.startswith(("~$", "."))
            )  # fmt: skip
        else:
            out.append(path)
    return out
