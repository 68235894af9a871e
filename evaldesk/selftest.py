"""`--self-test`: prove an installation works end to end on a throwaway database, one line per step."""

from __future__ import annotations

import functools
import logging
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evaldesk.errors import EvaldeskError

log = logging.getLogger(__name__)

SAMPLE_YEAR = 2024


def _say(line: str) -> None:
    stream = sys.stdout
    if stream is None:  # a windowed (console-less) frozen build: the report goes to a file instead
        from evaldesk.paths import data_dir

        try:
            with (data_dir() / "selftest.log").open("a", encoding="utf-8") as log:
                log.write(line + "\n")
        except OSError:
            pass
        return
    try:
        stream.write(line + "\n")
        stream.flush()
    except (OSError, UnicodeError):
        pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EvaldeskError):
        return " ".join(str(exc).split())
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def _squash(text: str) -> str:
    """Text without any white space or line breaks, NFKC-folded: wrapped cells still match."""
    return "".join(unicodedata.normalize("NFKC", text).split())


class _Steps:
    def __init__(self) -> None:
        self.failed = 0

    def run(self, label: str, step: Callable[[], Any]) -> Any:
        """Run one step; print OK or NG with the reason; the step's value, or None if it failed."""
        if self.failed:
            _say(f"NG  {label} : 前の手順が失敗したため実行できません")
            self.failed += 1
            return None
        try:
            value = step()
        except Exception as exc:  # a self-test reports every failure as a line, never a traceback
            log.exception("self-test step failed: %s", label)
            _say(f"NG  {label} : {_reason(exc)}")
            self.failed += 1
            return None
        _say(f"OK  {label}")
        return value


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        parts: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            parts.append(str(textpage.get_text_range()))
            textpage.close()
            page.close()
        return "".join(parts)
    finally:
        pdf.close()


ExtraStep = tuple[str, Callable[[str], object]]
"""A step a front end adds (its label, and a call given the self-test database's URL)."""


def run_self_test(*, extra_steps: Sequence[ExtraStep] = ()) -> int:
    """Migrate a new database, import the bundled sample, print a sheet PDF and read it back, then run
    ``extra_steps`` (the desktop program opens its window there). Prints 「OK  手順」 or
    「NG  手順 : 理由」 per step; 0 if all pass."""
    from evaldesk.desk import Desk
    from evaldesk.resources import resource_path

    steps = _Steps()
    work = Path(tempfile.mkdtemp(prefix="evaldesk-selftest-"))
    url = f"sqlite:///{work / 'selftest.sqlite3'}"
    desk: Desk | None = None
    try:

        def migrate() -> Desk:
            from evaldesk.db.migrate import current_revision, head_revision

            d = Desk(url, backup_dir=work / "backups")
            if current_revision(d.engine) != head_revision():
                d.close()
                raise RuntimeError("データベースが最新の版になりませんでした。")
            return d

        desk = steps.run("マイグレーション", migrate)

        def import_sample() -> str:
            assert desk is not None
            sample = resource_path("samples", "r6_sample.pdf")
            summary = desk.import_pdf(sample, year=SAMPLE_YEAR)
            programs = desk.programs(SAMPLE_YEAR)
            if summary.programs == 0 or len(programs) != summary.programs:
                raise RuntimeError(f"サンプルから事業を読み取れませんでした（{len(programs)} 件）。")
            return programs[0].name

        name: str | None = steps.run("サンプルの取り込み", import_sample)

        def search() -> None:
            assert desk is not None and name is not None
            if not desk.programs(SAMPLE_YEAR, name):
                raise RuntimeError(f"「{name}」が検索で見つかりませんでした。")

        steps.run("検索", search)

        sheet = work / "sheet.pdf"

        def export_sheet() -> None:
            assert desk is not None
            result = desk.export(SAMPLE_YEAR, sheet, layout="sheet")
            if result.pages < 1 or not sheet.is_file():
                raise RuntimeError("事業シートの PDF が書き出されませんでした。")

        steps.run("事業シートの PDF 出力（同梱フォント）", export_sheet)

        def read_back() -> None:
            assert name is not None
            if _squash(name) not in _squash(_pdf_text(sheet)):
                raise RuntimeError(f"出力した PDF から「{name}」を読み取れませんでした。")

        steps.run("出力した PDF の文字", read_back)
        if desk is not None:
            desk.close()
            desk = None
        for label, step in extra_steps:
            steps.run(label, functools.partial(step, url))
    finally:
        if desk is not None:
            desk.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0 if steps.failed == 0 else 1
