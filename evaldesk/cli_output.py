"""What the command line writes: tables for people, JSON and CSV for programs, and console safety."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from evaldesk.records import Program
from evaldesk.textnorm import csv_safe

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
CONSOLE_ERRORS = "evaldesk.console"
"""Encoding error handler for text on a console that cannot show a character: 〓 where it can, else ?."""


def _console_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    try:
        "〓".encode(exc.encoding)
        mark = "〓"
    except (UnicodeError, LookupError):
        mark = "?"
    return mark * (exc.end - exc.start), exc.end


codecs.register_error(CONSOLE_ERRORS, _console_replace)


def make_console_safe() -> None:
    """Text for people never dies on a character the console's encoding lacks (cp932 and 𠮷, emoji,
    file names with undecodable bytes); it shows a replacement mark instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on some test doubles
        if reconfigure is not None:
            try:
                reconfigure(errors=CONSOLE_ERRORS)
            except (ValueError, OSError):
                pass


def write_utf8(text: str) -> None:
    """Machine formats are UTF-8 whatever the console's encoding (a Windows pipe is cp932)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # an in-memory text stream (tests): it has no encoding to get wrong
        sys.stdout.write(text)
        return
    data = memoryview(text.encode("utf-8", errors="surrogateescape"))
    while data:  # a pipe may take only part of a large write; the rest must follow (or fail loudly)
        written = buffer.write(data)
        data = data[written or 0 :]
    buffer.flush()


def csv_text(rows: Iterable[dict[str, Any]], fieldnames: Sequence[str]) -> str:
    buf = io.StringIO()
    # CRLF as RFC 4180 and the CSV export: a cell holding a lone CR is then quoted, not split.
    w = csv.DictWriter(buf, fieldnames=list(fieldnames), lineterminator="\r\n")
    w.writeheader()
    w.writerows({k: csv_safe(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def json_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, columns: int) -> str:
    """``text`` on one line in ``columns`` terminal columns: cut with 「…」 or padded."""
    text = text.replace("\n", " ")
    out, w = "", 0
    for ch in text:
        cw = width(ch)
        if w + cw > columns:
            return out + "…"
        out, w = out + ch, w + cw
    return out + " " * (columns - w)


def program_dict(p: Program) -> dict[str, Any]:
    return {k: getattr(p, k) for k in JSON_KEYS}


def print_programs(programs: Sequence[Program], fmt: str) -> None:
    if fmt == "json":
        write_utf8(json_text([program_dict(p) for p in programs]))
    elif fmt == "csv":
        write_utf8(csv_text((program_dict(p) for p in programs), JSON_KEYS))
    else:
        print(f"{'No.':>4} {cut('事業番号', 8)} {cut('事務事業名', 40)} {cut('部署名', 24)} 版")
        for p in programs:
            no = "" if p.no is None else str(p.no)
            print(f"{no:>4} {cut(p.program_id, 8)} {cut(p.name, 40)} {cut(p.department, 24)} {p.revision}")
        print(f"{len(programs)} 件")


def progress_printer() -> Callable[[int, int], None]:
    interactive = sys.stderr.isatty()

    def report(done: int, total: int) -> None:
        if interactive:
            sys.stderr.write(f"\r{done}/{total} ページ")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return report
