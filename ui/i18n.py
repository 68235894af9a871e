"""The one translation mechanism: Japanese source strings, English catalogs in resources/translations."""

from __future__ import annotations

import json
import logging

from evaldesk.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"ja": "日本語", "en": "English"}
_catalog: dict[str, str] = {}
_language = "ja"


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
