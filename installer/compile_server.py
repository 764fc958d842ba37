"""Compile the county server's hot modules with mypyc, in place (sync/server/compiled.py says which).

    python installer/compile_server.py [--tree DIR] [--clean]

DIR is the folder that holds core/ and sync/: this checkout by default, or the site-packages an
`anju` wheel was installed into (installer/docker/Dockerfile does that). Each module becomes an
extension module beside its source, which Python then imports in its stead; the sources stay. A
push takes about a fifth less of the server's CPU (docs/deployment.md, "Compiled"). Compile again
after every update of the code: the server refuses to start on a module compiled from other code
than its source now. `--clean` takes the compiled modules away again.

Needs mypy (`pip install "anju[compiled]"`, pinned there) and a C compiler with Python's headers
(Debian: gcc, python3-dev). Only for the county server: the laptop's build is never compiled. The
modules are built in a scratch folder, then put in place with the stamp that says what they were
compiled from written last: a run stopped half-way leaves a server that refuses to start and says
to compile again, never one that runs other code than its sources.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sync.server.compiled import (  # noqa: E402
    HOT_MODULES, PACKAGES, STAMP, code_digest, stamp_path,
)

GROUP = "anju_hot"  # mypyc's shared library of the modules: anju_hot__mypyc.<suffix> at the tree's top
SETUP = """\
import sys
from setuptools import setup
from mypyc.build import mypycify
setup(name="anju-hot-modules", script_args=["build_ext", "--build-lib", sys.argv[1], "--build-temp", sys.argv[2]],
      ext_modules=mypycify(sys.argv[4:], target_dir=sys.argv[3], group_name={group!r}, opt_level="3"))
"""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def module_source(tree: Path, name: str) -> Path:
    return tree.joinpath(*name.split(".")).with_suffix(".py")


def check_tree(tree: Path) -> None:
    missing = [module_source(tree, name) for name in HOT_MODULES if not module_source(tree, name).is_file()]
    if missing:
        sys.exit(f"{tree} does not hold Anju's code: there is no {missing[0].relative_to(tree)} in it (--tree is the "
                 "folder that holds core/ and sync/)")
    folders = {tree, *(module_source(tree, name).parent for name in HOT_MODULES)}
    locked = sorted(str(folder) for folder in folders if not os.access(folder, os.W_OK))
    if locked:
        sys.exit(f"the compiled modules could not be written: no permission to write in {locked[0]} (run this as the "
                 "user who installed the server, or as root in the image)")


def check_mypyc() -> None:
    found = subprocess.run([sys.executable, "-c", "import mypyc.build"], capture_output=True)
    if found.returncode != 0:
        sys.exit('mypyc is not installed for this Python: pip install "anju[compiled]" (or the mypy that '
                 "pyproject.toml pins), then run this again")


class Built(NamedTuple):
    lib: Path  # the built files, laid out as in the tree
    code: str  # the digest of the code they were compiled from (sync.server.compiled.code_digest)


def build(tree: Path, scratch: Path, modules: tuple[str, ...] = HOT_MODULES) -> Built:
    """The modules compiled in `scratch`, from a copy of core/ and sync/ made there first (mypy is given
    the copy: it refuses a site-packages folder as its path, and the code compiled is the code stamped,
    whatever changes in `tree` meanwhile). Exits with the compiler's or mypy's errors when they fail.
    `modules`: dotted names (bench/compiled.py compiles others too)."""
    source = scratch / "src"
    for package in PACKAGES:
        for path in (tree / package).rglob("*.py"):
            copy = source / path.relative_to(tree)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    (scratch / "setup.py").write_text(SETUP.format(group=GROUP), encoding="utf-8")
    sources = [str(module_source(source, name).relative_to(source)) for name in modules]
    lib = scratch / "lib"
    command = [sys.executable, str(scratch / "setup.py"), str(lib), str(scratch / "temp"), str(scratch / "c"),
               "--ignore-missing-imports", "--follow-imports=silent", "--cache-dir", str(scratch / "mypy-cache"), *sources]
    env = {**os.environ, "MYPYPATH": str(source)}
    done = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if ": error:" in line] or done.stderr.splitlines()[-20:]
        sys.exit("the hot modules could not be compiled:\n" + "\n".join(errors))
    return Built(lib, code_digest(source))


def put_in_place(tree: Path, built: Built, modules: tuple[str, ...] = HOT_MODULES) -> list[str]:
    """What an earlier compile put in `tree` taken away (clean), the built files copied in (each beside,
    then renamed), then the stamp; their paths. Stopped half-way, the server refuses to start (no stamp)."""
    clean(tree)
    made = sorted(str(path.relative_to(built.lib)) for path in built.lib.rglob("*") if path.is_file())
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True, text=True).stdout.strip()
    stamp = {"code": built.code, "modules": sorted(modules), "made": made, "mypy": mypy}
    for name in made:
        target = tree / name
        beside = target.with_name(target.name + ".new")
        shutil.copy2(built.lib / name, beside)
        os.replace(beside, target)
    beside = stamp_path(tree).with_name(STAMP + ".new")
    beside.write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    os.replace(beside, stamp_path(tree))
    return made


def clean(tree: Path) -> int:
    """What a compile put in `tree` removed: the files its stamp lists and the stamp; also, whatever the
    stamp says (a run stopped before writing it, a module compiled by an older version), every extension
    module beside a source in core/ and sync/, the shared library and files left half-copied."""
    try:
        made = list(json.loads(stamp_path(tree).read_text(encoding="utf-8"))["made"])
    except (OSError, ValueError, KeyError, TypeError):
        made = []
    made += [str(p.relative_to(tree)) for package in PACKAGES for p in (tree / package).rglob("*.so")
             if p.with_name(p.name.split(".", 1)[0] + ".py").is_file()]  # for any Python version
    made += [str(p.relative_to(tree)) for package in PACKAGES for p in (tree / package).rglob("*.so.new")]
    made += [p.name for p in tree.glob(f"{GROUP}__mypyc.*.so*")]
    stamp = stamp_path(tree)
    made = [str(stamp.relative_to(tree)), str(stamp.with_name(STAMP + ".new").relative_to(tree)), *made]  # first:
    gone = 0  # stopped half-way, what is left is refused for want of a stamp, never half imported
    for name in dict.fromkeys(made):
        path = tree / name
        if path.is_file():
            path.unlink()
            gone += 1
    return gone


def remove_scratch(scratch: Path) -> None:
    """A scratch folder this run made, removed; said in a line when it cannot be (it stays in the
    system's temporary folder, which nothing else of Anju reads)."""
    try:
        shutil.rmtree(scratch)
    except OSError as exc:
        say(f"the scratch folder {scratch} could not be removed ({exc.strerror or exc}); it can be deleted by hand")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the folder holding core/ and sync/ (this checkout)")
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules: the server runs interpreted")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    check_tree(tree)
    if args.clean:
        say(f"removed {clean(tree)} files of a compile from {tree}: the server runs interpreted")
        return 0
    check_mypyc()
    scratch = Path(tempfile.mkdtemp(prefix="anju-compile-"))
    try:
        say(f"compiling {len(HOT_MODULES)} modules of {tree} with mypyc (a minute or two)")
        made = put_in_place(tree, build(tree, scratch))
    except OSError as exc:  # the tree is not writable, the disk is full
        sys.exit(f"the compiled modules could not be built or written: {exc.strerror or exc} ({exc.filename or ''}). "
                 "If some were put in place, the server refuses to start until this is run again (or with --clean)")
    except KeyboardInterrupt:
        say("stopped. If it was putting the modules in place, the server refuses to start until this is run again "
            "(or with --clean)")
        return 130
    finally:
        remove_scratch(scratch)
    say(f"compiled: {len(made)} files in {tree}; the server says so when it starts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
