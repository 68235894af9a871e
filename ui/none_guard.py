"""Keep ``None`` alive under PySide6 6.12 on Python 3.11 (its void methods drop a reference to it).

Every call of a PySide6 6.12.0 method that returns nothing (``setEnabled``, ``setText`` …) gives back
``None`` without taking a reference, which Python 3.12+ does not mind (``None`` is immortal there) but
3.11 counts: after some ten thousand such calls ``None``'s count reaches zero and the process aborts
with "Fatal Python error: none_dealloc" (the main window after a few hundred program switches).
PySide6 6.11 does not do this. Until the dependency is fixed, ``None`` is given a count no program can
use up, which is what Python 3.12 does for it anyway.
"""

from __future__ import annotations

import ctypes
import platform
import sys

HEADROOM = 1 << 40
"""References added to ``None``: at a million lost per second, enough for about 35 years."""


def needed() -> bool:
    """Only CPython before 3.12 counts references to ``None`` (3.12 made it immortal)."""
    return platform.python_implementation() == "CPython" and sys.version_info < (3, 12)


def keep_none_alive() -> None:
    """Raise ``None``'s reference count out of reach (once per process; nothing to do on 3.12+)."""
    if not needed() or sys.getrefcount(None) >= HEADROOM:
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt, the first field of every object
    count.value += HEADROOM
