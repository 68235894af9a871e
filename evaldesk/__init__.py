"""evaldesk: import, edit, print and compare a city's 事務事業評価 tables (Qt-free core)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from evaldesk.desk import Desk

__all__ = ["Desk", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import evaldesk` (version look-ups, the installer spec) stays cheap.
    if name == "Desk":
        from evaldesk.desk import Desk

        return Desk
    raise AttributeError(name)
