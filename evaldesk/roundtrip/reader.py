"""Read a returned workbook: check it is one evaldesk sent and unharmed, take its editable cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from evaldesk.roundtrip import layout
from evaldesk.roundtrip.errors import (
    LockedCellsChangedError,
    MetaChangedError,
    NotAWorkbookError,
    NotFromEvaldeskError,
    ReturnError,
    SaveAsXlsxError,
)
from evaldesk.roundtrip.meta import (
    SHEET,
    Meta,
    MetaDigestError,
    MetaFormatError,
    cell_text,
    parse_rows,
    text_hash,
)
from evaldesk.roundtrip.records import EDITABLE_FIELDS
from evaldesk.roundtrip.xlsx import XlsxError, XlsxTooLargeError, read_xlsx

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected .xlsx


@dataclass(frozen=True, slots=True)
class ReturnedRow:
    row: int
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class ReturnedWorkbook:
    """The cells of a returned workbook that evaldesk cares about, checked against its hidden sheet."""

    path: Path
    meta: Meta
    digest: str
    saved_at: datetime
    rows: dict[str, ReturnedRow]
    extra_rows: tuple[ReturnedRow, ...]


def read_returned(path: Path) -> ReturnedWorkbook:
    """Open and check one returned file; raise a ReturnError subclass with one sentence if it is bad."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReturnError(f"{name} を読めません（{exc.strerror or exc}）。", path=str(path)) from exc
    if data.startswith(_OLE2):
        raise SaveAsXlsxError(
            f"{name} はパスワード付きか古い形式（.xls）のため読めません。"
            "Excel で「名前を付けて保存」から、パスワードなしの Excel ブック（.xlsx）として保存し直してください。",
            path=str(path),
        )
    if not data.startswith(b"PK"):
        raise NotAWorkbookError(f"{name} は Excel ブック（.xlsx）ではありません。", path=str(path))
    try:
        book = read_xlsx(data, (SHEET, layout.PROGRAMS_SHEET))
    except XlsxTooLargeError as exc:
        raise NotAWorkbookError(
            f"{name} は展開すると {exc.size:,} バイトになり、返送されたブックとしては大きすぎるため読みませんでした。",
            path=str(path),
        ) from exc
    except XlsxError as exc:
        raise NotAWorkbookError(
            f"{name} は Excel ブック（.xlsx）として読めません（壊れているか別の形式です）。", path=str(path)
        ) from exc
    if SHEET not in book.sheet_names:
        raise NotFromEvaldeskError(
            f"{name} には evaldesk の管理用シートがありません。evaldesk が送付したブックではないか、"
            "シートが削除されています。送付したブックに記入してもらってください。",
            path=str(path),
        )
    meta = _meta(book.sheets.get(SHEET, []), path)
    if layout.PROGRAMS_SHEET not in book.sheets:
        raise LockedCellsChangedError(
            f"{name} に「{layout.PROGRAMS_SHEET}」シートがありません（削除か名前の変更）。", path=str(path)
        )
    grid = book.sheets[layout.PROGRAMS_SHEET]
    saved = book.modified
    rows, extra = _rows(grid, meta, path)
    saved_at = saved if isinstance(saved, datetime) else datetime.fromtimestamp(path.stat().st_mtime)
    return ReturnedWorkbook(
        path=path, meta=meta, digest=meta.digest(), saved_at=saved_at, rows=rows, extra_rows=extra
    )


def _meta(rows: list[list[Any]], path: Path) -> Meta:
    try:
        return parse_rows(rows)
    except (MetaFormatError, MetaDigestError) as exc:
        raise MetaChangedError(
            f"{path.name} の管理用シートが書き換えられています。送付したままのブックに記入してもらってください。",
            path=str(path),
        ) from exc


def _cell(grid: list[list[Any]], row: int, name: str) -> str:
    if row - 1 >= len(grid):
        return ""
    line = grid[row - 1]
    col = layout.COLUMN_OF[name] - 1
    return cell_text(line[col]) if col < len(line) else ""


def _values(grid: list[list[Any]], row: int) -> dict[str, str]:
    return {name: _cell(grid, row, name) for name in layout.COLUMNS}


def _rows(
    grid: list[list[Any]], meta: Meta, path: Path
) -> tuple[dict[str, ReturnedRow], tuple[ReturnedRow, ...]]:
    name = path.name
    ids_at = {r: _cell(grid, r, "program_id") for r in range(layout.FIRST_ROW, len(grid) + 1)}
    present = set(ids_at.values())
    sent_ids = {p.program_id for p in meta.programs}
    rows: dict[str, ReturnedRow] = {}
    for p in meta.programs:
        found = ids_at.get(p.row, "")
        if found != p.program_id:
            if p.program_id in present:
                why = f"行が削除されたか並べ替えられています（事業番号 {p.program_id} が {p.row} 行目にありません）"
            elif found and found not in sent_ids:
                why = f"事業番号が書き換えられています（{p.row} 行目: {p.program_id} → {found}）"
            else:
                why = f"事業番号 {p.program_id} の行が削除されています"
            raise LockedCellsChangedError(
                f"{name} は{why}。事業番号・部署名と行はそのままにしたブックを返してもらってください。",
                path=str(path),
            )
        values = _values(grid, p.row)
        if text_hash(values["department"]) != p.hashes["department"]:
            raise LockedCellsChangedError(
                f"{name} は {p.row} 行目の部署名が書き換えられています（事業番号 {p.program_id}）。"
                "所管の変更は意見欄に書いてもらってください。",
                path=str(path),
            )
        rows[p.program_id] = ReturnedRow(row=p.row, values=values)
    last = max((p.row for p in meta.programs), default=layout.FIRST_ROW - 1)
    extra: list[ReturnedRow] = []
    for r in range(last + 1, len(grid) + 1):
        values = _values(grid, r)
        if values["program_id"] == layout.PROPOSAL_LABEL:
            continue
        if any(values[f] for f in ("program_id", *EDITABLE_FIELDS, "comment")):
            extra.append(ReturnedRow(row=r, values=values))
    return rows, tuple(extra)
