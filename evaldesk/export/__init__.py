"""Printing and saving programs: list and sheet PDFs, CSV and XLSX (Qt-free)."""

from __future__ import annotations

from evaldesk.export.list_pdf import export_list_pdf
from evaldesk.export.result import ExportResult
from evaldesk.export.sheet_pdf import SheetFit, export_sheets_pdf, sheet_fit, sheet_overflow
from evaldesk.export.tabular import export_csv, export_xlsx

__all__ = [
    "ExportResult",
    "SheetFit",
    "export_csv",
    "export_list_pdf",
    "export_sheets_pdf",
    "export_xlsx",
    "sheet_fit",
    "sheet_overflow",
]
