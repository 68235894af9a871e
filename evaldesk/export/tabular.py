"""The list as CSV (UTF-8 with BOM, for Excel) and as an XLSX workbook."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from evaldesk.errors import ExportError
from evaldesk.export.list_pdf import list_title
from evaldesk.export.result import ExportResult, atomic_output, check_programs, program_label
from evaldesk.records import FIELD_LABELS, Program
from evaldesk.textnorm import csv_safe

COLUMNS: tuple[str, ...] = ("no", "program_id", "name", "department", "purpose", "overview", "outcome")
_WIDTHS = {
    "no": 6,
    "program_id": 10,
    "name": 26,
    "department": 20,
    "purpose": 40,
    "overview": 60,
    "outcome": 60,
}
_XLSX_CELL_LIMIT = 32767
_FONT_NAME = "BIZ UDゴシック"


def _values(program: Program) -> list[str | int]:
    out: list[str | int] = []
    for name in COLUMNS:
        if name == "no":
            out.append("" if program.no is None else program.no)
        else:
            out.append(program.text(name))
    return out


def export_csv(programs: Sequence[Program], out: Path, *, year: int) -> ExportResult:
    """Write the list as CSV: header row of the published labels, texts as stored except that a text a
    spreadsheet would run as a formula starts with an apostrophe."""
    check_programs(programs, year=year)
    with atomic_output(Path(out)) as tmp:
        # utf-8-sig: Excel on Windows only reads UTF-8 correctly with a BOM.
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([FIELD_LABELS[c] for c in COLUMNS])
            for p in programs:
                writer.writerow([csv_safe(v) for v in _values(p)])
    return ExportResult(path=Path(out), pages=0, programs=len(programs))


def export_xlsx(
    programs: Sequence[Program], out: Path, *, year: int, department: str | None = None
) -> ExportResult:
    """Write the list as one sheet: title, bold frozen header row, wrapped texts, A4 landscape print set-up."""
    check_programs(programs, year=year)
    warnings: list[str] = []
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "事務事業評価結果一覧"
    last_col = get_column_letter(len(COLUMNS))
    title = list_title(year, department)

    ws["A1"] = title
    ws["A1"].font = Font(name=_FONT_NAME, bold=True, size=14)
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 24

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for col, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=col, value=FIELD_LABELS[name])
        cell.font = Font(name=_FONT_NAME, bold=True)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[name]

    body_font = Font(name=_FONT_NAME)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    for row, program in enumerate(programs, start=3):
        for col, (name, value) in enumerate(zip(COLUMNS, _values(program), strict=True), start=1):
            cell = ws.cell(row=row, column=col)
            if isinstance(value, str):
                value = _clean(value, program, name, warnings)
                cell.value = value
                # Stored as text whatever it starts with: a text beginning with "=" is not a formula.
                cell.data_type = "s"
            else:
                cell.value = value
            cell.font = body_font
            cell.border = border
            cell.alignment = centre if name in ("no", "program_id") else wrap

    ws.freeze_panes = "C3"
    ws.auto_filter.ref = f"A2:{last_col}{len(programs) + 2}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"
    wb.properties.title = title
    wb.properties.creator = "evaldesk"

    with atomic_output(Path(out)) as tmp:
        wb.save(tmp)
    return ExportResult(path=Path(out), pages=0, programs=len(programs), warnings=tuple(warnings))


def _clean(value: str, program: Program, name: str, warnings: list[str]) -> str:
    where = f"{program_label(program)}（{FIELD_LABELS[name]}）"
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        warnings.append(f"{where}：Excel に保存できない制御文字を省きました。")
    if len(value) > _XLSX_CELL_LIMIT:
        raise ExportError(
            f"{where} は {len(value):,} 文字あり、Excel の1セルの上限（{_XLSX_CELL_LIMIT:,} 文字）を超えます。"
            "CSV で出力してください。"
        )
    return value
