"""The command line's arguments: `evaldesk [--db PATH_OR_URL] COMMAND ...` (argparse)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaldesk import __version__
from evaldesk.errors import EvaldeskError
from evaldesk.fiscal_year import parse_year
from evaldesk.records import TEXT_FIELDS

FREE_TEXT_OPTIONS = ("--text", "--note", "--search", "--department", "--password", "--return-to")
"""Options whose value is the user's text, which may start with '-' (``--text -2+3``)."""


def _year(text: str) -> int:
    try:
        return parse_year(text)
    except EvaldeskError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="evaldesk", description="事務事業評価の表を取り込み・編集・印刷・比較します。"
    )
    p.add_argument("--version", action="version", version=f"evaldesk {__version__}")
    p.add_argument(
        "--db", metavar="PATH_OR_URL", help="database file or URL (default: EVALDESK_DB or the per-user file)"
    )
    p.add_argument("--self-test", action="store_true", help="check the installation and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    _add_data_commands(sub)
    _add_output_commands(sub)

    from evaldesk.cli_round import add_parsers as add_round_parsers

    add_round_parsers(sub, _year)
    return p


def _add_data_commands(sub: Any) -> None:
    """import, list, years, edit."""
    imp = sub.add_parser("import", help="import a published table PDF")
    imp.add_argument("file", type=Path)
    imp.add_argument("--year", type=_year, help="fiscal year: 2024, R6, 令和6, 令和６年度")
    imp.add_argument(
        "--replace", action="store_true", help="replace a year already imported (old texts go to history)"
    )
    imp.add_argument("--password", help="password to open the PDF")
    imp.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
    imp.add_argument(
        "--accept-warnings",
        action="store_true",
        help="store even if some cells may have been read wrong (they are listed; check them first)",
    )

    ls = sub.add_parser("list", help="list programs")
    ls.add_argument("--year", type=_year)
    ls.add_argument("--department")
    ls.add_argument("--search", default="")
    ls.add_argument("--format", choices=("table", "json", "csv"), default="table")

    sub.add_parser("years", help="list imported fiscal years")

    ed = sub.add_parser("edit", help="change one text of a program")
    ed.add_argument("--year", type=_year, required=True)
    ed.add_argument("--program", required=True, metavar="ID")
    ed.add_argument("--field", choices=TEXT_FIELDS, required=True)
    ed.add_argument("--text", required=True, help="new text ('-' reads standard input)")
    ed.add_argument(
        "--if-revision", type=int, metavar="N", help="refuse if the program is no longer at revision N"
    )


def _add_output_commands(sub: Any) -> None:
    """export, compare, history, backup, restore, link."""
    ex = sub.add_parser("export", help="write the list or evaluation sheets")
    ex.add_argument("--year", type=_year)
    ex.add_argument("--program", nargs="+", default=[], metavar="ID")
    ex.add_argument("--department")
    ex.add_argument("--layout", choices=("list", "sheet"), default="list")
    ex.add_argument("--format", choices=("pdf", "csv", "xlsx"), default=None)
    ex.add_argument("--out", type=Path, required=True)

    cmp_ = sub.add_parser("compare", help="compare two fiscal years")
    cmp_.add_argument("from_year", type=_year)
    cmp_.add_argument("to_year", type=_year)
    cmp_.add_argument("--format", choices=("json", "text"), default="text")
    cmp_.add_argument("--out", type=Path, help="also write a printable PDF report")

    hi = sub.add_parser("history", help="show the history of a program's texts")
    hi.add_argument("--year", type=_year, required=True)
    hi.add_argument("--program", metavar="ID")
    hi.add_argument("--format", choices=("json", "text"), default="text")

    sub.add_parser("backup", help="copy the database to the backup folder")
    rs = sub.add_parser(
        "restore", help="replace the database with a backup (the current one is backed up first)"
    )
    rs.add_argument("file", type=Path)

    ln = sub.add_parser("link", help="link a renumbered or merged program between two years")
    ln.add_argument("--from-year", type=_year, required=True)
    ln.add_argument("--from", dest="from_id", required=True, metavar="ID")
    ln.add_argument("--to-year", type=_year, required=True)
    ln.add_argument("--to", dest="to_id", required=True, metavar="ID")
    ln.add_argument("--note", default="")


def argv_with_free_text(argv: Sequence[str]) -> list[str]:
    """``--text -2+3`` → ``--text=-2+3``: argparse would take a value starting with '-' for an option."""
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        item = items[i]
        if item == "--":
            out += items[i:]
            break
        if item in FREE_TEXT_OPTIONS and i + 1 < len(items) and items[i + 1].startswith("-"):
            nxt = items[i + 1]
            if nxt == "-" or not nxt.startswith("--") or " " in nxt:
                out.append(f"{item}={nxt}")
                i += 2
                continue
        out.append(item)
        i += 1
    return out
