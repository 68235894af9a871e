"""The one way into the core: a ``Desk`` built from a database URL; its methods are the use cases."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from evaldesk import backup as backup_store
from evaldesk.db import editing, import_writer, locks, migrate, queries
from evaldesk.db.engine import enable_wal, make_engine, make_sessionmaker, redact, sqlite_path
from evaldesk.db.models import DepartmentRow, FiscalYearRow, HistoryRow, ImportRow, LinkRow, ProgramRow
from evaldesk.errors import (
    DatabaseError,
    DoubtfulCellsError,
    EvaldeskError,
    FieldError,
    NotFoundError,
    YearExistsError,
    YearMismatchError,
    YearMissingError,
)
from evaldesk.fiscal_year import era_label, parse_year
from evaldesk.paths import data_dir, resolve_db_url
from evaldesk.records import (
    CellDoubt,
    HistoryEntry,
    ImportSummary,
    ParsedTable,
    Program,
    ProgramChange,
    ProgramHit,
    ProgramLink,
    Progress,
    YearInfo,
)
from evaldesk.roundtrip.service import RoundTripMixin
from evaldesk.safe_paths import check_output_path, prepare_database_file, remove_with_side_files

if TYPE_CHECKING:
    from evaldesk.compare import Comparison
    from evaldesk.export import ExportResult, SheetFit

log = logging.getLogger(__name__)


class Desk(RoundTripMixin):
    """Facade over one evaldesk database (embedded SQLite file or a shared PostgreSQL server)."""

    def __init__(
        self,
        db: str | os.PathLike[str] | None = None,
        *,
        backup_dir: Path | None = None,
        keep_backups: int = backup_store.DEFAULT_KEEP,
    ) -> None:
        self.url = resolve_db_url(db)
        self.backup_dir = backup_dir or data_dir() / "backups"
        self.keep_backups = keep_backups
        db_file = sqlite_path(self.url)
        self._created: Path | None = None
        if db_file is not None and prepare_database_file(db_file, private=db_file.parent == data_dir()):
            self._created = db_file  # removed again by close() if nothing was ever stored
        self.engine = make_engine(self.url)
        self._session = make_sessionmaker(self.engine)
        try:
            migrate.upgrade(self.engine, before=self._backup_before_migration)
            enable_wal(self.engine)
        except DBAPIError as exc:  # unreachable server, not a database file, no permission...
            self.close()
            reason = " ".join(str(exc.orig).split())  # libpq's reasons span lines: keep one sentence
            raise DatabaseError(f"データベース {redact(self.url)} を開けません: {reason}") from exc
        except BaseException:  # e.g. a newer schema refused: leave no connection (nor -wal file) open
            self.close()
            raise
        self.fts = self.engine.dialect.name == "sqlite" and self._has_fts()

    def _backup_before_migration(self, current: str | None, head: str) -> None:
        self.backup(reason=f"migrate-{current}-to-{head}")

    # -- life cycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Let go of the database. A file this Desk created and nothing was stored in (a dry run, a
        failed import, a look at an empty database) is removed: no empty database is left behind."""
        empty = self._created is not None and queries.stores_nothing(self.engine)
        self.engine.dispose()
        if empty and self._created is not None:
            remove_with_side_files(self._created)
        self._created = None

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        return redact(self.url)

    @property
    def display_name(self) -> str:
        """Short words for the status bar: the file's name, or the server and the database."""
        from sqlalchemy.engine import make_url

        try:
            url = make_url(self.url)
        except Exception:  # an odd URL is still worth showing, redacted
            return self.display_url
        if url.get_backend_name() == "sqlite":
            return Path(url.database or "").name or ":memory:"
        host = url.host or "localhost"
        return f"{host}{':' + str(url.port) if url.port else ''} / {url.database or ''}"

    @property
    def is_shared(self) -> bool:
        return not self.url.startswith("sqlite")

    def _has_fts(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name='programs_fts'").first())

    # -- reading --------------------------------------------------------------------------------
    def years(self) -> list[YearInfo]:
        with self._session() as s:
            out: list[YearInfo] = []
            per_year = select(ProgramRow.fiscal_year_id, func.count()).group_by(ProgramRow.fiscal_year_id)
            counts: dict[int, int] = {year_id: n for year_id, n in s.execute(per_year)}
            for fy in s.scalars(select(FiscalYearRow).order_by(FiscalYearRow.year.desc())):
                count = counts.get(fy.id, 0)
                imp = s.scalars(
                    select(ImportRow).where(ImportRow.fiscal_year_id == fy.id).order_by(ImportRow.id.desc())
                ).first()
                out.append(
                    YearInfo(
                        year=fy.year,
                        label=era_label(fy.year),
                        programs=count,
                        source_file=imp.file_name if imp else None,
                        imported_at=imp.imported_at if imp else None,
                    )
                )
            return out

    def programs(self, year: int, query: str = "", *, department: str | None = None) -> list[Program]:
        """Programs of a year in table order, filtered by a search text and a department substring."""
        stmt = queries.filtered(queries.program_select(), year, query, department=department, fts=self.fts)
        with self._session() as s:
            return [queries.program_from_row(r) for r in s.execute(stmt)]

    def program_hits(self, year: int, query: str = "", *, department: str | None = None) -> list[ProgramHit]:
        """What ``programs`` finds, without the texts: a list already read is filtered as one types."""
        stmt = queries.filtered(queries.hit_select(), year, query, department=department, fts=self.fts)
        with self.engine.connect() as conn:  # plain rows: no ORM result processing for 1,000 hits
            return [ProgramHit(str(pid), int(revision)) for pid, revision in conn.execute(stmt).all()]

    def program(self, year: int, program_id: str) -> Program:
        stmt = queries.program_select().where(FiscalYearRow.year == year, ProgramRow.program_id == program_id)
        with self._session() as s:
            row = s.execute(stmt).first()
            if row is None:
                queries.raise_not_found(s, f"{era_label(year)} に事業番号 {program_id} の事業はありません。")
        return queries.program_from_row(row)

    def departments(self, year: int) -> list[str]:
        stmt = (
            select(DepartmentRow.name)
            .distinct()
            .join(ProgramRow, ProgramRow.department_id == DepartmentRow.id)
            .join(FiscalYearRow, ProgramRow.fiscal_year_id == FiscalYearRow.id)
            .where(FiscalYearRow.year == year)
        )
        with self._session() as s:
            return sorted(s.scalars(stmt))

    def source_pdf(self, year: int) -> bytes | None:
        """The PDF the year was imported from (for proofreading the import), if kept."""
        with self._session() as s:
            fy = queries.get_year(s, year)
            imp = s.scalars(
                select(ImportRow).where(ImportRow.fiscal_year_id == fy.id).order_by(ImportRow.id.desc())
            ).first()
            if imp is None or imp.pdf is not None:
                return imp.pdf if imp else None
            # The same file imported again later (another year): its bytes are kept once, there.
            return s.scalars(
                select(ImportRow.pdf).where(ImportRow.sha256 == imp.sha256, ImportRow.pdf.is_not(None))
            ).first()

    # -- import ---------------------------------------------------------------------------------
    def parse_pdf(
        self, path: str | os.PathLike[str], *, password: str | None = None, progress: Progress | None = None
    ) -> ParsedTable:
        from evaldesk.importer import parse_pdf

        return parse_pdf(path, password=password, progress=progress)

    def cell_image(self, data: bytes, doubt: CellDoubt, *, password: str | None = None) -> bytes | None:
        """The printed cell of a doubt, cut from the PDF ``data`` as PNG bytes (None without a box)."""
        from evaldesk.importer.crops import crop_png

        if doubt.page is None or doubt.box is None:
            return None
        return crop_png(data, page=doubt.page, box=doubt.box, password=password)

    def import_pdf(
        self,
        path: str | os.PathLike[str],
        *,
        year: int | str | None = None,
        replace: bool = False,
        password: str | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        parsed: ParsedTable | None = None,
        accept_warnings: bool = False,
    ) -> ImportSummary:
        """Read a published table PDF and store it as one fiscal year, in one transaction.

        A table with doubtful cells is refused with DoubtfulCellsError unless ``accept_warnings``.
        """
        source = Path(path)
        table = parsed if parsed is not None else self.parse_pdf(source, password=password, progress=progress)
        return self.import_table(
            table,
            year=year,
            file_name=source.name,
            data=source.read_bytes(),
            replace=replace,
            dry_run=dry_run,
            accept_warnings=accept_warnings,
        )

    def import_table(
        self,
        table: ParsedTable,
        *,
        year: int | str | None = None,
        file_name: str = "",
        data: bytes = b"",
        replace: bool = False,
        dry_run: bool = False,
        accept_warnings: bool = False,
    ) -> ImportSummary:
        """Store an already parsed table as one fiscal year (the import dialog previews first).

        Refused, before anything is written, when the year contradicts the table's title
        (YearMismatchError) or when cells are in doubt (DoubtfulCellsError; a dry run reports them in
        the summary instead), unless ``accept_warnings``. A caller that had the user confirm or correct
        the doubtful cells passes the table from :func:`evaldesk.importer.checks.resolve`.
        """
        fiscal_year = parse_year(year) if year is not None else table.title_year
        if fiscal_year is None:
            raise YearMissingError("年度が分かりません。表題に年度がないため、年度を指定してください。")
        if table.title_year is not None and fiscal_year != table.title_year and not accept_warnings:
            raise YearMismatchError(asked=fiscal_year, title_year=table.title_year, title=table.title or "")
        if table.doubts and not accept_warnings and not dry_run:
            raise DoubtfulCellsError(table.doubts, cells_checked=table.cells_checked)
        digest = hashlib.sha256(data).hexdigest()
        table = import_writer.without_nul(table)
        exists = self._year_exists(fiscal_year)
        if exists and not replace:
            raise YearExistsError(fiscal_year)
        backup_path: str | None = None
        if not dry_run:
            if self._has_any_year():
                backup_path = str(self.backup(reason="import"))
            with self._session.begin() as s:
                locks.writer(s)
                import_writer.write_import(
                    s, year=fiscal_year, table=table, file_name=file_name, digest=digest, data=data
                )
        skipped = import_writer.duplicates(table)
        warnings = table.warnings + tuple(
            f"事業番号 {r.program_id} の2行目（{r.name}）は同じ番号の行と重なるため保存しませんでした。"
            for r in skipped
        )
        return ImportSummary(
            fiscal_year=fiscal_year,
            programs=len(table.rows) - len(skipped),
            pages=table.pages,
            warnings=warnings,
            file_name=file_name,
            sha256=digest,
            replaced=exists,
            dry_run=dry_run,
            backup=backup_path,
            doubts=table.doubts,
            cells_checked=table.cells_checked,
        )

    def _year_exists(self, year: int) -> bool:
        with self._session() as s:
            return s.scalars(select(FiscalYearRow.id).where(FiscalYearRow.year == year)).first() is not None

    def _has_any_year(self) -> bool:
        with self._session() as s:
            return s.scalars(select(FiscalYearRow.id)).first() is not None

    def delete_year(self, year: int) -> None:
        self.backup(reason="delete-year")
        with self._session.begin() as s:
            locks.writer(s)
            fy = queries.get_year(s, year)
            s.delete(fy)

    # -- editing --------------------------------------------------------------------------------
    def update_program(
        self,
        year: int,
        program_id: str,
        changes: Mapping[str, str],
        *,
        if_revision: int | None = None,
        how: str = "edit",
        source: str | None = None,
    ) -> ProgramChange:
        """Change texts of one program; refused with StaleRevisionError if someone saved meanwhile."""
        editing.check_changes(changes)
        with self._session.begin() as s:
            locks.writer(s)
            return editing.write_change(
                s,
                year=year,
                program_id=program_id,
                changes=changes,
                if_revision=if_revision,
                how=how,
                source=source,
            )

    # -- history --------------------------------------------------------------------------------
    def history(self, year: int, program_id: str | None = None) -> list[HistoryEntry]:
        stmt = select(HistoryRow).where(HistoryRow.fiscal_year == year)
        if program_id is not None:
            stmt = stmt.where(HistoryRow.program_id == program_id)
        with self._session() as s:
            return [queries.history_from_row(r) for r in s.scalars(stmt.order_by(HistoryRow.id.desc()))]

    def restore_history(
        self, entry_id: int, *, use: str = "old", if_revision: int | None = None
    ) -> ProgramChange:
        """Put back the old (or new) value of one history entry as a new change of how='restore'."""
        with self._session() as s:
            row = s.get(HistoryRow, entry_id)
            if row is None:
                raise NotFoundError(f"履歴 {entry_id} が見つかりません。")
            entry = queries.history_from_row(row)
        value = entry.old if use == "old" else entry.new
        if value is None:
            raise FieldError("この履歴には戻せる文章がありません。")
        return self.update_program(
            entry.fiscal_year, entry.program_id, {entry.field: value}, if_revision=if_revision, how="restore"
        )

    # -- links for the comparison -------------------------------------------------------------
    def links(self, from_year: int | None = None, to_year: int | None = None) -> list[ProgramLink]:
        stmt = select(LinkRow)
        if from_year is not None:
            stmt = stmt.where(LinkRow.from_year == from_year)
        if to_year is not None:
            stmt = stmt.where(LinkRow.to_year == to_year)
        with self._session() as s:
            return [queries.link_from_row(r) for r in s.scalars(stmt.order_by(LinkRow.id))]

    def add_link(
        self, *, from_year: int, from_program_id: str, to_year: int, to_program_id: str, note: str = ""
    ) -> ProgramLink:
        if (from_year, from_program_id) == (to_year, to_program_id):
            raise FieldError("事業を自分自身に対応付けることはできません。")
        with self._session.begin() as s:
            locks.writer(s)
            for year, program_id in ((from_year, from_program_id), (to_year, to_program_id)):
                queries.get_program(s, year, program_id)  # NotFoundError names the missing year or program
            row = LinkRow(
                from_year=from_year,
                from_program_id=from_program_id,
                to_year=to_year,
                to_program_id=to_program_id,
                note=note,
            )
            s.add(row)
            try:
                s.flush()
            except SQLAlchemyError as exc:
                raise EvaldeskError("同じ対応付けがすでにあります。") from exc
            return queries.link_from_row(row)

    def remove_link(self, link_id: int) -> None:
        with self._session.begin() as s:
            locks.writer(s)
            s.execute(delete(LinkRow).where(LinkRow.id == link_id))

    def compare(self, from_year: int, to_year: int) -> Comparison:
        from evaldesk.compare import compare_years

        for year in (from_year, to_year):  # a missing year would show every program as new or ended
            if not self._year_exists(year):
                raise NotFoundError(f"{era_label(year)}（{year}）のデータはありません。")
        return compare_years(
            self.programs(from_year), self.programs(to_year), links=self.links(from_year, to_year)
        )

    # -- export ---------------------------------------------------------------------------------
    def export(
        self,
        year: int,
        out: str | os.PathLike[str],
        *,
        layout: str = "list",
        fmt: str = "pdf",
        program_ids: Sequence[str] = (),
        department: str | None = None,
        progress: Progress | None = None,
    ) -> ExportResult:
        from evaldesk import export as ex

        programs = self.programs(year, department=department)
        if program_ids:
            wanted = set(program_ids)
            missing = wanted - {p.program_id for p in programs}
            if missing:
                raise NotFoundError(
                    f"{era_label(year)} に事業番号 {', '.join(sorted(missing))} はありません。"
                )
            programs = [p for p in programs if p.program_id in wanted]
        if not programs:
            raise NotFoundError(f"{era_label(year)} に出力する事業がありません。")
        target = self.check_output(out)
        if department:
            # The title names the office when the filter picked exactly one; else the text typed.
            offices = {p.department for p in programs}
            department = offices.pop() if len(offices) == 1 else department
        if fmt == "csv":
            return ex.export_csv(programs, target, year=year)
        if fmt == "xlsx":
            return ex.export_xlsx(programs, target, year=year, department=department)
        if layout == "sheet":
            return ex.export_sheets_pdf(programs, target, year=year, progress=progress)
        return ex.export_list_pdf(programs, target, year=year, department=department, progress=progress)

    def sheet_fit(self, program: Program) -> SheetFit:
        """How ``program`` (as edited, not yet saved) comes out on its printed sheet: the same layout
        code that prints it says which texts shrink and which go on a 「（続き）」 page."""
        from evaldesk.export import sheet_fit

        return sheet_fit(program)

    def write_comparison_pdf(self, comparison: Comparison, out: str | os.PathLike[str]) -> Path:
        """Write the printable report of a comparison (the same output-path checks as ``export``)."""
        from evaldesk.compare import write_comparison_pdf

        return write_comparison_pdf(comparison, self.check_output(out))

    def check_output(self, out: str | os.PathLike[str]) -> Path:
        """Refuse an output path that is this database, one of its side files, a backup or a device."""
        return check_output_path(Path(out), protected=[sqlite_path(self.url)], backup_dir=self.backup_dir)

    # -- backups --------------------------------------------------------------------------------
    def backup(self, *, reason: str = "manual") -> Path:
        return backup_store.backup_database(
            self.engine, self.url, self.backup_dir, reason=reason, keep=self.keep_backups
        )

    def backups(self) -> list[Path]:
        return backup_store.list_backups(self.backup_dir)

    def restore(self, path: str | os.PathLike[str]) -> Path:
        """Replace the data with a backup; returns the copy of the state before (see evaldesk.restore)."""
        from evaldesk.restore import restore_database

        def safety(conn: Connection) -> Path:
            folder, keep = self.backup_dir, self.keep_backups
            return backup_store.backup_database(
                self.engine, self.url, folder, reason="before-restore", keep=keep, source=conn
            )

        return restore_database(self.engine, Path(path), workdir=self.backup_dir, safety=safety)
