"""Build the frozen app with PyInstaller: one folder (default) or one file, for the machine it runs on.

    python installer/build.py [--onefile] [--dist DIR]

Prints the build's size and its largest files. Needs the build extra: pip install -e ".[build]".
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "pyinstaller" / "anju.spec"


def size_of(path: Path) -> int:
    """Bytes on disk; a symbolic link inside a one-folder build (PyInstaller links duplicate libraries) counts
    as the link, not again as its target."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_symlink() or p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Anju with PyInstaller.")
    parser.add_argument("--onefile", action="store_true", help="one executable instead of one folder")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the build goes (default: dist/)")
    args = parser.parse_args(argv)
    work = args.dist / ".build"
    env = {**os.environ, "ANJU_ONEFILE": "1" if args.onefile else "0"}
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(args.dist),
                           "--workpath", str(work), str(SPEC)], env=env, cwd=ROOT)
    if done.returncode:
        print(f"PyInstaller failed ({done.returncode}); its output is above.", file=sys.stderr)
        return done.returncode
    built = args.dist / ("anju" if not args.onefile else ("anju.exe" if os.name == "nt" else "anju"))
    print(f"{built}: {size_of(built) / 2**20:.1f} MB")
    if built.is_dir():
        files = sorted((p for p in built.rglob("*") if p.is_file() and not p.is_symlink()),
                       key=lambda p: p.stat().st_size, reverse=True)
        for p in files[:15]:
            print(f"  {p.stat().st_size / 2**20:6.1f} MB  {p.relative_to(built)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
