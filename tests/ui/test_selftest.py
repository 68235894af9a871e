"""The installed program's `--self-test` with its screen step: the main window opens offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from ui.selftest import run_gui_self_test

STEPS = (
    "マイグレーション",
    "サンプルの取り込み",
    "検索",
    "事業シートの PDF 出力（同梱フォント）",
    "出力した PDF の文字",
    "画面（メインウィンドウ）",
)


def test_self_test_with_the_main_window_passes(
    qapp: QApplication, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_gui_self_test() == 0
    out = capsys.readouterr()
    assert out.out.splitlines() == [f"OK  {step}" for step in STEPS]
    assert "Traceback" not in out.out + out.err
