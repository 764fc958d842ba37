"""`pip install .` gives a working Anju outside the repository: the wheel carries core, gui and
sync with their data (code lists, translations, font, migrations), and its `anju` and
`anju-server` commands run from any folder without the source tree."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out, source = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("source") / "anju"
    # Built from a copy: a build in the checkout would leave build/ behind, whose stale files a
    # later wheel could carry.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                                "__pycache__", ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
                   check=True, capture_output=True, text=True, timeout=600)
    (found,) = out.glob("anju-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into a folder of its own (the dependencies come from this environment)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True, timeout=600)
    return target


def run_installed(target: Path, command: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(target), "ANJU_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, str(target / "bin" / command), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_the_wheel_carries_the_packages_and_their_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("core/resources/codes/codes.json", "core/resources/codes/gbt2260_areas.txt",
                   "gui/resources/i18n/anju_en.qm", "core/migrations/env.py", "core/migrations/script.py.mako",
                   "core/migrations/versions/0001_initial_schema.py", "sync/server/migrations/env.py",
                   "sync/server/migrations/versions/0001_county_server_schema.py", "gui/cli.py"):
        assert needed in names, f"{needed} is missing from the wheel"
    assert any(n.startswith("gui/resources/fonts/") for n in names), "the bundled CJK font is missing"
    assert not any(n.startswith(("tests/", "bench/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "anju = gui.cli:entry" in text and "anju-server = sync.server.__main__:main" in text


def test_the_installed_commands_work_outside_the_repository(installed, tmp_path):
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as f:
        version = tomllib.load(f)["project"]["version"]
    for command in ("anju", "anju-server"):
        shown = run_installed(installed, command, "--version", cwd=tmp_path)
        assert shown.returncode == 0 and shown.stdout.strip() == f"{command} {version}", shown.stderr
    profile = tmp_path / "profile"
    made = run_installed(installed, "anju", "demo-data", "--profile", str(profile), "--households", "5", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    status = run_installed(installed, "anju", "status", "--profile", str(profile), "--json", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["households"] == 5
    where = subprocess.run([sys.executable, "-c", "import core, gui, sync; print(core.__file__, gui.__file__)"],
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
                           capture_output=True, text=True, check=True)
    assert all(path.startswith(str(installed)) for path in where.stdout.split())  # not the source tree
    county = tmp_path / "county.db"
    made = run_installed(installed, "anju-server", "demo-county", "--db", f"sqlite:///{county}", cwd=tmp_path)
    assert made.returncode == 0, made.stderr  # the server's migrations ran from the installed copy
    listed = run_installed(installed, "anju-server", "device", "list", "--db", f"sqlite:///{county}", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
