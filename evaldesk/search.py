"""Program search: width-insensitive substring match; FTS5 trigram for 3+ characters on SQLite.

A term also finds a program by its 事業番号 (``158`` or ``１５８``) and by its department's name
(``市長公室``, ``秘書課``); the statement must join ``DepartmentRow`` (``queries.program_select`` does).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_, select, text

from evaldesk.db.models import DepartmentRow, ProgramRow
from evaldesk.textnorm import fold_for_search

SEARCH_FIELDS: tuple[str, ...] = ("name", "purpose", "overview", "outcome")


def search_text_of(*, name: str, purpose: str, overview: str, outcome: str) -> str:
    """The folded text a program is found by (name and the three texts)."""
    return fold_for_search("\n".join((name, purpose, overview, outcome)))


def terms_of(query: str) -> list[str]:
    return [t for t in fold_for_search(query).split() if t]


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(query: str, *, fts: bool) -> ColumnElement[bool] | None:
    """A WHERE condition matching every whitespace-separated term of ``query``; None for no query."""
    terms = terms_of(query)
    if not terms:
        return None
    conds: list[ColumnElement[bool]] = []
    for i, term in enumerate(terms):
        conds.append(or_(_text_condition(i, term, fts=fts), *_id_and_department(term)))
    return and_(*conds)


def _id_and_department(term: str) -> list[ColumnElement[bool]]:
    """The term as a 事業番号 (exactly, width-folded) and inside the department's name."""
    pattern = f"%{_like_escape(term)}%"
    return [
        func.lower(ProgramRow.program_id) == term,
        func.lower(DepartmentRow.name).like(pattern, escape="\\"),
    ]


def _text_condition(i: int, term: str, *, fts: bool) -> ColumnElement[bool]:
    """The term inside the name or one of the three texts."""
    if fts and len(term) >= 3:
        # The trigram index answers 3+ character terms; shorter ones fall back to LIKE below.
        phrase = '"' + term.replace('"', '""') + '"'
        return ProgramRow.id.in_(
            select(text("rowid"))
            .select_from(text("programs_fts"))
            .where(text(f"programs_fts MATCH :q{i}").bindparams(**{f"q{i}": phrase}))
        )
    return ProgramRow.search_text.like(f"%{_like_escape(term)}%", escape="\\")
