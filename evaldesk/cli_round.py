"""The revision round on the command line: ``evaldesk send`` and ``evaldesk collect``."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaldesk.cli_output import json_text, write_utf8
from evaldesk.errors import EvaldeskError, NotFoundError
from evaldesk.fiscal_year import era_label
from evaldesk.records import FIELD_LABELS

if TYPE_CHECKING:
    from evaldesk.desk import Desk
    from evaldesk.roundtrip import AcceptResult, FieldReview, Review

STATES_IN_JSON = ("unchanged", "changed", "conflict", "rejected")


def _date(text: str) -> date:
    m = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"日付「{text}」が読み取れません（例: 2025-01-15）。")


def add_parsers(sub: Any, year_type: Callable[[str], int]) -> None:
    se = sub.add_parser("send", help="write one workbook per department for the yearly revision")
    se.add_argument("--year", type=year_type, required=True)
    se.add_argument("--department", nargs="+", default=[], metavar="TEXT", help="only these departments")
    se.add_argument("--out", type=Path, required=True, metavar="FOLDER")
    se.add_argument(
        "--due", type=_date, metavar="DATE", help="return date shown in the workbook (2025-01-15)"
    )
    se.add_argument("--return-to", default="", metavar="TEXT", help="whom to return it to")

    co = sub.add_parser("collect", help="read returned workbooks and report (or store) the changes")
    co.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    co.add_argument("--year", type=year_type, help="refuse workbooks of another year")
    co.add_argument("--accept", choices=("all", "changed", "none"), default="none")
    co.add_argument("--format", choices=("json", "text"), default="text")


def _departments(desk: Desk, year: int, wanted: list[str]) -> list[str] | None:
    """Exact names, or every 部署 whose name contains the text (as ``list --department``)."""
    if not wanted:
        return None
    known = desk.departments(year)
    out: list[str] = []
    for text in wanted:
        found = [text] if text in known else [d for d in known if text in d]
        if not found:
            raise NotFoundError(f"{era_label(year)}に「{text}」を含む部署はありません。")
        out += [d for d in found if d not in out]
    return out


def cmd_send(desk: Desk, args: argparse.Namespace) -> int:
    departments = _departments(desk, args.year, args.department)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EvaldeskError(f"フォルダ {args.out} を作れません（{exc.strerror or exc}）。") from exc
    sent = desk.send_workbooks(
        args.year, departments, out_dir=args.out, due=args.due, return_to=args.return_to
    )
    for w in sent:
        print(f"{w.path}: {w.department} {w.programs} 事業")
    print(f"{era_label(args.year)} {len(sent)} 部署に送付するブックを書き出しました。")
    return 0


def _accepted(review: Review, mode: str) -> list[tuple[str, str, str]]:
    if mode == "none":
        return []
    states = ("changed", "conflict") if mode == "all" else ("changed",)
    return [f.key for f in review.changes if f.state in states]


def _json_state(f: FieldReview, mode: str, result: AcceptResult | None) -> str:
    if result is not None and f.key in result.rejected:
        return "rejected"
    return f.state if f.state in STATES_IN_JSON else "unchanged"  # "local": the 課 left it as sent


def cmd_collect(desk: Desk, args: argparse.Namespace) -> int:
    review = desk.collect_workbooks(args.paths, year=args.year)
    if not review.workbooks and not review.refused:
        raise NotFoundError("回収するブック（.xlsx）が見つかりません。")
    result = desk.accept_returns(review, _accepted(review, args.accept)) if args.accept != "none" else None
    fields = [f for w in review.workbooks for p in w.programs for f in p.fields]
    if args.format == "json":
        rows = [
            {"program_id": f.program_id, "field": f.field, "state": _json_state(f, args.accept, result),
             "sent": f.sent, "returned": f.returned, "current": f.current}
            for f in fields
        ]  # fmt: skip
        write_utf8(json_text(rows))
    else:
        _print_text(review, args.accept, result)
    for w in review.workbooks:
        for warning in w.warnings:
            print(f"  警告: {w.file_name}: {warning}", file=sys.stderr)
    for r in review.refused:
        print(f"エラー: {r.message}", file=sys.stderr)
    if result is not None:
        for line in (*result.stale, *result.warnings):
            print(f"  警告: {line}", file=sys.stderr)
    return 1 if review.refused or (result is not None and result.stale) else 0


_TEXT_STATES = {"changed": "課が変更", "conflict": "競合（両方で変更）", "local": "evaldesk で変更済み"}


def _print_text(review: Review, mode: str, result: AcceptResult | None) -> None:
    for w in review.workbooks:
        changes = [f for p in w.programs for f in p.fields if f.state != "unchanged"]
        print(
            f"{w.file_name}: {w.department}（{era_label(w.fiscal_year)}、{len(w.programs)} 事業、{w.saved_at:%Y-%m-%d} 保存）"
        )
        for f in changes:
            mark = ""
            if result is not None and f.takes_returned:
                mark = "　→ 保存しました" if f.key in result.stored else "　→ 保存していません"
            print(f"  事業番号 {f.program_id} {FIELD_LABELS[f.field]}: {_TEXT_STATES[f.state]}{mark}")
        for p in w.programs:
            if p.comment:
                print(f"  事業番号 {p.program_id} 意見: {p.comment}")
        for pr in w.proposals:
            print(f"  新しい事業の提案（{pr.row} 行目）: {pr.name or '（名称なし）'}　※保存はしません")
        if not changes:
            print("  変更はありません。")
    if result is not None:
        print(f"{len(result.stored)} 件を保存しました。保存しなかった変更 {len(result.rejected)} 件。")
