"""Asking for the file to write an export to, starting in (and remembering) the last export folder."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.i18n import language, tr, year_text
from ui.settings import settings

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def documents_folder() -> Path:
    """The user's documents folder (ドキュメント), where a new user looks for what they saved; else home."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(found) if found else Path.home()
    return path if path.is_dir() else Path.home()


def start_folder(remembered: str) -> Path:
    """Where a save dialog opens: the folder last used, else the documents folder (never ``/root/``)."""
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    return documents_folder()


def year_for_file(year: int) -> str:
    """令和6年度 in a Japanese file name, FY2024 in an English one (no mixed 令和6年度_program 164)."""
    return f"FY{year}" if language() == "en" else year_text(year)


def file_name(*parts: str, suffix: str) -> str:
    """Parts joined with "_", spaces turned into "-" and characters Windows refuses dropped."""
    cleaned = [_UNSAFE.sub("-", part.strip()).strip("-") for part in parts if part.strip()]
    return "_".join(p for p in cleaned if p) + suffix


def export_file_name(
    year: int, *, sheet: bool, program_id: str | None, department: str | None, suffix: str
) -> str:
    """令和6年度_事業164_個票.pdf, or FY2024_program-164_sheets.pdf in English."""
    layout = tr("個票") if sheet else tr("一覧")
    what = tr("事業{id}", id=program_id) if program_id else department or tr("全事業")
    return file_name(year_for_file(year), what, layout, suffix=suffix)


def export_path_proposal(name: str) -> str:
    """Where a new export called ``name`` is proposed: the last export folder, else the documents."""
    return str(start_folder(settings().last_export_dir) / name)


def ask_export_path(
    parent: QWidget, *, caption: str, name: str, name_filter: str, suffix: str
) -> Path | None:
    """The file the user chose for ``name`` (with ``suffix`` added when typed without it), or None when cancelled."""
    s = settings()
    folder = start_folder(s.last_export_dir)
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, str(folder / name), name_filter)
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    s.last_export_dir = str(out.parent)
    return out
