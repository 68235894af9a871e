"""Long work off the UI thread: one worker at a time, results and errors delivered on the UI thread."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from evaldesk.errors import ImportCancelled

log = logging.getLogger(__name__)

Task = Callable[[Callable[[int, int], None]], Any]
"""A job: receives a progress callable (done, total) and returns its result."""


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
        def progress(done: int, total: int) -> None:
            if self.cancelled():
                raise ImportCancelled("中止しました。")
            self.signals.progress.emit(done, total)

        try:
            result = self.task(progress)
        except BaseException as exc:  # delivered to the UI, which turns it into one sentence
            log.debug("job failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Handle(QObject):
    """A running job: ``cancel()`` asks it to stop at its next progress report."""

    def __init__(self) -> None:
        super().__init__()
        self.cancel_requested = False

    def cancel(self) -> None:
        self.cancel_requested = True


class Runner(QObject):
    """Runs jobs on one background thread, so database writes go one at a time."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._live: set[_Signals] = set()

    def run(
        self,
        task: Task,
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Handle:
        handle = Handle()
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
        return handle

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner(Runner):
    """Runs each job at once on the calling thread (tests)."""

    def run(
        self,
        task: Task,
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Handle:
        handle = Handle()

        def progress(done: int, total: int) -> None:
            if handle.cancel_requested:
                raise ImportCancelled("中止しました。")
            if on_progress is not None:
                on_progress(done, total)

        try:
            result = task(progress)
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)
        return handle
