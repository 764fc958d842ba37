"""Where Anju's files live: its shipped data inside the package, and the user's data and logs in
the operating system's per-user folders (never beside the program)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "anju"


def resources_dir() -> Path:
    """core/'s data (the code lists): shipped inside the package, so an installed or frozen copy
    finds it beside the code wherever that is."""
    return Path(__file__).resolve().parent / "resources"


def log_dir() -> Path:
    """Where the app writes its log: the operating system's per-user log folder (platformdirs:
    ~/.local/state/anju/log on Linux, %LOCALAPPDATA%\\anju\\Logs on Windows); ANJU_LOG_DIR overrides it."""
    override = os.environ.get("ANJU_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The per-user data folder (platformdirs: ~/.local/share/anju, %LOCALAPPDATA%\\anju): the demo
    profile and, by default, new profiles; never beside the program. ANJU_DATA_DIR overrides it."""
    override = os.environ.get("ANJU_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def configure_logging(level: str = "info") -> Path | None:
    """Warnings and errors, with their tracebacks, go to a rotating file, not the worker's screen
    (what the worker needs is said in words where it happens). Returns the file, or None when the
    folder cannot be written (then Python's last-resort handler prints to stderr)."""
    import logging
    from logging.handlers import RotatingFileHandler

    path = log_dir() / "anju.log"
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(path.resolve()) for h in root.handlers):
        return path  # configured already (main() called again in one process)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:  # said once; the app goes on without its log file
        print(f"无法写日志文件“{path}”：{exc.strerror} / Cannot write the log file {path}: {exc.strerror}",
              file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level.upper())
    return path
