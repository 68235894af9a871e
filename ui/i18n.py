"""The one translation mechanism: Japanese source strings, English catalogs in resources/translations."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from evaldesk.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"ja": "日本語", "en": "English"}
_catalog: dict[str, str] = {}
_language = "ja"
_qt_translators: list[QTranslator] = []


def set_language(language: str) -> None:
    """Load the catalog for ``language`` ("ja" needs none: the source strings are Japanese)."""
    global _language
    _language = language if language in LANGUAGES else "ja"
    _catalog.clear()
    if _language == "ja":
        return
    folder = resource_path("translations", _language)
    for path in sorted(folder.glob("*.json")):
        try:
            _catalog.update(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            log.exception("translation catalog %s unreadable", path)


def language() -> str:
    return _language


def tr(text: str, /, **kwargs: object) -> str:
    """Translate a Japanese source string; ``{name}`` placeholders are filled from kwargs."""
    out = _catalog.get(text, text)
    return out.format(**kwargs) if kwargs else out


def install_qt_translations(app: QCoreApplication) -> bool:
    """Qt's own texts (file dialogs, OK/キャンセル, the edit menus of text fields) in the chosen language.

    Qt's source language is English, so "en" needs none; returns whether a catalog was installed.
    """
    remove_qt_translations(app)
    if _language == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{_language}", folder):
        log.warning("Qt translations qtbase_%s not found in %s", _language, folder)
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    if _language == "ja":
        extra = MissingQtTexts(app)  # installed last: asked first, it only knows what qtbase lacks
        app.installTranslator(extra)
        _qt_translators.append(extra)
    return True


class MissingQtTexts(QTranslator):
    """Qt's own texts that its Japanese catalog leaves in English (the print dialog's page range)."""

    TEXTS = {
        ("QPrintSettingsOutput", "Pages"): "ページ指定",
        ("QPrintSettingsOutput", "Page &Set:"): "印刷するページ(&S):",
        ("QPrintSettingsOutput", "Ignore"): "指定しない",
    }

    def translate(
        self, context: str, source_text: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string, "not mine": an empty string would be taken as the translation.
        return self.TEXTS.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def remove_qt_translations(app: QCoreApplication) -> None:
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())


def year_text(year: int) -> str:
    """A fiscal year as the reader expects it: 令和6年度, or FY2024 (R6) in the English UI."""
    from evaldesk.fiscal_year import era_label

    if _language != "en":
        return era_label(year)
    era = "R" if year >= 2019 else "H" if year >= 1989 else ""
    n = year - 2018 if year >= 2019 else year - 1988
    return f"FY{year} ({era}{n})" if era else f"FY{year}"


def year_with_western(year: int) -> str:
    """令和6年度（2024） in Japanese; FY2024 (R6) in English (the Western year is already there)."""
    return f"{year_text(year)}（{year}）" if _language != "en" else year_text(year)
