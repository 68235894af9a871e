"""Long work off the UI thread: one worker at a time, results and errors delivered on the UI thread."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from evaldesk.errors import Cancelled
from evaldesk.records import Changes
from ui.changes import ChangeBroadcast

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
"""Receives (done, total)."""
Task = Callable[[Progress], Any]
"""A job: receives a progress callable and returns its result."""
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
ChangesOf = Callable[[Any], Changes]
"""Tells what a job's result changed in the database (announced to every view)."""


def _call(
    task: Task, *, cancelled: Callable[[], bool], report: Progress | None, on_done: Done, on_error: Failed
) -> None:
    """Run ``task`` on this thread; its next progress report after a cancel stops it with Cancelled."""

    def progress(done: int, total: int) -> None:
        if cancelled():
            raise Cancelled("中止しました。")
        if report is not None:
            report(done, total)

    try:
        result = task(progress)
    except BaseException as exc:  # delivered to the UI, which turns it into one sentence
        log.debug("job failed:\n%s", traceback.format_exc())
        on_error(exc)
    else:
        on_done(result)


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, task: Task, signals: _Signals, cancelled: Callable[[], bool]) -> None:
        super().__init__()
        self.task = task
        self.signals = signals
        self.cancelled = cancelled

    def run(self) -> None:
        _call(
            self.task,
            cancelled=self.cancelled,
            report=self.signals.progress.emit,
            on_done=self.signals.done.emit,
            on_error=self.signals.failed.emit,
        )


class Handle(QObject):
    """A running job: ``cancel()`` asks it to stop at its next progress report."""

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requested = False

    def cancel(self) -> None:
        self.cancel_requested = True


class Runner(QObject):
    """Runs jobs on one background thread, so database writes go one at a time.

    ``changes`` is the application's one change broadcast: a job that writes says what it changed
    (``run(..., changes=...)``) and every view listening hears of it.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.changes = ChangeBroadcast(self)
        self._live: set[_Signals] = set()

    def run(
        self,
        task: Task,
        *,
        on_done: Done,
        on_error: Failed,
        on_progress: Progress | None = None,
        changes: ChangesOf | None = None,
    ) -> Handle:
        """Start ``task``; ``on_done`` or ``on_error`` is called on the UI thread when it ends.

        A job that writes passes ``changes``: what its result changed is announced on
        ``self.changes`` (every view refreshes) before ``on_done`` runs.
        """
        handle = Handle()

        def done(result: Any) -> None:
            if changes is not None:
                self.changes.announce(changes(result))
            on_done(result)

        self._start(task, handle, on_done=done, on_error=on_error, on_progress=on_progress)
        return handle

    def _start(
        self, task: Task, handle: Handle, *, on_done: Done, on_error: Failed, on_progress: Progress | None
    ) -> None:
        signals = _Signals()
        self._live.add(signals)

        @Slot(object)
        def finish(result: Any) -> None:
            self._live.discard(signals)
            on_done(result)

        @Slot(object)
        def fail(exc: BaseException) -> None:
            self._live.discard(signals)
            on_error(exc)

        signals.done.connect(finish)
        signals.failed.connect(fail)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        self.pool.start(_Job(task, signals, lambda: handle.cancel_requested))

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner(Runner):
    """Runs each job at once on the calling thread (tests)."""

    def _start(
        self, task: Task, handle: Handle, *, on_done: Done, on_error: Failed, on_progress: Progress | None
    ) -> None:
        _call(
            task,
            cancelled=lambda: handle.cancel_requested,
            report=on_progress,
            on_done=on_done,
            on_error=on_error,
        )
