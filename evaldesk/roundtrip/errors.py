"""Typed refusals of a returned workbook; each carries one sentence that names the file."""

from __future__ import annotations

from evaldesk.errors import InputFileError


class ReturnError(InputFileError):
    """A returned file that cannot be taken; nothing is written."""


class NotAWorkbookError(ReturnError):
    """The file is not an Excel workbook at all."""


class SaveAsXlsxError(ReturnError):
    """A password-protected workbook or the old .xls format: it must be saved again as .xlsx."""


class NotFromEvaldeskError(ReturnError):
    """No (or an unreadable) hidden evaldesk sheet: not a sent workbook, or that sheet was removed."""


class MetaChangedError(ReturnError):
    """The hidden sheet no longer matches its digest or no send of this database."""


class WrongRoundError(ReturnError):
    """A workbook of another fiscal year or another 部署 than the one being collected."""


class LockedCellsChangedError(ReturnError):
    """A 事業番号 or 部署名 was changed, or program rows were deleted or moved."""


class ProgramGoneError(ReturnError):
    """A program of the workbook no longer exists in evaldesk."""
