"""Settings, each declared once with its type and default (as Picard declares its options).

Stored with QSettings (an .ini file per user; tests pass a file of their own). Window geometry
and splitter positions are kept by GeometryMixin, not by each window.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    doc: str


OPTIONS = {o.key: o for o in (
    Option("ui/language", str, "zh_CN", "UI language: zh_CN or en"),
    Option("ui/large_font", bool, False, "a larger font for older eyes"),
    Option("ui/font_points", int, 10, "the normal font size in points"),
    Option("security/idle_lock_minutes", int, 10, "lock after this many idle minutes; 0 never locks"),
    Option("forms/draft_seconds", int, 5, "how often an open form's unsaved typing is kept"),
    Option("sync/check_minutes", int, 5, "how often to ask the county server whether it can be reached; 0 never"),
    Option("sync/auto", bool, True, "sync on its own when the county server answers and changes are waiting"),
    Option("sync/auto_minutes", int, 30, "with nothing waiting, sync on its own this often to bring others' "
                                          "changes; 0 only when something waits"),
    Option("sync/after_save_seconds", int, 60, "after a save, sync on its own this many seconds later"),
    Option("backup/keep", int, 7, "rotating backups of the profile kept of each kind (daily, before sync, manual, "
                                  "before restore)"),
    Option("ledgers/folder", str, "", "where the 台账 page saves ledgers; '' is the user's Documents folder"),
    Option("profiles/recent", list, [], "profile folders opened before, newest first"),
)}

LARGE_FONT_FACTOR = 1.4


class Settings:
    """Typed access to the declared options; an undeclared key is a programming error."""

    def __init__(self, path: Path | None = None):
        if path is None:
            self._q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Anju", "Anju")
        else:
            self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, key: str) -> Any:
        option = OPTIONS[key]
        raw = self._q.value(key, None)
        if raw is None:
            return _copy(option.default)
        try:
            return _convert(option, raw)
        except (TypeError, ValueError):
            return _copy(option.default)  # a hand-edited or damaged value falls back to the default

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if not isinstance(value, option.type):
            raise TypeError(f"setting {key} takes {option.type.__name__}, not {type(value).__name__}")
        self._q.setValue(key, value)

    def raw(self, key: str) -> Any:
        """Window state (geometry, splitters): stored as given, not declared one by one."""
        return self._q.value(key, None)

    def set_raw(self, key: str, value: Any) -> None:
        self._q.setValue(key, value)

    def sync(self) -> None:
        self._q.sync()

    def remember_profile(self, folder: Path) -> None:
        recent = [str(folder)] + [p for p in self.get("profiles/recent") if p != str(folder)]
        self.set("profiles/recent", recent[:10])


def _copy(value: Any) -> Any:
    return type(value)(value) if isinstance(value, (list, dict)) else value


def _convert(option: Option, raw: Any) -> Any:
    if option.type is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
    if option.type is list:
        return [str(x) for x in raw] if isinstance(raw, list) else ([str(raw)] if raw else [])
    if option.type is dict:
        if not isinstance(raw, dict):
            raise TypeError(raw)
        return dict(raw)
    return option.type(raw)


class GeometryMixin:
    """Remembers a window's geometry and the state of its named splitters under its objectName;
    a window shown for the first time opens at its `default_size` (width, height), if it has one,
    as far as the screen allows."""

    default_size: tuple[int, int] | None = None

    def restore_geometry(self: QWidget, settings: Settings) -> None:  # type: ignore[misc]
        name = self.objectName()
        geometry = settings.raw(f"geometry/{name}")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        elif self.default_size:
            screen = self.screen().availableGeometry()
            self.resize(min(self.default_size[0], screen.width()), min(self.default_size[1], screen.height()))
        for splitter in self.findChildren(QSplitter):
            state = settings.raw(f"geometry/{name}/{splitter.objectName()}")
            if splitter.objectName() and isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save_geometry(self: QWidget, settings: Settings) -> None:  # type: ignore[misc]
        name = self.objectName()
        settings.set_raw(f"geometry/{name}", self.saveGeometry())
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName():
                settings.set_raw(f"geometry/{name}/{splitter.objectName()}", splitter.saveState())


def documents_folder() -> str:
    """The user's Documents folder (where files the user asks for go by default), else home."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found or str(Path.home())
