"""The main window's menus and what they open: import, export, comparison, backups, settings, About, drops."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
)

from evaldesk.errors import Cancelled
from evaldesk.records import Changes, ImportSummary
from evaldesk.resources import resource_path
from ui.file_dialogs import start_folder
from ui.i18n import LANGUAGES, language, tr, year_text
from ui.settings import settings
from ui.widgets import object_name
from ui.window_state import WindowState

log = logging.getLogger(__name__)

SAMPLE_YEAR = 2024


class MenusMixin(WindowState):
    """Actions with their shortcuts, and the windows and jobs they start."""

    def _action(
        self,
        text: str,
        name: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.actionImport = self._action(
            tr("取り込み…"),
            "actionImport",
            self.open_import,
            std.Open,
            tip=tr("事務事業評価の PDF を取り込みます"),
        )
        self.actionExport = self._action(
            tr("書き出し・印刷…"),
            "actionExport",
            self.open_export,
            std.Print,
            tip=tr("一覧表・事業シートの PDF、CSV、Excel に書き出します"),
        )
        self.actionRound = self._action(
            tr("見直しの配布・回収…"),
            "actionRound",
            self.open_round,
            tip=tr("部署ごとの Excel ブックを送付し、返送されたブックを確認して取り込みます"),
        )
        self.actionBackup = self._action(tr("バックアップ…"), "actionBackup", self.backup)
        self.actionRestore = self._action(
            tr("バックアップから復元…"), "actionRestoreBackup", self.restore_backup
        )
        self.actionQuit = self._action(tr("終了"), "actionQuit", self.close, std.Quit)
        self.actionQuit.setShortcut(QKeySequence("Ctrl+Q"))
        self.actionUndo = self.undo_group.createUndoAction(self, tr("元に戻す"))
        self.actionUndo.setObjectName("actionUndo")
        self.actionUndo.setShortcuts(QKeySequence.keyBindings(std.Undo))
        self.actionRedo = self.undo_group.createRedoAction(self, tr("やり直し"))
        self.actionRedo.setObjectName("actionRedo")
        redo_keys = QKeySequence.keyBindings(std.Redo)
        for extra in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")):
            if extra not in redo_keys:
                redo_keys.append(extra)
        self.actionRedo.setShortcuts(redo_keys)
        self.addAction(self.actionUndo)
        self.addAction(self.actionRedo)
        self.actionSave = self._action(
            tr("保存"), "actionSave", self.save_current, std.Save, tip=tr("表示中の事業の変更を保存します")
        )
        self.actionSaveAll = self._action(
            tr("すべて保存"), "actionSaveAll", lambda: self.save_all(lambda: None), "Ctrl+Shift+S"
        )
        self.actionRevert = self._action(
            tr("変更を取り消す"),
            "actionRevert",
            self.revert_current,
            tip=tr("表示中の事業を最後に保存した状態に戻します"),
        )
        self.actionFind = self._action(tr("検索"), "actionFind", self.focus_search, std.Find)
        self.actionCompare = self._action(
            tr("年度比較…"), "actionCompare", self.open_compare, "Ctrl+D", tip=tr("2つの年度を比べます")
        )
        self.actionFieldLimits = self._action(
            tr("文字数の目安…"), "actionFieldLimits", self.edit_field_limits
        )
        self.actionDatabase = self._action(tr("データベース…"), "actionDatabase", self.edit_database)
        self.actionAbout = self._action(tr("evaldesk について"), "actionAbout", self.show_about)
        self.actionManual = self._action(tr("使い方"), "actionManual", self.show_manual, std.HelpContents)
        self.languageGroup = QActionGroup(self)
        self.languageActions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, self.languageGroup)
            action.setObjectName(object_name("actionLanguage", code))
            action.setCheckable(True)
            action.setChecked(code == settings().language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.languageActions[code] = action
        self.undo_group.cleanChanged.connect(lambda _clean: self._update_actions())
        self._update_actions()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("ファイル(&F)"))
        file_menu.addActions([self.actionImport, self.actionExport])
        file_menu.addSeparator()
        file_menu.addAction(self.actionRound)
        file_menu.addSeparator()
        file_menu.addActions([self.actionBackup, self.actionRestore])
        file_menu.addSeparator()
        file_menu.addAction(self.actionQuit)
        edit_menu = bar.addMenu(tr("編集(&E)"))
        edit_menu.addActions([self.actionUndo, self.actionRedo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.actionSave, self.actionSaveAll, self.actionRevert])
        edit_menu.addSeparator()
        edit_menu.addAction(self.actionFind)
        view_menu = bar.addMenu(tr("表示(&V)"))
        view_menu.addAction(self.actionCompare)
        settings_menu = bar.addMenu(tr("設定(&S)"))
        language_menu = settings_menu.addMenu(tr("表示言語"))
        language_menu.addActions(list(self.languageActions.values()))
        settings_menu.addActions([self.actionFieldLimits, self.actionDatabase])
        help_menu = bar.addMenu(tr("ヘルプ(&H)"))
        help_menu.addActions([self.actionManual, self.actionAbout])

    # == files, dialogs ============================================================================
    def open_import(self, path: str | None = None) -> None:
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.desk, self.runner, self, path=path)
        dialog.imported.connect(self.imported)
        self.dialogs["import"] = dialog
        dialog.open()

    def imported(self, summary: ImportSummary) -> None:
        """Show the year just imported (the broadcast has already put it in the year selector)."""
        if summary.dry_run:
            return
        if summary.fiscal_year != self.year:
            self._set_combo_year(summary.fiscal_year)
            self._show_year(summary.fiscal_year)
        self.status(
            tr(
                "{year}の {n} 事業を取り込みました。",
                year=year_text(summary.fiscal_year),
                n=summary.programs,
            )
        )

    def open_export(self) -> None:
        if self.year is None:
            return
        from ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.desk,
            self.runner,
            self,
            year=self.year,
            program_id=self.current.program_id if self.current else None,
            # この部署: the department chosen in the tree, else the shown program's own.
            department=self.departmentTree.current_filter()
            or (self.current.base.department if self.current else None),
        )
        self.dialogs["export"] = dialog
        dialog.open()

    def open_compare(self) -> None:
        from ui.compare_view import CompareView

        s = settings()
        view = CompareView(
            self.desk, self.runner, self, from_year=s.compare_from_year, to_year=s.compare_to_year
        )
        view.editRequested.connect(self.go_to_program)
        self.dialogs["compare"] = view
        view.show()

    def ask_load_sample(self, on_yes: Callable[[], None]) -> None:
        self.ask_yes_no(
            tr("はじめに"),
            tr(
                "データベースにまだ年度がありません。付属のサンプル（令和6年度・20事業）を取り込んで試しますか？"
                "\n自分の市の PDF は「ファイル → 取り込み…」から取り込めます。"
            ),
            on_yes,
        )

    def backup(self) -> None:
        s = settings()
        folder = start_folder(s.last_backup_dir)
        # The whole database, every year: named for the day, not for the year on screen.
        suggested = str(Path(folder) / f"evaldesk-{date.today():%Y%m%d}.sqlite3")
        target, _ = QFileDialog.getSaveFileName(
            self, tr("バックアップの保存先"), suggested, tr("evaldesk バックアップ (*.sqlite3)")
        )
        if not target:
            return
        s.last_backup_dir = str(Path(target).parent)
        self._busy_message(tr("バックアップしています…"))

        def work(_progress: Callable[[int, int], None]) -> Path:
            made = self.desk.backup(reason="manual")
            if Path(target).resolve() != made.resolve():
                shutil.copy2(made, target)
            return Path(target)

        def done(path: Path) -> None:
            self._idle()
            self.status(tr("バックアップを保存しました: {path}", path=str(path)))

        def failed(exc: BaseException) -> None:
            self._idle()
            self.show_error(exc, doing="バックアップ")

        self.runner.run(work, on_done=done, on_error=failed)

    def restore_backup(self) -> None:
        folder = settings().last_backup_dir or str(self.desk.backup_dir)
        path, _ = QFileDialog.getOpenFileName(
            self, tr("復元するバックアップ"), folder, tr("evaldesk バックアップ (*.sqlite3)")
        )
        if not path:
            return
        unsaved = len(self.dirty_sessions())
        text = tr(
            "データベースをバックアップ「{name}」の内容に置き換えます。いまの内容は先にバックアップされます。",
            name=Path(path).name,
        )
        if unsaved:
            text += "\n" + tr("未保存の変更（{n} 件）は失われます。", n=unsaved)
        self.ask_yes_no(tr("バックアップから復元"), text, lambda: self._restore_from(path))

    def _restore_from(self, path: str) -> None:
        self._busy_message(tr("復元しています…"))

        def done(safety: Path) -> None:
            self._idle()
            self.status(tr("復元しました。復元前の内容は {path} に保存しました。", path=str(safety)))

        def failed(exc: BaseException) -> None:
            self._idle()
            self.show_error(exc, doing="復元")

        self.runner.run(
            lambda _p: self.desk.restore(path),
            on_done=done,
            on_error=failed,
            changes=lambda _safety: Changes(everything=True),
        )

    def _offer_sample(self) -> None:
        if self.yearCombo.count() == 0 and resource_path("samples", "r6_sample.pdf").exists():
            self.ask_load_sample(self.load_sample)

    def load_sample(self) -> None:
        path = resource_path("samples", "r6_sample.pdf")
        self._busy_message(tr("サンプルを取り込んでいます…"))

        def done(summary: ImportSummary) -> None:
            self._idle()
            self.imported(summary)

        def failed(exc: BaseException) -> None:
            self._idle()
            if not isinstance(exc, Cancelled):
                self.show_error(exc, doing="取り込み")

        self.runner.run(
            lambda progress: self.desk.import_pdf(path, year=SAMPLE_YEAR, progress=progress),
            on_done=done,
            on_error=failed,
            on_progress=self._progress,
            changes=lambda summary: summary.changes,
        )

    # == settings menu =============================================================================
    def set_language(self, code: str) -> None:
        s = settings()
        if code == s.language:
            return
        s.language = code
        s.sync()
        if code != language():
            self.show_info(tr("表示言語は次回の起動から {name} になります。", name=LANGUAGES[code]))

    def edit_field_limits(self) -> None:
        from ui.preferences import FieldLimitsDialog

        dialog = FieldLimitsDialog(settings().field_limits, self)

        def accepted() -> None:
            settings().field_limits = dialog.limits()
            self.editor.set_limits(dialog.limits())

        dialog.accepted.connect(accepted)
        self.dialogs["limits"] = dialog
        dialog.open()

    def edit_database(self) -> None:
        from ui.preferences import DatabaseDialog

        dialog = DatabaseDialog(settings().db_url, self, in_use=self.desk.display_url)

        def accepted() -> None:
            if dialog.value() != settings().db_url:
                settings().db_url = dialog.value()
                self.show_info(tr("データベースの設定は次回の起動から使われます。"))

        dialog.accepted.connect(accepted)
        self.dialogs["database"] = dialog
        dialog.open()

    def show_manual(self) -> None:
        from ui.manual import ManualDialog

        dialog = ManualDialog(self)
        self.dialogs["manual"] = dialog
        dialog.show()

    def show_about(self) -> None:
        from evaldesk.logs import setup_logging
        from ui.about import AboutDialog

        dialog = AboutDialog(self, database=self.desk.display_url, log_file=str(setup_logging()))
        self.dialogs["about"] = dialog
        dialog.open()

    # == Qt events =================================================================================
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind == QEvent.Type.KeyPress
            and watched is self.searchEdit
            and isinstance(event, QKeyEvent)
            and self._search_key(event)
        ):
            return True
        if (
            kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
            and isinstance(event, QDropEvent)
            and (self._dropped_pdf(event) is not None or self.dropped_workbooks(event))
        ):
            if kind == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                event.acceptProposedAction()
            return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_pdf(event) is not None or self.dropped_workbooks(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        workbooks = self.dropped_workbooks(event)
        if workbooks and self.year is not None:  # returned workbooks of the revision round
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.collect_workbooks(workbooks))
            return
        path = self._dropped_pdf(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        settings().last_import_dir = str(Path(path).parent)
        QTimer.singleShot(0, lambda: self.open_import(path))

    @staticmethod
    def _dropped_pdf(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                return url.toLocalFile()
        return None
