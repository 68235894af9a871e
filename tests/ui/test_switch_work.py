"""Switching programs does no needless work: the source page is not rendered again, the band sits on
the row where Qt draws the page, the list sorts itself and keeps the shown program."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtPdf import QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from evaldesk.desk import Desk
from tests.conftest import SAMPLE_PDF
from ui.mainwindow import MainWindow
from ui.models import COL_ID, COL_NAME

MakeWindow = Callable[[str], MainWindow]


def shown_with_source(qtbot: QtBot, make_window, desk: Desk) -> MainWindow:  # type: ignore[no-untyped-def]
    desk.import_pdf(SAMPLE_PDF, year=2024)
    window = make_window(desk.url)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def rendered_pages(window: MainWindow) -> list[int]:
    pages: list[int] = []
    renderer = window.sourceView.pdfView.findChild(QPdfPageRenderer)
    assert renderer is not None
    renderer.pageRendered.connect(lambda page, *_rest: pages.append(page))
    return pages


def settle(qtbot: QtBot) -> None:
    """Let the render thread deliver what the view asked for."""
    for _ in range(10):
        qtbot.wait(30)
        QApplication.processEvents()


def test_going_back_to_a_page_seen_shows_it_without_rendering_it_again(
    qtbot: QtBot, make_window: MakeWindow, desk: Desk
) -> None:
    window = shown_with_source(qtbot, make_window, desk)
    pages = rendered_pages(window)
    first, other = desk.program(2024, "1"), desk.program(2024, "17")
    assert first.source is not None and other.source is not None
    assert first.source.page != other.source.page
    for pid in ("1", "17"):
        window.select_program(pid)
        settle(qtbot)
    assert {first.source.page, other.source.page} <= set(pages)  # each page rendered once, in view
    rendered = len(pages)
    for pid in ("1", "17", "1", "19", "17"):
        window.select_program(pid)
        settle(qtbot)
        assert window.sourceView.current_page() == desk.program(2024, pid).source.page  # type: ignore[union-attr]
    assert len(pages) == rendered  # the one-page mode rendered the page again at every change of page


@pytest.mark.parametrize("fit_width", [False, True])
def test_the_row_band_is_where_qt_draws_the_page(
    qtbot: QtBot, make_window: MakeWindow, desk: Desk, fit_width: bool
) -> None:
    """The band and the scroll to a row use the page positions Qt lays the pages out at."""
    window = shown_with_source(qtbot, make_window, desk)
    view = window.sourceView
    if fit_width:
        view.fit_width()
    window.select_program("1")
    QApplication.processEvents()
    pdf = view.pdfView
    bar = pdf.verticalScrollBar()
    checked = 0
    pages, navigator = pdf.document().pageCount(), pdf.pageNavigator()
    for page in range(pages):
        if navigator.currentPage() == page:  # Qt scrolls to a page's top only on a change of page
            navigator.jump((page + 1) % pages, QPointF(), pdf.zoomFactor())
        navigator.jump(page, QPointF(), pdf.zoomFactor())
        expected = pdf.page_rect(page).y()
        if expected <= bar.maximum():
            assert bar.value() == expected
            checked += 1
    assert checked >= 2
    assert pdf.zoomMode() == (QPdfView.ZoomMode.FitToWidth if fit_width else QPdfView.ZoomMode.Custom)


def test_row_band_is_in_view_after_a_switch(qtbot: QtBot, make_window, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    window = shown_with_source(qtbot, make_window, desk)
    for pid in ("17", "1", "19"):
        window.select_program(pid)
        QApplication.processEvents()
        pdf = window.sourceView.pdfView
        assert pdf.row is not None
        top = pdf.page_rect(pdf.row_page).y() + pdf.row[0] * pdf.scale() - pdf.verticalScrollBar().value()
        assert 0 <= top < pdf.viewport().height() / 3  # the row near the top of the pane


def test_scrolling_to_another_page_updates_the_page_number(qtbot: QtBot, make_window, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    window = shown_with_source(qtbot, make_window, desk)
    window.select_program("1")
    QApplication.processEvents()
    view = window.sourceView
    assert view.pageLabel.text().strip().startswith("1 /")
    view.pdfView.verticalScrollBar().setValue(view.pdfView.page_rect(2).y())
    QApplication.processEvents()
    assert view.pageLabel.text().strip().startswith("3 /")


def test_sorting_the_list_keeps_the_shown_program_and_a_search_stays_sorted(
    qtbot: QtBot,
    window: MainWindow,
) -> None:
    window.select_program("17")
    header = window.programTable.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(COL_NAME) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)
    model = window.model
    names = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert names == sorted(names) or names == sorted(names, reverse=True)
    current = window.programTable.currentIndex()
    assert model.index(current.row(), COL_ID).data() == "17"
    assert window.current is not None and window.current.program_id == "17"
    window.searchEdit.setText("事業")
    window.refresh_programs()
    shown = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
    assert 0 < len(shown) < len(names)
    assert shown == sorted(shown) or shown == sorted(shown, reverse=True)
