"""Build the frozen app with PyInstaller: one folder (default) or one file, for the machine it runs on, and
what is shipped from it.

    python installer/build.py [--onefile] [--dist DIR]
    python installer/build.py --archive      # Linux: dist/anju-<version>-linux-x86_64.tar.gz (after a build)
    python installer/build.py --installer    # Windows: dist/anju-<version>-setup.exe with Inno Setup's iscc

Prints the build's size and its largest files. Needs the build extra: pip install -e ".[build]".
installer/README.md says what each makes and on what machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "pyinstaller" / "anju.spec"
VERSION_INFO = """VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[StringFileInfo([StringTable('080404B0', [
      StringStruct('CompanyName', '安居 Anju'), StringStruct('FileDescription', '安居 Anju'),
      StringStruct('FileVersion', '{version}'), StringStruct('ProductName', '安居 Anju'),
      StringStruct('ProductVersion', '{version}'), StringStruct('OriginalFilename', 'anju.exe')])]),
        VarFileInfo([VarStruct('Translation', [0x0804, 1200])])])
"""


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def size_of(path: Path) -> int:
    """Bytes on disk; a symbolic link inside a one-folder build (PyInstaller links duplicate libraries) counts
    as the link, not again as its target."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_symlink() or p.is_file())


def windows_version_file(work: Path) -> Path:
    """The version resource of anju.exe (Windows shows it in the file's properties)."""
    nums = tuple(int(n) for n in (version().split(".") + ["0", "0", "0"])[:4])
    work.mkdir(parents=True, exist_ok=True)
    path = work / "version_info.txt"
    path.write_text(VERSION_INFO.format(nums=nums, version=version()), encoding="utf-8")
    return path


def build(onefile: bool, dist: Path) -> int:
    work = dist / ".build"
    env = {**os.environ, "ANJU_ONEFILE": "1" if onefile else "0"}
    if os.name == "nt":
        env["ANJU_VERSION_FILE"] = str(windows_version_file(work))
    done = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist),
                           "--workpath", str(work), str(SPEC)], env=env, cwd=ROOT)
    if done.returncode:
        print(f"PyInstaller failed ({done.returncode}); its output is above.", file=sys.stderr)
        return done.returncode
    built = dist / ("anju" if not onefile else ("anju.exe" if os.name == "nt" else "anju"))
    print(f"{built}: {size_of(built) / 2**20:.1f} MB")
    if built.is_dir():
        files = sorted((p for p in built.rglob("*") if p.is_file() and not p.is_symlink()),
                       key=lambda p: p.stat().st_size, reverse=True)
        for p in files[:15]:
            print(f"  {p.stat().st_size / 2**20:6.1f} MB  {p.relative_to(built)}")
        needed = newest_glibc(files)
        if needed:
            print(f"runs where the C library is glibc {needed} or newer (the newest symbol version any file needs)")
    return 0


def newest_glibc(files: list[Path]) -> str:
    """The highest GLIBC_x.y symbol version the build's binaries need (Linux, with binutils' objdump)."""
    import re

    if shutil.which("objdump") is None:
        return ""
    versions: set[tuple[int, ...]] = set()
    for path in files:
        if path.suffix in (".so", "") or ".so." in path.name:
            out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
            versions |= {tuple(int(n) for n in v.split(".")) for v in re.findall(r"GLIBC_([0-9.]+[0-9])", out)}
    return ".".join(map(str, max(versions))) if versions else ""


def archive(dist: Path) -> int:
    """The Linux archive: the one-folder build, the desktop entry, the icon and install.sh, in one folder."""
    folder = dist / "anju"
    if not (folder / "anju").exists():
        print(f"build first: {folder}/anju is missing (python installer/build.py)", file=sys.stderr)
        return 2
    name = f"anju-{version()}"
    target = dist / f"{name}-linux-{platform.machine()}.tar.gz"
    tmp = target.with_name(target.name + ".part")
    with tarfile.open(tmp, "w:gz") as tar:
        tar.add(folder, f"{name}/anju")
        tar.add(ROOT / "installer" / "linux" / "anju.desktop", f"{name}/anju.desktop")
        tar.add(ROOT / "installer" / "linux" / "install.sh", f"{name}/install.sh")
        tar.add(ROOT / "gui" / "resources" / "icons" / "anju.png", f"{name}/anju.png")
    tmp.replace(target)
    print(f"{target}: {target.stat().st_size / 2**20:.1f} MB")
    return 0


def installer(dist: Path) -> int:
    """The Windows installer from the one-folder build, by Inno Setup's compiler."""
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("Inno Setup's iscc is not on PATH (install Inno Setup 6.3 or later on Windows)", file=sys.stderr)
        return 2
    script = ROOT / "installer" / "windows" / "anju.iss"
    return subprocess.run([iscc, f"/DAppVersion={version()}", f"/DDistDir={dist.resolve()}", f"/O{dist}",
                           str(script)]).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Anju with PyInstaller.")
    parser.add_argument("--onefile", action="store_true", help="one executable instead of one folder")
    parser.add_argument("--dist", type=Path, help="where the build goes (default: dist/, dist/onefile/ for --onefile)")
    parser.add_argument("--archive", action="store_true", help="pack the Linux archive of the one-folder build")
    parser.add_argument("--installer", action="store_true", help="make the Windows installer (Inno Setup)")
    args = parser.parse_args(argv)
    # the one-file app is named like the one-folder build's folder: each gets a folder of its own
    args.dist = args.dist or (ROOT / "dist" / "onefile" if args.onefile else ROOT / "dist")
    if args.archive:
        return archive(args.dist)
    if args.installer:
        return installer(args.dist)
    compiled = [p for package in ("core", "sync") for p in (ROOT / package).rglob("*.so")
                if p.with_name(p.name.split(".", 1)[0] + ".py").is_file()]
    if compiled:  # the laptop's app is never compiled: mypyc's checks are the server's, tested there
        sys.exit("this checkout has modules compiled for the county server (installer/compile_server.py): run "
                 "python installer/compile_server.py --clean before building the app")
    return build(args.onefile, args.dist)


if __name__ == "__main__":
    sys.exit(main())
