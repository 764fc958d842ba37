"""The one rule of dependencies (docs/architecture.md, "Layers"), checked by walking every import; and
that nothing in the repository points at a document outside it."""
from __future__ import annotations

import ast
import re
import subprocess
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
    laptop = ["sync/client.py", "sync/push.py", "sync/pull.py", "sync/batch.py", "sync/protocol.py", "sync/commands.py"]
    broken = [p for p in laptop if imported_top_modules(ROOT / p) & {"fastapi", "uvicorn", "starlette"}]
    for path in sorted((ROOT / "sync/server").rglob("*.py")):
        if imported_top_modules(path) & {"requests"} or "core.store" in path.read_text(encoding="utf-8"):
            broken.append(str(path.relative_to(ROOT)))
    assert broken == []


def test_the_walker_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom PySide6.QtCore import QObject\ndef f():\n    import requests\n")
    assert imported_top_modules(sample) >= {"PySide6", "requests"}


# The repository documents itself in docs/: nothing in it may point at a document outside it.
# (Built from pieces, so that this file does not name what it looks for.)
OUTSIDE_DOCUMENTS = re.compile("|".join([r"DESIGN" + r"\.md", r"\.\.[/\\]" + "shared", r"/work/" + "shared"]),
                               re.IGNORECASE)
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".spec", ".sh"}
TEXT_FILES = {".ci/run"}


def tracked_text_files() -> list[str]:
    """The repository's text files: those git tracks, or, outside a git checkout, those on disk."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        names = [n for n in listed.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "build", "__pycache__", ".pytest_cache", ".hypothesis"}
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts) and ".egg-info" not in str(p)]
    return sorted(n for n in names if Path(n).suffix in TEXT_SUFFIXES or n in TEXT_FILES)


def test_no_file_points_at_a_document_outside_the_repository():
    files = tracked_text_files()
    assert "README.md" in files and "docs/architecture.md" in files
    found = []
    for name in files:
        path = ROOT / name
        if not path.is_file():  # deleted in the working tree, not yet committed
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE_DOCUMENTS.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "point at docs/ instead:\n" + "\n".join(found)


def test_the_search_for_outside_documents_sees_them():
    for line in ("see " + "DESIGN" + ".md section 5", "(../" + "shared/notes)", "..\\" + "shared\\x"):
        assert OUTSIDE_DOCUMENTS.search(line), line
    assert not OUTSIDE_DOCUMENTS.search("docs/protocol.md, the shared counter")
