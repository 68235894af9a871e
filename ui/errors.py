"""Errors as the window tells them: the core's one ``user_message``, in the chosen language."""

from __future__ import annotations

import logging

from evaldesk.errors import EvaldeskError
from evaldesk.logs import setup_logging
from evaldesk.messages import Problem, problem_of, user_message
from ui.i18n import tr

log = logging.getLogger(__name__)


def error_text(exc: BaseException, *, doing: str) -> str:
    """What the user reads for ``exc`` while ``doing`` (「取り込み」「書き出し」「比較」…).

    The same mapping as the command line's; an error nobody foresaw also goes to the log file with
    its traceback, which the sentence names.
    """
    if not isinstance(exc, EvaldeskError) and problem_of(exc) is Problem.UNEXPECTED:
        log.error("%s failed", doing, exc_info=(type(exc), exc, exc.__traceback__))
    return user_message(exc, doing=doing, log_file=setup_logging(), tr=tr)
