"""Compare a returned workbook with what was sent and what is stored now: field by field."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS, Program
from evaldesk.roundtrip.errors import ProgramGoneError, WrongRoundError
from evaldesk.roundtrip.meta import clean, text_hash
from evaldesk.roundtrip.reader import ReturnedWorkbook
from evaldesk.roundtrip.records import EDITABLE_FIELDS, FieldReview, ProgramReview, Proposal, WorkbookReview


def check_round(wb: ReturnedWorkbook, *, year: int | None, department: str | None) -> None:
    """Refuse a workbook of another fiscal year or 部署 than the one being collected."""
    name, meta = wb.path.name, wb.meta
    if year is not None and meta.fiscal_year != year:
        raise WrongRoundError(
            f"{name} は{era_label(meta.fiscal_year)}のブックです（回収しているのは{era_label(year)}）。",
            path=str(wb.path),
        )
    if department is not None and meta.department != department:
        raise WrongRoundError(
            f"{name} は{meta.department}のブックです（回収しているのは{department}）。", path=str(wb.path)
        )


def classify(*, sent: str, returned: str, current: str, sent_hash: str) -> str:
    """unchanged / changed (by the 課) / local (in evaldesk since sending) / conflict (both, differently)."""
    by_them = text_hash(returned) != sent_hash
    by_us = text_hash(current) != sent_hash
    if by_them and by_us:
        return "unchanged" if clean(returned) == clean(current) else "conflict"
    if by_them:
        return "changed"
    if by_us:
        return "local"
    return "unchanged"


def review_workbook(
    wb: ReturnedWorkbook, *, current: Mapping[str, Program], sent: Mapping[str, Any]
) -> WorkbookReview:
    """``current``: the stored programs of the year by 事業番号; ``sent``: the send record's payload."""
    meta, dep = wb.meta, wb.meta.department
    gone = [p.program_id for p in meta.programs if p.program_id not in current]
    if gone:
        raise ProgramGoneError(
            f"{wb.path.name} の事業番号 {', '.join(gone)} は、もう evaldesk の"
            f"{era_label(meta.fiscal_year)}にありません（年度の取り込み直しなど）。取り込めませんでした。",
            path=str(wb.path),
        )
    programs: list[ProgramReview] = []
    warnings: list[str] = []
    for p in meta.programs:
        now, row = current[p.program_id], wb.rows[p.program_id]
        sent_texts: dict[str, str] = sent[p.program_id]["texts"]
        fields = []
        for f in EDITABLE_FIELDS:
            returned = row.values[f]
            review = FieldReview(
                department=dep,
                program_id=p.program_id,
                field=f,
                state=classify(
                    sent=sent_texts[f], returned=returned, current=now.text(f), sent_hash=p.hashes[f]
                ),
                sent=sent_texts[f],
                returned=returned,
                current=now.text(f),
                limit=meta.limits.get(f),
            )
            if review.takes_returned and review.over_limit:
                warnings.append(
                    f"事業番号 {p.program_id} の{FIELD_LABELS[f]}は {len(returned)} 字で、"
                    f"上限の {review.limit} 字を超えています。"
                )
            if f == "name" and review.takes_returned and not returned.strip():
                review = dataclasses.replace(review, state="unchanged", returned=sent_texts[f])
                warnings.append(
                    f"事業番号 {p.program_id} の事務事業名が空になっていたため、変更として扱いません。"
                )
            fields.append(review)
        programs.append(
            ProgramReview(
                program_id=p.program_id,
                name=now.name,
                sent_revision=p.revision,
                current_revision=now.revision,
                fields=tuple(fields),
                comment=row.values["comment"].strip(),
            )
        )
    proposals = tuple(
        Proposal(
            department=dep,
            row=r.row,
            comment=r.values["comment"].strip(),
            **{k: r.values[k].strip() for k in ("program_id", *EDITABLE_FIELDS)},
        )  # fmt: skip
        for r in wb.extra_rows
    )
    return WorkbookReview(
        path=wb.path,
        fiscal_year=meta.fiscal_year,
        department=dep,
        sent_at=meta.sent_at,
        saved_at=wb.saved_at,
        programs=tuple(programs),
        proposals=proposals,
        warnings=tuple(warnings),
    )
