"""Message boxes wide enough for Japanese sentences, broken into lines with 禁則 (no 「？」 at a line start)."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from evaldesk.export.linebreak import LineBreaker

TEXT_WIDTH_EM = 38
"""Characters per line of a message (Qt's own limit gave ~400 px, about 28 characters)."""
SCREEN_SHARE = 0.6
"""Never wider than this share of the screen (a 1024 px laptop keeps room around the box)."""


def wrap_japanese(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with line breaks where a Japanese typesetter would put them at ``width`` pixels.

    The core's printing line breaker does the 禁則 (「、。？！」」 never begin a line, 「「（」 never end
    one, numbers and Latin words stay whole); the widths are the screen font's.
    """
    em = float(metrics.horizontalAdvance("あ")) or 1.0
    breaker = LineBreaker(lambda ch: float(metrics.horizontalAdvance(ch)), max_width=float(width), em=em)
    return "\n".join(line.text.rstrip() for line in breaker.lines(text))


def text_width(widget: QWidget | None = None) -> int:
    """The width of a message's text in pixels, for the font and screen it is shown on."""
    metrics = widget.fontMetrics() if widget is not None else QFontMetrics(QGuiApplication.font())
    width = metrics.horizontalAdvance("あ") * TEXT_WIDTH_EM
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        width = min(width, int(screen.availableGeometry().width() * SCREEN_SHARE))
    return width


def fit_message_box(box: QMessageBox) -> QMessageBox:
    """Widen ``box`` and break its text and informative text with 禁則; call after setting them."""
    width = text_width(box)
    metrics = box.fontMetrics()
    box.setText(wrap_japanese(box.text(), metrics, width))
    if box.informativeText():
        box.setInformativeText(wrap_japanese(box.informativeText(), metrics, width))
    # Qt wraps the labels again at its own, narrower limit unless they may be this wide.
    box.setStyleSheet(
        f"QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel {{ min-width: {width}px; }}"
    )
    return box


def message_label(box: QMessageBox) -> QLabel | None:
    """The label showing the box's main text (tests and screenshots look at it)."""
    return box.findChild(QLabel, "qt_msgbox_label")


def message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    parent: QWidget | None = None,
    *,
    informative: str = "",
) -> QMessageBox:
    """A QMessageBox made to read well in Japanese; open it with ``open()`` (or ``exec()`` at start-up)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    if informative:
        box.setInformativeText(informative)
    return fit_message_box(box)
