"""Write one 部署's workbook: instructions, its programs (keys locked, texts editable), the hidden sheet."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaldesk.export.result import atomic_output
from evaldesk.fiscal_year import era_date, era_label
from evaldesk.records import FIELD_LABELS, Program
from evaldesk.roundtrip import layout
from evaldesk.roundtrip.meta import SHEET, Meta, clean, sheet_rows

_FONT = "BIZ UDゴシック"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
_EDIT_FILL = PatternFill("solid", fgColor="FFF8DC")
_HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(vertical="top", wrap_text=True)
_UNLOCKED = Protection(locked=False)
_BODY = Font(name=_FONT)
_BOLD = Font(name=_FONT, bold=True)
_TITLE = Font(name=_FONT, bold=True, size=14)


def write_workbook(path: Path, *, meta: Meta, programs: Sequence[Program]) -> None:
    """Write the workbook for ``meta.department`` (``programs`` in the order of ``meta.programs``)."""
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = layout.INSTRUCTIONS_SHEET
    _instructions(guide, meta, len(programs))
    sheet = wb.create_sheet(layout.PROGRAMS_SHEET)
    _programs(sheet, meta, programs)
    hidden = wb.create_sheet(SHEET)
    for row in sheet_rows(meta):
        hidden.append(row)
    hidden.sheet_state = "veryHidden"  # not even listed under Excel's "unhide"
    wb.security = WorkbookProtection(lockStructure=True)  # no password: sheets cannot be removed by mistake
    wb.properties.creator = "evaldesk"
    wb.properties.title = f"{era_label(meta.fiscal_year)} 事務事業 {meta.department}"
    with atomic_output(path) as tmp:
        wb.save(tmp)


def _instructions(ws: Worksheet, meta: Meta, count: int) -> None:
    limits = "、".join(f"{FIELD_LABELS[f]} {n}字" for f, n in meta.limits.items())
    due = era_date(meta.due) if meta.due else "（指定なし）"
    lines = [
        (f"{era_label(meta.fiscal_year)} 事務事業の見直しのお願い", True),
        (f"{meta.department} 御中（{count} 事業）", False),
        ("", False),
        (f"提出期限: {due}", True),
        (f"提出先: {meta.return_to or '（行政評価担当）'}", True),
        ("", False),
        ("1. 「事務事業」シートの黄色のセル（事務事業名・事業の目的・事業の概要・成果）を見直し、", False),
        ("   直すところだけ書き換えてください。変更がなければそのままで結構です。", False),
        (f"2. 文字数の上限は見出しにあります（{limits}）。超えると警告が出ます。", False),
        (
            "3. 事業番号と部署名は変えられません。所管が違うときは「担当課からの意見・連絡」欄に書いてください。",
            False,
        ),
        (
            "4. 行の削除・並べ替え、シートの削除・名前の変更はしないでください（取り込めなくなります）。",
            False,
        ),
        ("5. 新しい事業があるときは、表の下の「新しい事業の提案」の行に記入してください。", False),
        ("6. 保存は Excel ブック（.xlsx）形式で、パスワードを付けずに保存してください。", False),
        ("   ファイル名は変えてもかまいません。", False),
        ("", False),
        (f"送付日: {era_date(meta.sent_at.date())}　送付者: {meta.sent_by}", False),
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = _TITLE if i == 1 else _BOLD if bold else _BODY
        cell.alignment = _WRAP
        if len(text) > 34:  # rows are not refitted on opening: make room for the wrapped lines
            ws.row_dimensions[i].height = 16.0 * -(-len(text) // 34)
    ws.column_dimensions["A"].width = 72  # fits A4 portrait; longer lines wrap
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1  # printed whole on one A4 page, long lines wrapped
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True


def _programs(ws: Worksheet, meta: Meta, programs: Sequence[Program]) -> None:
    cols = layout.COLUMNS
    last_col = get_column_letter(len(cols))
    ws["A1"] = f"{era_label(meta.fiscal_year)} 事務事業 見直し票　{meta.department}"
    ws["A1"].font = _TITLE
    ws.merge_cells(f"A1:{last_col}1")
    for col, name in enumerate(cols, start=1):
        cell = ws.cell(row=2, column=col, value=layout.heading(name, meta.limits))
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = layout.WIDTHS[name]
    ws.row_dimensions[2].height = 32
    body = _BODY
    styles: dict[bool, Any] = {}
    row = layout.FIRST_ROW
    for row, program in enumerate(programs, start=layout.FIRST_ROW):
        values = {name: clean(program.text(name)) for name in cols if name != "comment"}
        values["comment"] = ""
        for col, name in enumerate(cols, start=1):
            cell = ws.cell(row=row, column=col, value=values[name])
            cell.data_type = "s"  # a text starting with "=" stays text
            locked = name in layout.LOCKED
            if locked in styles:  # copying a finished style is ~20x faster than setting four attributes
                cell._style = copy(styles[locked])
                continue
            cell.font = body
            cell.border = _BORDER
            cell.alignment = _WRAP
            cell.fill = _LOCKED_FILL if locked else _EDIT_FILL
            if not locked:
                cell.protection = _UNLOCKED
            styles[locked] = cell._style
        ws.row_dimensions[row].height = _height(values)
    last = _proposal_rows(ws, row + 1, body)
    _validations(ws, meta, last)
    ws.freeze_panes = "C3"
    ws.protection.sheet = True  # no password: nothing is secret, it only keeps keys from slips
    ws.protection.formatRows = False  # a 課 may still make a row taller to read a long text
    ws.protection.formatColumns = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"


def _proposal_rows(ws: Worksheet, label_row: int, body: Font) -> int:
    ws.cell(row=label_row, column=1, value=layout.PROPOSAL_LABEL).font = _BOLD
    ws.merge_cells(f"A{label_row}:{get_column_letter(len(layout.COLUMNS))}{label_row}")
    last = label_row + layout.PROPOSAL_ROWS
    first = ws.cell(row=label_row + 1, column=1)
    first.font = body
    first.border = _BORDER
    first.alignment = _WRAP
    first.fill = _EDIT_FILL
    first.protection = _UNLOCKED
    first.number_format = "@"
    for row in range(label_row + 1, last + 1):
        for col in range(1, len(layout.COLUMNS) + 1):
            ws.cell(row=row, column=col)._style = copy(first._style)
    return last


def _validations(ws: Worksheet, meta: Meta, last_row: int) -> None:
    for name, limit in meta.limits.items():
        if name not in layout.COLUMN_OF:
            continue
        letter = get_column_letter(layout.COLUMN_OF[name])
        dv = DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(limit),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="warning",
            errorTitle="文字数",
            error=f"{FIELD_LABELS[name]}は {limit} 字以内でお願いします（超えると印刷で2ページになります）。",
            promptTitle=FIELD_LABELS[name],
            prompt=f"{limit} 字以内",
        )
        dv.add(f"{letter}{layout.FIRST_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)


def _height(values: dict[str, str]) -> float:
    """An approximate row height so wrapped texts show whole (Excel does not refit rows it did not size)."""
    lines = 1
    for name, text in values.items():
        per_line = max(1, int(layout.WIDTHS[name] / 2))  # full-width characters per line
        n = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, n)
    return float(min(409, 15 * lines + 4))
