"""A file dropped on a widget, as Qt would deliver it, for tests of drag-and-drop import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent


def file_drop(path: Path, *, at: tuple[float, float] = (10, 10), with_text: bool = False) -> QDropEvent:
    """A copy-drop of ``path``; ``with_text`` adds the path as text too, as file managers do."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    if with_text:
        mime.setText(str(path))
    event = QDropEvent(
        QPointF(*at),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event._mime = mime  # type: ignore[attr-defined]  # the event only points at it: keep it alive
    return event
