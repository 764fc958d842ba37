"""Which of the county server's hot modules run compiled, and whether they are of the code beside them.

`installer/compile_server.py` compiles the modules a push runs over every record (the county's rules,
normalising, the merge and its records) with mypyc, in place: each becomes an extension module beside
its source, which Python imports in its stead. A push takes about a fifth less of the server's CPU
(docs/deployment.md, "Compiled"). The laptop's build is never compiled.

An extension module left from an older version of the code would run in place of the newer source
beside it, silently; and a compiled module holds what it knew of the types of the modules it imports.
The compile writes what it compiled from (STAMP: a digest of every source of core/ and sync/, and the
modules compiled); the server checks it when it starts, and refuses to start (`Stale`) on an extension
module beside a source in core/ or sync/ unless the stamp names it and the code is still the code
compiled.
"""
from __future__ import annotations

import hashlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

# A push's hot path: what runs over every value and record (bench/compiled.py measured them).
HOT_MODULES = ("core.idcard", "core.validation.problems", "core.validation.coerce", "core.validation.checker",
               "core.validation.household", "core.validation.records", "core.validation.grievance",
               "core.validation.yearly", "core.validation.rows", "core.validation.normalize", "core.executemany",
               "core.wire_values", "sync.server.merge", "sync.server.rows")
PACKAGES = ("core", "sync")  # the code a compiled module was compiled against
STAMP = "compiled-sources.json"  # in sync/server/: {"code": code_digest, "modules": [names], "made": [paths], ...}
TREE = Path(__file__).resolve().parents[2]  # the folder that holds core/ and sync/ as this process runs them


class Stale(RuntimeError):
    """Extension modules that are not of the code beside them; `modules` names them, `reason` says why:
    "code" (the code changed since they were compiled), "unstamped" (no stamp, or one that does not
    name them: a compile stopped half-way, or modules not compiled by installer/compile_server.py)."""

    def __init__(self, modules: list[str], reason: str):
        super().__init__(f"{reason}: {', '.join(modules)}")
        self.modules, self.reason = modules, reason


def code_digest(tree: Path) -> str:
    """One digest of every Python source of core/ and sync/ in `tree`, with its path."""
    digest = hashlib.sha256()
    for path in sorted(p for package in PACKAGES for p in (tree / package).rglob("*.py")):
        digest.update(str(path.relative_to(tree)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def extension_modules(tree: Path) -> list[str]:
    """The modules of core/ and sync/ in `tree` that Python imports from an extension module beside
    their source (which it prefers), by dotted name."""
    found = []
    for package in PACKAGES:
        for path in (tree / package).rglob("*.so"):
            stem = path.name.split(".", 1)[0]
            # Only those this Python loads (a module compiled for another version is not imported).
            if path.name[len(stem):] in EXTENSION_SUFFIXES and path.with_name(stem + ".py").is_file():
                found.append(".".join(path.relative_to(tree).parent.parts + (stem,)))
    return sorted(found)


def stamp_path(tree: Path = TREE) -> Path:
    return tree / "sync" / "server" / STAMP


def compiled_modules(tree: Path = TREE) -> list[str]:
    """The modules that run compiled from `tree`, after checking them against the stamp: raises
    Stale unless each was compiled, from the code as it is now, by installer/compile_server.py."""
    found = extension_modules(tree)
    if not found:
        return found
    try:
        stamp = json.loads(stamp_path(tree).read_text(encoding="utf-8"))
        stamped, code = set(stamp["modules"]), stamp["code"]
    except (OSError, ValueError, KeyError, TypeError):
        raise Stale(found, "unstamped") from None
    if not stamped.issuperset(found):
        raise Stale(sorted(set(found) - stamped), "unstamped")
    if code != code_digest(tree):
        raise Stale(found, "code")
    return found
