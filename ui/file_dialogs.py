"""Asking for the file to write an export to, starting in (and remembering) the last export folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui.settings import settings


def ask_export_path(
    parent: QWidget, *, caption: str, name: str, name_filter: str, suffix: str
) -> Path | None:
    """The file the user chose for ``name`` (with ``suffix`` added when typed without it), or None when cancelled."""
    s = settings()
    folder = Path(s.last_export_dir or Path.home())
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, str(folder / name), name_filter)
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() != suffix:
        out = out.with_name(out.name + suffix)
    s.last_export_dir = str(out.parent)
    return out
