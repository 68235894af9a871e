"""Every user setting, declared once with its type and default, stored in an INI file (user scope)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "evaldesk"
APPLICATION = "evaldesk"

DEFAULT_FIELD_LIMITS: dict[str, int] = {"purpose": 200, "overview": 400, "outcome": 400}
"""Soft limits in characters: past them the printed sheet spills onto a second page."""

T = TypeVar("T")


def _to_str(raw: object) -> str:
    return "" if raw is None else str(raw)


def _to_int_or_none(raw: object) -> int | None:
    try:
        return int(str(raw)) if raw not in (None, "") else None
    except ValueError:
        return None


def _to_float(raw: object, default: float) -> float:
    try:
        return float(str(raw))
    except ValueError:
        return default


def _to_bytes(raw: object) -> QByteArray:
    return raw if isinstance(raw, QByteArray) else QByteArray()


def _to_limits(raw: object) -> dict[str, int]:
    limits = dict(DEFAULT_FIELD_LIMITS)
    try:
        stored = json.loads(str(raw)) if raw else {}
    except ValueError:
        stored = {}
    if isinstance(stored, dict):
        for key, value in stored.items():
            if key in limits and isinstance(value, int) and value > 0:
                limits[key] = value
    return limits


def _from_int_or_none(value: int | None) -> object:
    return "" if value is None else int(value)


def _from_limits(value: dict[str, int]) -> object:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Setting(Generic[T]):
    """One declared setting: its INI key, its default, and how a stored value is read back."""

    def __init__(
        self,
        key: str,
        default: T,
        *,
        load: Callable[[object], T],
        dump: Callable[[T], object] = lambda v: v,
    ) -> None:
        self.key = key
        self.default = default
        self.load = load
        self.dump = dump

    @overload
    def __get__(self, obj: None, owner: type) -> Setting[T]: ...

    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...

    def __get__(self, obj: Settings | None, owner: type) -> Setting[T] | T:
        if obj is None:
            return self
        if not obj.qsettings.contains(self.key):
            return self.default
        return self.load(obj.qsettings.value(self.key))

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, self.dump(value))


class Settings:
    """Typed access to the user's settings; the only place that names a settings key."""

    window_geometry = Setting("window/geometry", QByteArray(), load=_to_bytes)
    window_state = Setting("window/state", QByteArray(), load=_to_bytes)
    splitter_state = Setting("window/splitter", QByteArray(), load=_to_bytes)
    left_splitter_state = Setting("window/left_splitter", QByteArray(), load=_to_bytes)
    list_header_state = Setting("window/list_header", QByteArray(), load=_to_bytes)
    source_zoom = Setting("source/zoom", 1.5, load=lambda raw: _to_float(raw, 1.5))
    """Zoom of the source PDF (1.0 = actual size); 0 means fit to width."""
    last_year = Setting("window/last_year", None, load=_to_int_or_none, dump=_from_int_or_none)
    last_import_dir = Setting("paths/last_import_dir", "", load=_to_str)
    last_export_dir = Setting("paths/last_export_dir", "", load=_to_str)
    last_backup_dir = Setting("paths/last_backup_dir", "", load=_to_str)
    # Never under "general": Qt's INI writer takes it for its reserved [General] section, writes
    # [%General] and reads the keys back as "General/...", so the value was lost at the next start.
    language = Setting("app/language", "ja", load=_to_str)
    db_url = Setting("database/url", "", load=_to_str)
    field_limits = Setting(
        "editor/field_limits", dict(DEFAULT_FIELD_LIMITS), load=_to_limits, dump=_from_limits
    )
    compare_from_year = Setting("compare/from_year", None, load=_to_int_or_none, dump=_from_int_or_none)
    compare_to_year = Setting("compare/to_year", None, load=_to_int_or_none, dump=_from_int_or_none)

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.qsettings = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )
        migrate_general_keys(self.qsettings)

    def sync(self) -> None:
        self.qsettings.sync()

    def path(self) -> str:
        return self.qsettings.fileName()

    @classmethod
    def declared(cls) -> dict[str, Setting[Any]]:
        return {name: value for name, value in vars(cls).items() if isinstance(value, Setting)}


LEGACY_KEYS: dict[str, tuple[str, ...]] = {
    "app/language": ("General/language", "general/language", "language"),
    "database/url": ("General/db_url", "general/db_url", "db_url"),
}
"""Where older versions kept a setting (under Qt's reserved General group), newest spelling first."""


def migrate_general_keys(qs: QSettings) -> bool:
    """Move values an older version wrote under ``[%General]`` to their keys; True if anything moved.

    The old keys are removed, which also drops the repeated ``[%General]`` sections from the file.
    """
    keys = set(qs.allKeys())
    moved = False
    for new, old_keys in LEGACY_KEYS.items():
        for old in old_keys:
            if old not in keys:
                continue
            if not qs.contains(new):
                qs.setValue(new, qs.value(old))
            qs.remove(old)
            moved = True
    if moved:
        qs.sync()
    return moved


_instance: Settings | None = None


def settings() -> Settings:
    """The application's settings (created on first use)."""
    global _instance
    if _instance is None:
        _instance = Settings()
    return _instance


def reset_settings() -> None:
    """Forget the singleton, so the next ``settings()`` reads the file anew (tests point QSettings elsewhere)."""
    global _instance
    if _instance is not None:
        _instance.sync()
    _instance = None
