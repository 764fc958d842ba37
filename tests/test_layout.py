"""The one rule of dependencies (DESIGN.md section 2), checked by walking every import."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "core": {"PySide6", "requests", "fastapi", "uvicorn", "starlette", "httpx", "gui", "sync"},
    "gui": {"sqlalchemy", "sqlcipher3", "sqlite3", "fastapi", "uvicorn"},
    "sync": {"PySide6", "gui"},
}


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_layout_folders_exist():
    for folder in ("core", "gui", "sync", "sync/server", "core/resources", "gui/resources", "installer", "tests", "bench"):
        assert (ROOT / folder).is_dir(), f"{folder}/ is missing"
    assert (ROOT / "main.py").is_file()


def test_no_package_imports_what_the_layout_forbids():
    broken = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = imported_top_modules(path) & forbidden
            if bad:
                broken.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert broken == []


def test_the_sync_client_and_the_county_server_keep_to_their_side():
    """The laptop's sync code needs no web framework; the server needs no HTTP client or laptop store."""
    laptop = ["sync/client.py", "sync/batch.py", "sync/protocol.py", "sync/commands.py"]
    broken = [p for p in laptop if imported_top_modules(ROOT / p) & {"fastapi", "uvicorn", "starlette"}]
    for path in sorted((ROOT / "sync/server").rglob("*.py")):
        if imported_top_modules(path) & {"requests"} or "core.store" in path.read_text(encoding="utf-8"):
            broken.append(str(path.relative_to(ROOT)))
    assert broken == []


def test_the_walker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\ndef f():\n    import requests\n")
    assert imported_top_modules(sample) >= {"PySide6", "requests"}
