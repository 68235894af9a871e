"""Register the bundled Japanese font so no PC shows tofu, whatever fonts it has."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from evaldesk.resources import resource_path

log = logging.getLogger(__name__)
UI_FONT_FILES = ("BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf")
_family: str | None = None


def register_fonts(app: QApplication, *, point_size: float = 10.0) -> str | None:
    """Add the bundled fonts and make BIZ UDGothic the application font; returns its family name."""
    global _family
    if _family is None:
        for name in UI_FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
            if font_id < 0:
                log.warning("bundled font %s could not be loaded", name)
                continue
            families = QFontDatabase.applicationFontFamilies(font_id)
            if families and _family is None:
                _family = families[0]
    if _family:
        font = QFont(_family)
        font.setPointSizeF(point_size)
        app.setFont(font)
    return _family
