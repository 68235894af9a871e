"""The yearly revision round with Excel: send each 部署 its programs, read the answers back, review."""

from __future__ import annotations

from evaldesk.roundtrip.records import (
    DEFAULT_LIMITS,
    EDITABLE_FIELDS,
    STATE_LABELS,
    AcceptResult,
    DepartmentRound,
    FieldKey,
    FieldReview,
    ProgramReview,
    Proposal,
    Refusal,
    Review,
    SentWorkbook,
    WorkbookReview,
)

__all__ = [
    "DEFAULT_LIMITS",
    "EDITABLE_FIELDS",
    "STATE_LABELS",
    "AcceptResult",
    "DepartmentRound",
    "FieldKey",
    "FieldReview",
    "ProgramReview",
    "Proposal",
    "Refusal",
    "Review",
    "SentWorkbook",
    "WorkbookReview",
]
