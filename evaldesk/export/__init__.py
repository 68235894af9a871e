"""Printing and saving programs: list and sheet PDFs, CSV and XLSX (Qt-free)."""

from __future__ import annotations

from evaldesk.export.list_pdf import export_list_pdf
from evaldesk.export.result import ExportResult
from evaldesk.export.sheet_pdf import export_sheets_pdf, sheet_overflow

__all__ = ["ExportResult", "export_list_pdf", "export_sheets_pdf", "sheet_overflow"]
