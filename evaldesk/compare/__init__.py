"""Year-over-year comparison of 事務事業: matching, character diffs, figures and reports."""

from __future__ import annotations

from evaldesk.compare.figures import extract_figures, figure_changes, figure_pairs
from evaldesk.compare.matching import comparable_text, compare_years
from evaldesk.compare.model import (
    Comparison,
    DiffSpan,
    Figure,
    FigureChange,
    ProgramComparison,
)
from evaldesk.compare.pdf import write_comparison_pdf
from evaldesk.compare.report import comparison_to_json, comparison_to_text
from evaldesk.compare.textdiff import text_diff
from evaldesk.program_ids import program_id_key

__all__ = [
    "Comparison",
    "DiffSpan",
    "Figure",
    "FigureChange",
    "ProgramComparison",
    "comparable_text",
    "compare_years",
    "comparison_to_json",
    "comparison_to_text",
    "extract_figures",
    "figure_changes",
    "figure_pairs",
    "program_id_key",
    "text_diff",
    "write_comparison_pdf",
]
