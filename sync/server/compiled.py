"""Which of the county server's hot modules run compiled, and whether they are of the code beside them.

`installer/compile_server.py` compiles the modules a push runs over every record (the county's rules,
normalising, the merge and its records) with mypyc, in place: each becomes an extension module beside
its source, which Python imports in its stead. A push takes about a fifth less of the server's CPU
(docs/deployment.md, "Compiled"). The laptop's build is never compiled.

An extension module left from an older version of the code would run in place of the newer source
beside it, silently. The compile writes what it compiled from (STAMP: each module's source digest and
the files it made); the server checks it when it starts, and refuses to start on a module compiled
from other code than its source now (`Stale`).
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

# A push's hot path: what runs over every value and record (bench/compiled.py measured them).
HOT_MODULES = ("core.idcard", "core.validation.problems", "core.validation.coerce", "core.validation.checker",
               "core.validation.household", "core.validation.records", "core.validation.grievance",
               "core.validation.yearly", "core.validation.rows", "core.validation.normalize", "core.executemany",
               "core.wire_values", "sync.server.merge", "sync.server.rows")
STAMP = "compiled-sources.json"  # beside this module: {"modules": {name: sha256 of its source}, "made": [paths]}


class Stale(RuntimeError):
    """A compiled module whose source has changed since it was compiled (or was not compiled by
    installer/compile_server.py); `modules` names them."""

    def __init__(self, modules: list[str]):
        super().__init__(", ".join(modules))
        self.modules = modules


def is_compiled(module: ModuleType) -> bool:
    """An extension module (mypyc's), not Python source or bytecode."""
    return not str(getattr(module, "__file__", "") or "").endswith((".py", ".pyc"))


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_of(name: str) -> Path:
    """The source file of a hot module, beside whatever Python imports for it."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ImportError(name)
    return Path(spec.origin).with_name(name.rsplit(".", 1)[-1] + ".py")


def stamp_path() -> Path:
    return Path(__file__).with_name(STAMP)


def compiled_modules() -> list[str]:
    """The hot modules that run compiled in this process, after checking each against the stamp:
    raises Stale for one compiled from other code than its source now."""
    compiled = [name for name in HOT_MODULES if is_compiled(importlib.import_module(name))]
    if not compiled:
        return compiled
    try:
        stamped = json.loads(stamp_path().read_text(encoding="utf-8"))["modules"]
    except (OSError, ValueError, KeyError, TypeError):
        stamped = {}
    stale = [name for name in compiled if stamped.get(name) != source_digest(source_of(name))]
    if stale:
        raise Stale(stale)
    return compiled
