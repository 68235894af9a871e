"""Draw the application icon (evaldesk.png, evaldesk.ico) with Qt and the bundled font; run once by hand."""
# ruff: noqa: TID251  (a Qt build script for the icon, not part of the core)

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

HERE = Path(__file__).resolve().parent
FONT = HERE.parent / "fonts" / "BIZUDGothic-Bold.ttf"
SIZE = 256


def draw() -> QImage:
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(FONT)))[0]
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    # A sheet of paper on a blue tile, with the character 評 (評価) and a check mark.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5fa8"))
    p.drawRoundedRect(QRectF(8, 8, SIZE - 16, SIZE - 16), 44, 44)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(52, 36, 152, 184), 14, 14)
    p.setPen(QColor("#1f5fa8"))
    font = QFont(family)
    font.setPixelSize(118)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(52, 40, 152, 140), Qt.AlignmentFlag.AlignCenter, "評")
    pen = QPen(
        QColor("#e8a000"), 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    p.setPen(pen)
    p.drawPolyline([QPointF(92, 190), QPointF(118, 212), QPointF(168, 160)])
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv)
    png = HERE / "evaldesk.png"
    draw().save(str(png))
    Image.open(png).save(
        HERE / "evaldesk.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
