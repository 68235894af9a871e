"""Command line: `evaldesk [--db PATH_OR_URL] COMMAND`, a thin client of the Desk facade."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evaldesk import __version__
from evaldesk.errors import DoubtfulCellsError, EvaldeskError, StaleRevisionError, YearMismatchError
from evaldesk.fiscal_year import era_label, parse_year
from evaldesk.logs import setup_logging
from evaldesk.records import TEXT_FIELDS, ParsedTable, Program

log = logging.getLogger("evaldesk.cli")
JSON_KEYS = (
    "fiscal_year",
    "no",
    "program_id",
    "name",
    "department",
    "purpose",
    "overview",
    "outcome",
    "revision",
)


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
    return p


def _latest_year(desk: Any) -> int:
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


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    out, w = "", 0
    for ch in text:
        cw = _width(ch)
        if w + cw > width:
            return out + "…"
        out, w = out + ch, w + cw
    return out + " " * (width - w)


def _program_dict(p: Program) -> dict[str, Any]:
    return {k: getattr(p, k) for k in JSON_KEYS}


def _print_programs(programs: Sequence[Program], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([_program_dict(p) for p in programs], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(JSON_KEYS), lineterminator="\n")
        w.writeheader()
        w.writerows(_program_dict(p) for p in programs)
        sys.stdout.write(buf.getvalue())
    else:
        print(f"{'No.':>4} {_cut('事業番号', 8)} {_cut('事務事業名', 40)} {_cut('部署名', 24)} 版")
        for p in programs:
            no = "" if p.no is None else str(p.no)
            print(f"{no:>4} {_cut(p.program_id, 8)} {_cut(p.name, 40)} {_cut(p.department, 24)} {p.revision}")
        print(f"{len(programs)} 件")


def _progress_printer() -> Callable[[int, int], None]:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if interactive:
            sys.stderr.write(f"\r{done}/{total} ページ")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report


def run(args: argparse.Namespace) -> int:
    from evaldesk.desk import Desk

    with Desk(args.db) as desk:
        cmd = args.command
        if cmd == "import":
            table = desk.parse_pdf(args.file, password=args.password, progress=_progress_printer())
            year = args.year or table.title_year or _ask_year()
            _print_doubts(table)
            try:
                s = desk.import_pdf(
                    args.file,
                    year=year,
                    replace=args.replace,
                    dry_run=args.dry_run,
                    parsed=table,
                    accept_warnings=args.accept_warnings,
                )
            except (DoubtfulCellsError, YearMismatchError) as exc:
                raise EvaldeskError(
                    f"{exc} 確かめた上でこのまま取り込むには --accept-warnings を付けてください。"
                ) from exc
            verb = (
                "確認しました（書き込みなし）"
                if s.dry_run
                else ("置き換えました" if s.replaced else "取り込みました")
            )
            print(
                f"{s.file_name}: {era_label(s.fiscal_year)} {s.programs} 事業、{s.pages} ページを{verb}。"
                f"警告 {len(s.warnings)} 件"
            )
            for w in s.warnings:
                print(f"  警告: {w}")
            if s.dry_run and s.doubts and not args.accept_warnings:
                raise DoubtfulCellsError(s.doubts, cells_checked=s.cells_checked)
        elif cmd == "list":
            year = args.year or _latest_year(desk)
            _print_programs(desk.programs(year, args.search, department=args.department), args.format)
        elif cmd == "years":
            for y in desk.years():
                print(f"{y.year}\t{y.label}\t{y.programs} 事業\t{y.source_file or ''}")
        elif cmd == "edit":
            text = sys.stdin.read() if args.text == "-" else args.text
            try:
                ch = desk.update_program(
                    args.year, args.program, {args.field: text}, if_revision=args.if_revision
                )
            except StaleRevisionError as exc:
                # The refused text is not lost: it goes to standard output for the user to keep.
                print(f"保存されなかった文章（{args.field}）:")
                print(exc.rejected.get(args.field, ""))
                raise
            if ch.changed_fields:
                print(f"事業番号 {args.program} の {args.field} を保存しました（版 {ch.program.revision}）。")
            else:
                print(
                    f"事業番号 {args.program} の {args.field} は変わっていません（版 {ch.program.revision}）。"
                )
        elif cmd == "export":
            year = args.year or _latest_year(desk)
            fmt = args.format or (
                args.out.suffix.lower().lstrip(".") if args.out.suffix.lower() in (".csv", ".xlsx") else "pdf"
            )
            r = desk.export(
                year,
                args.out,
                layout=args.layout,
                fmt=fmt,
                program_ids=args.program,
                department=args.department,
            )
            # CSV and Excel have no pages: say only what a user can check.
            pages = f"、{r.pages} ページ" if r.pages else ""
            print(f"{r.path}: {r.programs} 事業{pages}を書き出しました。")
            for w in r.warnings:
                print(f"  警告: {w}", file=sys.stderr)
        elif cmd == "compare":
            from evaldesk.compare import comparison_to_json, comparison_to_text

            c = desk.compare(args.from_year, args.to_year)
            if args.format == "json":
                print(json.dumps(comparison_to_json(c), ensure_ascii=False, indent=1))
            else:
                print(comparison_to_text(c))
            if args.out:
                desk.write_comparison_pdf(c, args.out)
                print(f"{args.out} に比較表を書き出しました。", file=sys.stderr)
        elif cmd == "history":
            entries = desk.history(args.year, args.program)
            if args.format == "json":
                print(
                    json.dumps(
                        [
                            {
                                "id": e.id,
                                "fiscal_year": e.fiscal_year,
                                "program_id": e.program_id,
                                "field": e.field,
                                "old": e.old,
                                "new": e.new,
                                "at": e.at.isoformat(),
                                "user": e.user,
                                "how": e.how,
                                "revision": e.revision,
                            }
                            for e in entries
                        ],
                        ensure_ascii=False,
                        indent=1,
                    )
                )
            else:
                for e in entries:
                    print(
                        f"[{e.id}] {e.at:%Y-%m-%d %H:%M} {e.user} {e.how} 事業番号 {e.program_id} "
                        f"{e.field} 版{e.revision}"
                    )
                    print(f"  旧: {e.old if e.old is not None else '（なし）'}")
                    print(f"  新: {e.new if e.new is not None else '（なし）'}")
                if not entries:
                    print("履歴はありません。")
        elif cmd == "backup":
            print(desk.backup(reason="manual"))
        elif cmd == "restore":
            safety = desk.restore(args.file)
            print(f"{args.file} から復元しました。復元前の状態は {safety} に保存しました。")
        elif cmd == "link":
            link = desk.add_link(
                from_year=args.from_year,
                from_program_id=args.from_id,
                to_year=args.to_year,
                to_program_id=args.to_id,
                note=args.note,
            )
            print(
                f"対応付けました: {link.from_year} {link.from_program_id} → {link.to_year} {link.to_program_id}"
            )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_file = setup_logging()
    if args.self_test:
        from evaldesk.selftest import run_self_test

        return int(run_self_test(gui=False))
    if not args.command:
        parser.print_usage(sys.stderr)
        print(
            "evaldesk: error: a command is required (import, list, years, edit, export, compare, history, "
            "backup, restore, link)",
            file=sys.stderr,
        )
        return 2
    try:
        return run(args)
    except EvaldeskError as exc:
        log.info("error: %s", exc, exc_info=True)
        print(f"エラー: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("中断しました。", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback on the user's screen; the log keeps it
        log.exception("unexpected error")
        print(
            f"エラー: 予期しない問題が起きました（{type(exc).__name__}）。詳細はログ {log_file} にあります。",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
