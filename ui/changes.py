"""One application-wide broadcast of what each operation changed (as Anki's ``operation_did_execute``)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from evaldesk.records import Changes


class ChangeBroadcast(QObject):
    """``changed(Changes)`` after every save, import, restore, link and history restore.

    Every view that shows data connects to ``changed`` and refreshes what it shows of the change;
    no view asks another to refresh. The runner announces a job's changes before the job's own
    ``on_done`` runs, so the one who asked finds every view already up to date.
    """

    changed = Signal(object)  # a Changes

    def announce(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
