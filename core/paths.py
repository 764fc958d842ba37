"""Where the project's bundled resources live, from source and when frozen."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The resources/ folder: beside core/ from source, in the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def log_dir() -> Path:
    """Where the app writes its log: the user's state folder (ANJU_LOG_DIR overrides it)."""
    override = os.environ.get("ANJU_LOG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "Anju" / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "Anju"
    return Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "anju" / "logs"


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
