"""The packaged app's figures: both build sizes, the largest files, and the frozen cold start to the first
painted household list on a profile of 100,000 households. Prints, never asserts.

    python bench/package.py [--households 100000] [--profile DIR] [--runs 3] [--dist DIR]

Builds the one-folder and the one-file app (installer/build.py) unless --dist names a folder holding both
(dist/anju/ and dist/anju-onefile). Without --profile a demo profile of N households is made with the demo
password, so `anju --demo --profile DIR` opens it without the start dialog. Each start is a fresh process
with its own settings; the app itself measures from its process start to the home page painted with the
list's first page read (ANJU_STARTUP_PROBE, gui/startup_probe.py). The first start follows an eviction of
the profile from the page cache where that is allowed. Targets: one folder under 130 MB, one file under
60 MB, a cold start under 1.5 s.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from installer.build import size_of  # noqa: E402

DEMO_PASSWORD = "anju-demo"  # gui/app.py: what --demo opens a profile with


EXE = ".exe" if os.name == "nt" else ""


def load() -> str:
    if not hasattr(os, "getloadavg"):  # Windows
        return "load average not known here"
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def build(dist: Path) -> tuple[Path, Path]:
    for extra in ([], ["--onefile", "--dist", str(dist / "onefile")]):
        args = [sys.executable, str(ROOT / "installer" / "build.py"), *(extra or ["--dist", str(dist)])]
        started = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        print(f"built {'one file' if extra else 'one folder'} in {time.perf_counter() - started:.0f} s")
    onefile = dist / f"anju-onefile{EXE}"
    shutil.move(str(dist / "onefile" / f"anju{EXE}"), onefile)
    return dist / "anju" / f"anju{EXE}", onefile


def sizes(folder_exe: Path, onefile: Path) -> None:
    folder = folder_exe.parent
    print(f"one folder: {size_of(folder) / 2**20:.1f} MB (target under 130 MB)")
    print(f"one file:   {size_of(onefile) / 2**20:.1f} MB (target under 60 MB)")
    files = sorted((p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()),
                   key=lambda p: p.stat().st_size, reverse=True)
    print("largest files of the one-folder build:")
    for p in files[:12]:
        print(f"  {p.stat().st_size / 2**20:6.1f} MB  {p.relative_to(folder)}")


def ensure_profile(folder: Path, households: int) -> None:
    if (folder / "profile.json").exists():
        return
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "demo-data", "--profile", str(folder), "--households",
                    str(households)], check=True, env={**os.environ, "ANJU_PASSWORD": DEMO_PASSWORD},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"a demo profile of {households:,} households made in {time.perf_counter() - started:.0f} s")


def evict(*places: Path) -> None:
    """Ask the kernel to drop the pages of these files or folders' files (no root needed): the profile and
    the program, so the first start reads both from disk. A no-op where it cannot."""
    if not hasattr(os, "posix_fadvise"):  # Windows
        print("  (the page cache cannot be cleared here: the first start is not a cold one)")
        return
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*")) if p.is_file()]
    refused = 0
    for path in files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            refused += 1
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            refused += 1
        finally:
            os.close(fd)
    if refused:
        print(f"  ({refused} of {len(files)} files could not be dropped from the page cache)")


def start_once(exe: Path, profile: Path, scratch: Path) -> tuple[float, float]:
    """(ms from the program's own process start, ms from launching it) to the first painted list. The one-file
    build's bootloader unpacks the app before starting it in a second process, which the first figure
    cannot see: the second, taken here from the moment of launch to the probe's file, includes it."""
    probe = scratch / "probe.json"
    probe.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "ANJU_STARTUP_PROBE": str(probe), "HOME": str(scratch), "XDG_CONFIG_HOME": str(scratch / "config"),
           "XDG_STATE_HOME": str(scratch / "state"), "XDG_DATA_HOME": str(scratch / "data")}
    launched = time.perf_counter()
    with subprocess.Popen([str(exe), "--demo", "--profile", str(profile)], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) as proc:
        while not probe.exists() and proc.poll() is None:
            time.sleep(0.002)
        seen = (time.perf_counter() - launched) * 1000
        proc.wait(timeout=600)
    if proc.returncode:
        raise SystemExit(f"{exe} exited {proc.returncode}")
    return json.loads(probe.read_text())["first_list_painted_ms"], seen


def cold_starts(label: str, exe: Path, profile: Path, runs: int, scratch: Path) -> None:
    evict(profile, exe if exe.name.startswith("anju-onefile") else exe.parent)
    inside, outside = [], []
    for i in range(runs):
        own, launched = start_once(exe, profile, scratch)
        inside.append(own)
        outside.append(launched)
        print(f"  {label} start {i + 1}: {launched:.0f} ms from launch ({own:.0f} ms from the app's process start)"
              f"{' after eviction' if i == 0 else ''}  [{load()}]")
    rest = outside[1:] or outside
    print(f"{label}: from launch to the first painted list, first {outside[0]:.0f} ms, then median "
          f"{statistics.median(rest):.0f} ms, max {max(rest):.0f} ms (target under 1500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--profile", type=Path, help="a profile with the demo password (made when missing)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dist", type=Path, help="a folder holding anju/ and anju-onefile from an earlier run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anju-bench-package-") as tmp:
        scratch = Path(tmp)
        if args.dist and (args.dist / f"anju-onefile{EXE}").exists():
            folder_exe, onefile = args.dist / "anju" / f"anju{EXE}", args.dist / f"anju-onefile{EXE}"
        else:
            folder_exe, onefile = build(args.dist or scratch / "dist")
        sizes(folder_exe, onefile)
        profile = args.profile or scratch / "profile"
        ensure_profile(profile, args.households)
        print(f"profile: {args.households:,} households  [{load()}]")
        cold_starts("one folder", folder_exe, profile, args.runs, scratch)
        cold_starts("one file", onefile, profile, args.runs, scratch)


if __name__ == "__main__":
    main()
