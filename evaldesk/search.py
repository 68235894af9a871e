"""Program search: width-insensitive substring match; FTS5 trigram for 3+ characters on SQLite."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select, text

from evaldesk.db.models import ProgramRow
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
        if fts and len(term) >= 3:
            # The trigram index answers 3+ character terms; shorter ones fall back to LIKE below.
            phrase = '"' + term.replace('"', '""') + '"'
            conds.append(
                ProgramRow.id.in_(
                    select(text("rowid"))
                    .select_from(text("programs_fts"))
                    .where(text(f"programs_fts MATCH :q{i}").bindparams(**{f"q{i}": phrase}))
                )
            )
        else:
            conds.append(ProgramRow.search_text.like(f"%{_like_escape(term)}%", escape="\\"))
    return and_(*conds)
