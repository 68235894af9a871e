"""Command line: `evaldesk [--db PATH_OR_URL] COMMAND`, a thin client of the Desk facade.

One function per command (``COMMANDS``); each receives the open Desk and the parsed arguments and
returns the exit code. Errors become one sentence through ``evaldesk.messages.user_message``; the
wording about this program's own flags (``--replace``, ``--year``, ``evaldesk restore``) is added here.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evaldesk.cli_output import (
    JSON_KEYS,
    json_text,
    make_console_safe,
    print_programs,
    progress_printer,
    write_utf8,
)
from evaldesk.cli_parser import argv_with_free_text, build_parser
from evaldesk.errors import (
    DatabaseDamagedError,
    DoubtfulCellsError,
    EvaldeskError,
    StaleRevisionError,
    YearExistsError,
    YearMismatchError,
    YearMissingError,
)
from evaldesk.fiscal_year import era_label, parse_year
from evaldesk.logs import setup_logging
from evaldesk.messages import Problem, problem_of, user_message
from evaldesk.records import ParsedTable

if TYPE_CHECKING:
    from evaldesk.desk import Desk

__all__ = ["COMMANDS", "JSON_KEYS", "build_parser", "main", "run"]

log = logging.getLogger("evaldesk.cli")
DOING = {
    "import": "取り込み",
    "list": "一覧の表示",
    "years": "年度の表示",
    "edit": "保存",
    "export": "書き出し",
    "compare": "比較",
    "history": "履歴の表示",
    "backup": "バックアップ",
    "restore": "復元",
    "link": "対応付け",
    "send": "送付",
    "collect": "回収",
}
"""What the user was doing, for the error sentence (「書き出しに失敗しました。…」)."""


def _latest_year(desk: Desk) -> int:
    years = desk.years()
    if not years:
        raise EvaldeskError("まだ年度が取り込まれていません。evaldesk import FILE.pdf で取り込んでください。")
    return int(years[0].year)


def _print_doubts(table: ParsedTable) -> None:
    """How many cells were checked and, one line each, the cells to compare with the PDF."""
    n = len(table.doubts)
    print(
        f"確認: {table.cells_checked} セルを確かめ、"
        + (f"{n} か所は PDF と見比べる必要があります。" if n else "疑わしいセルはありませんでした。")
    )
    for d in table.doubts:
        page = f"{d.page + 1} ページ目、" if d.page is not None else ""
        shown = " ".join(d.text.split())
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        print(f"  要確認: {d.label}（{page}読み取り「{shown}」）: {d.reason}")


def _ask_year() -> int | None:
    """Neither --year nor a title year: ask at the terminal (scripts get the error instead)."""
    if not sys.stdin.isatty():
        return None
    for _ in range(3):
        try:
            answer = input("年度を入力してください（例: 2024, R6, 令和6年度）: ")
        except EOFError:
            return None
        try:
            return parse_year(answer)
        except EvaldeskError as exc:
            print(exc, file=sys.stderr)
    return None


# -- one function per command ------------------------------------------------------------------
def cmd_import(desk: Desk, args: argparse.Namespace) -> int:
    table = desk.parse_pdf(args.file, password=args.password, progress=progress_printer())
    year = args.year or table.title_year or _ask_year()
    _print_doubts(table)
    s = desk.import_pdf(
        args.file,
        year=year,
        replace=args.replace,
        dry_run=args.dry_run,
        parsed=table,
        accept_warnings=args.accept_warnings,
    )
    if s.dry_run:
        verb = "確認しました（書き込みなし）"
    else:
        verb = "置き換えました" if s.replaced else "取り込みました"
    print(
        f"{s.file_name}: {era_label(s.fiscal_year)} {s.programs} 事業、{s.pages} ページを{verb}。"
        f"警告 {len(s.warnings)} 件"
    )
    for w in s.warnings:
        print(f"  警告: {w}")
    if s.dry_run and s.doubts and not args.accept_warnings:
        raise DoubtfulCellsError(s.doubts, cells_checked=s.cells_checked)
    return 0


def cmd_list(desk: Desk, args: argparse.Namespace) -> int:
    year = args.year or _latest_year(desk)
    print_programs(desk.programs(year, args.search, department=args.department), args.format)
    return 0


def cmd_years(desk: Desk, args: argparse.Namespace) -> int:
    for y in desk.years():
        print(f"{y.year}\t{y.label}\t{y.programs} 事業\t{y.source_file or ''}")
    return 0


def cmd_edit(desk: Desk, args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        ch = desk.update_program(args.year, args.program, {args.field: text}, if_revision=args.if_revision)
    except StaleRevisionError as exc:
        # The refused text is not lost: it goes to standard output for the user to keep.
        print(f"保存されなかった文章（{args.field}）:")
        print(exc.rejected.get(args.field, ""))
        raise
    state = "を保存しました" if ch.changed_fields else "は変わっていません"
    print(f"事業番号 {args.program} の {args.field} {state}（版 {ch.program.revision}）。")
    return 0


def cmd_export(desk: Desk, args: argparse.Namespace) -> int:
    year = args.year or _latest_year(desk)
    suffix = args.out.suffix.lower()
    fmt = args.format or (suffix.lstrip(".") if suffix in (".csv", ".xlsx") else "pdf")
    r = desk.export(
        year, args.out, layout=args.layout, fmt=fmt, program_ids=args.program, department=args.department
    )
    # CSV and Excel have no pages: say only what a user can check.
    pages = f"、{r.pages} ページ" if r.pages else ""
    print(f"{r.path}: {r.programs} 事業{pages}を書き出しました。")
    for w in r.warnings:
        print(f"  警告: {w}", file=sys.stderr)
    return 0


def cmd_compare(desk: Desk, args: argparse.Namespace) -> int:
    from evaldesk.compare import comparison_to_json, comparison_to_text

    c = desk.compare(args.from_year, args.to_year)
    if args.format == "json":
        write_utf8(json_text(comparison_to_json(c)))
    else:
        print(comparison_to_text(c))
    if args.out:
        desk.write_comparison_pdf(c, args.out)
        print(f"{args.out} に比較表を書き出しました。", file=sys.stderr)
    return 0


def cmd_history(desk: Desk, args: argparse.Namespace) -> int:
    entries = desk.history(args.year, args.program)
    if args.format == "json":
        keys = (
            "id",
            "fiscal_year",
            "program_id",
            "field",
            "old",
            "new",
            "at",
            "user",
            "how",
            "revision",
            "source",
        )
        rows = [{k: getattr(e, k) for k in keys} | {"at": e.at.isoformat()} for e in entries]
        write_utf8(json_text(rows))
        return 0
    for e in entries:
        print(
            f"[{e.id}] {e.at:%Y-%m-%d %H:%M} {e.user} {e.how} 事業番号 {e.program_id} "
            f"{e.field} 版{e.revision}" + (f"（{e.source}）" if e.source else "")
        )
        print(f"  旧: {e.old if e.old is not None else '（なし）'}")
        print(f"  新: {e.new if e.new is not None else '（なし）'}")
    if not entries:
        print("履歴はありません。")
    return 0


def cmd_backup(desk: Desk, args: argparse.Namespace) -> int:
    print(desk.backup(reason="manual"))
    return 0


def cmd_restore(desk: Desk, args: argparse.Namespace) -> int:
    safety = desk.restore(args.file)
    print(f"{args.file} から復元しました。復元前の状態は {safety} に保存しました。")
    return 0


def cmd_link(desk: Desk, args: argparse.Namespace) -> int:
    link = desk.add_link(
        from_year=args.from_year,
        from_program_id=args.from_id,
        to_year=args.to_year,
        to_program_id=args.to_id,
        note=args.note,
    )
    print(f"対応付けました: {link.from_year} {link.from_program_id} → {link.to_year} {link.to_program_id}")
    return 0


def cmd_send(desk: Desk, args: argparse.Namespace) -> int:
    from evaldesk.cli_round import cmd_send as send

    return send(desk, args)


def cmd_collect(desk: Desk, args: argparse.Namespace) -> int:
    from evaldesk.cli_round import cmd_collect as collect

    return collect(desk, args)


Command = Callable[["Desk", argparse.Namespace], int]
COMMANDS: dict[str, Command] = {
    "import": cmd_import,
    "list": cmd_list,
    "years": cmd_years,
    "edit": cmd_edit,
    "export": cmd_export,
    "compare": cmd_compare,
    "history": cmd_history,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "link": cmd_link,
    "send": cmd_send,
    "collect": cmd_collect,
}


def run(args: argparse.Namespace) -> int:
    from evaldesk.desk import Desk

    with Desk(args.db) as desk:
        return COMMANDS[args.command](desk, args)


# -- errors and the entry point ----------------------------------------------------------------
def _cli_hint(exc: BaseException) -> str:
    """What to type next, in this program's own flags; the core's sentences do not know them."""
    if isinstance(exc, YearExistsError):
        return "置き換えるには --replace を指定してください。"
    if isinstance(exc, DoubtfulCellsError | YearMismatchError):
        return "確かめた上でこのまま取り込むには --accept-warnings を付けてください。"
    if isinstance(exc, YearMissingError):
        return "--year で指定してください（例: --year 令和6）。"
    if isinstance(exc, DatabaseDamagedError) or problem_of(exc) is Problem.CORRUPT:
        try:
            from evaldesk.paths import data_dir

            where = f"（バックアップの場所: {data_dir() / 'backups'}）"
        except OSError:
            where = ""
        return f"evaldesk restore バックアップファイル で復元できます{where}。"
    return ""


def error_line(exc: BaseException, *, command: str, log_file: Path | None, place: Path | None = None) -> str:
    """The one line a failed command prints: the shared sentence plus the command line's hint."""
    message = user_message(exc, doing=DOING.get(command, "処理"), log_file=log_file, place=place)
    hint = _cli_hint(exc)
    return f"エラー: {message}{hint}".replace("\n", " ")


def _database_file(db: str | None) -> Path | None:
    """The SQLite file the command used, if any (its disk may be the full one)."""
    from evaldesk.db.engine import sqlite_path
    from evaldesk.paths import resolve_db_url

    try:
        return sqlite_path(resolve_db_url(db))
    except OSError:
        return None


def _quiet_broken_pipe() -> int:
    """`evaldesk list | head`: the reader left; stop like other Unix tools, without a message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 128 + int(getattr(signal, "SIGPIPE", 13)) if os.name != "nt" else 1


def main(argv: Sequence[str] | None = None) -> int:
    make_console_safe()
    parser = build_parser()
    args = parser.parse_args(argv_with_free_text(sys.argv[1:] if argv is None else argv))
    log_file = setup_logging()
    if args.self_test:
        from evaldesk.selftest import run_self_test

        return run_self_test()
    if not args.command:
        parser.print_usage(sys.stderr)
        print(f"evaldesk: error: a command is required ({', '.join(COMMANDS)})", file=sys.stderr)
        return 2
    try:
        code = run(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback on the user's screen; the log keeps it
        if isinstance(exc, EvaldeskError) and problem_of(exc) is Problem.UNEXPECTED:
            log.info("error: %s", exc, exc_info=True)
        else:
            log.exception("%s failed", args.command)
        line = error_line(exc, command=args.command, log_file=log_file, place=_database_file(args.db))
        print(line, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
