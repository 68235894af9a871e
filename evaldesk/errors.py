"""Typed errors of the core; each carries the facts and one human sentence (Japanese)."""

from __future__ import annotations

from evaldesk.records import CellDoubt


class EvaldeskError(Exception):
    """Base of every error the core raises on purpose; ``str()`` is one sentence for the user."""


class InputFileError(EvaldeskError):
    """A PDF that cannot be imported; ``path`` names the file."""

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class EmptyFileError(InputFileError):
    pass


class NotAPdfError(InputFileError):
    pass


class DamagedPdfError(InputFileError):
    pass


class PasswordRequiredError(InputFileError):
    """The PDF has a user (open) password; ``wrong`` is True when one was given but did not fit."""

    def __init__(self, message: str, *, path: str = "", wrong: bool = False) -> None:
        super().__init__(message, path=path)
        self.wrong = wrong


class ScannedPdfError(InputFileError):
    """Pages carry images but no text layer: OCR is needed first."""


class NoUnicodeMapError(InputFileError):
    """Text comes out as (cid:NN): the fonts have no ToUnicode map."""


class NoTableError(InputFileError):
    """The PDF has text but no table with the expected header columns."""


class MixedYearsError(InputFileError):
    """The PDF holds tables of two fiscal years (two titles naming different years)."""


class TooComplexPdfError(InputFileError):
    """A page holds more objects, characters or nesting than any table does (a hostile or broken PDF)."""

    def __init__(self, message: str, *, path: str = "", page: int = 0) -> None:
        super().__init__(message, path=path)
        self.page = page


class DoubtfulCellsError(EvaldeskError):
    """Some cells may have been read wrong; nothing was stored. ``doubts`` lists them (CellDoubt)."""

    def __init__(self, doubts: tuple[CellDoubt, ...], *, cells_checked: int) -> None:
        super().__init__(
            f"{cells_checked} セルのうち {len(doubts)} か所は読み取りが正しいか確認が必要なため、"
            "取り込みませんでした。PDF と見比べて確かめてから取り込んでください。"
        )
        self.doubts = doubts
        self.cells_checked = cells_checked


class Cancelled(EvaldeskError):
    """The user stopped a long job (an import, an export): raised from its progress callable."""


class YearError(EvaldeskError):
    """A fiscal year could not be understood or is missing."""


class YearMissingError(YearError):
    """Neither the caller nor the PDF's title gives the fiscal year."""


class YearMismatchError(YearError):
    """The year asked for is not the year the PDF's title names."""

    def __init__(self, *, asked: int, title_year: int, title: str) -> None:
        from evaldesk.fiscal_year import era_label

        super().__init__(
            f"指定された年度 {era_label(asked)}（{asked}）は、PDF の表題「{title}」の"
            f"{era_label(title_year)}（{title_year}）と合わないため、取り込みませんでした。"
            "年度を確かめてください（表題が誤りと分かっている場合だけ、警告を承知で取り込めます）。"
        )
        self.asked = asked
        self.title_year = title_year
        self.title = title


class YearExistsError(EvaldeskError):
    """The year is already stored; replacing it (old texts go to history) must be asked for."""

    def __init__(self, year: int) -> None:
        from evaldesk.fiscal_year import era_label

        super().__init__(f"{era_label(year)}（{year}）はすでに取り込まれています。")
        self.year = year


class NotFoundError(EvaldeskError):
    pass


class FieldError(EvaldeskError):
    pass


class StaleRevisionError(EvaldeskError):
    """Someone saved the program after the caller read it; the caller's text is kept in ``rejected``."""

    def __init__(
        self,
        *,
        fiscal_year: int,
        program_id: str,
        expected: int,
        current: int,
        rejected: dict[str, str],
        current_values: dict[str, str],
    ) -> None:
        super().__init__(
            f"事業番号 {program_id} は他の人が先に保存しています（版 {expected} を編集、現在は版 {current}）。"
            "保存しませんでした。"
        )
        self.fiscal_year = fiscal_year
        self.program_id = program_id
        self.expected = expected
        self.current = current
        self.rejected = rejected
        self.current_values = current_values


class DatabaseVersionError(EvaldeskError):
    """The database was made by a newer evaldesk (unknown migration revision)."""


class DatabaseError(EvaldeskError):
    """The database cannot be opened or reached."""


class DatabaseDamagedError(DatabaseError):
    """SQLite's integrity check fails: what a lookup finds (or misses) cannot be trusted."""

    def __init__(self, report: str) -> None:
        super().__init__(
            "データベースが壊れています（表か索引の一部が正しく読めません）。"
            "ここで続けずに、バックアップから復元してください。"
        )
        self.report = report


class ExportError(EvaldeskError):
    pass
