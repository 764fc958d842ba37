"""The packaged app and the county server's container, as their users get them.

The frozen build is made here (installer/build.py, PyInstaller, about a minute on two cores) and run as a
user would run it: its version, its self-test offscreen (an encrypted profile made and opened, the main
window drawn with Chinese glyphs, not boxes) and a profile of the first schema revision opened and migrated.
The container test runs where a Docker daemon answers and is skipped, saying so, elsewhere.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OLD_PASSWORD = "old-profile-密码"  # installer/make_old_profiles.py


def _requirements(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name = re.match(r"[A-Za-z0-9_.\-]+(\[[^\]]*\])?", line).group(0)
            found[name.lower()] = line[len(name):]
    return found


def test_the_containers_requirements_are_the_projects():
    """The server's packages in the container carry the constraints pyproject.toml gives them."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = _requirements(pyproject["project"]["dependencies"])
    server = _requirements((ROOT / "installer" / "docker" / "requirements-server.txt").read_text().splitlines())
    assert server and all(project.get(name) == spec for name, spec in server.items()), (server, project)


# Python code run first in a server's process: the desktop's packages absent, as in the container.
_WITHOUT_THE_DESKTOPS = ("import sys\n"
                         "for name in ('sqlcipher3', 'PySide6', 'openpyxl', 'lxml', 'xlrd', 'sqlite_utils',\n"
                         "             'requests'):\n"
                         "    sys.modules[name] = None\n")


def test_the_county_server_runs_without_the_desktops_packages():
    """What the container installs is enough: the server's modules import with the desktop's packages
    (SQLCipher, Qt, openpyxl, …) absent, and its command line answers."""
    code = (_WITHOUT_THE_DESKTOPS +
            "sys.argv = ['anju-server', '--version']\n"
            "import sync.server.app\n"
            "from sync.server.__main__ import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0 and "anju" in done.stdout, done.stderr[-2000:]
    imported = subprocess.run([sys.executable, "-c", "import sync.server.app, sys; print(sorted({m.split('.')[0] "
                               "for m in sys.modules}))"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    allowed = set(_requirements((ROOT / "installer" / "docker" / "requirements-server.txt").read_text().splitlines()))
    assert "sqlcipher3" not in imported.stdout and "PySide6" not in imported.stdout, allowed


def test_the_county_server_without_the_desktops_packages_answers_a_laptop(tmp_path):
    """As in the container: its health answer names the profile schemas it takes, and a laptop's request,
    which carries its profile's schema, is answered (here 401, no token) rather than failing on a store
    the server cannot import."""
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = _WITHOUT_THE_DESKTOPS + "from sync.server.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    server = subprocess.Popen([sys.executable, "-c", code, "--log-level", "warning", "serve", "--db",
                               f"sqlite:///{tmp_path / 'county.db'}", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        health = None
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as answer:
                    health = json.loads(answer.read())
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read()[-2000:]
                time.sleep(0.1)
        from core.schema import HEAD_REVISION
        assert health is not None and health["schemas"][-1] == HEAD_REVISION, health
        pull = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/sync/changes",
                                      headers={"Anju-Protocol": str(max(health["protocols"])),
                                               "Anju-Schema": HEAD_REVISION, "Authorization": "Bearer nobody"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(pull, timeout=10)
        assert refused.value.code == 401 and json.loads(refused.value.read())["error"] == "token_invalid"
    finally:
        server.terminate()
        server.communicate(timeout=30)  # its stderr drained and closed


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="the build needs PyInstaller (pip install -e '.[test]')")
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--dist", str(dist)],
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    exe = dist / "anju" / ("anju.exe" if os.name == "nt" else "anju")
    assert exe.exists()
    return exe


def _run(exe: Path, args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                   "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"), **env}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, env=environment,
                          cwd=home)


@pytest.mark.slow
def test_the_frozen_app_tests_itself(frozen, tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    shown = _run(frozen, ["--version"], tmp_path)
    assert shown.returncode == 0 and version in shown.stdout
    test = _run(frozen, ["selftest"], tmp_path)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "数据库文件已加密" in test.stdout and "自检通过" in test.stdout
    assert "中文字形已绘制" in test.stdout and "界面自检通过" in test.stdout
    assert "Traceback" not in test.stderr


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="fontconfig decides the system's fonts on Linux only")
def test_the_frozen_app_draws_chinese_on_a_machine_without_a_chinese_font(frozen, tmp_path):
    """fontconfig shown an empty font folder: the only Chinese glyphs are the app's own font's."""
    (tmp_path / "fonts").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    test = _run(frozen, ["selftest"], tmp_path, FONTCONFIG_FILE=str(conf))
    assert test.returncode == 0, test.stdout + test.stderr
    assert "中文字形已绘制" in test.stdout


@pytest.mark.slow
def test_the_frozen_app_migrates_a_profile_of_the_first_revision(frozen, tmp_path):
    with zipfile.ZipFile(ROOT / "tests" / "data" / "profiles" / "anju-0001.zip") as z:
        z.extractall(tmp_path)
    status = _run(frozen, ["status", "--profile", str(tmp_path / "profile"), "--json"], tmp_path,
                  ANJU_PASSWORD=OLD_PASSWORD)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["households"] == 1
    assert list((tmp_path / "profile" / "backups").glob("anju-before-0001-*.db"))
    wrong = _run(frozen, ["status", "--profile", str(tmp_path / "profile")], tmp_path, ANJU_PASSWORD="wrong")
    assert wrong.returncode == 2 and "密码不正确" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_image_compiles_with_the_mypy_pyproject_pins():
    """installer/docker/Dockerfile installs mypy for its compile layer by the "compiled" pin, not another."""
    import tomllib

    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["compiled"]
    dockerfile = (ROOT / "installer" / "docker" / "Dockerfile").read_text()
    assert [pin for pin in pins if pin.startswith("mypy")] == [f"mypy=={dockerfile.split('mypy==')[1].split(chr(34))[0]}"]


def _docker_answers() -> bool:
    """A daemon answers and the compose plugin is there (a client alone cannot build or run anything)."""
    if shutil.which("docker") is None:
        return False
    try:
        return all(subprocess.run(command, capture_output=True, timeout=30).returncode == 0
                   for command in (["docker", "info"], ["docker", "compose", "version"]))
    except (subprocess.TimeoutExpired, OSError):
        return False


@pytest.mark.slow
@pytest.mark.skipif(not _docker_answers(), reason="no Docker daemon with its compose plugin answers on this machine "
                                                   "(docker info / docker compose version fail), so the county "
                                                   "server's container cannot be built and run here")
def test_the_container_migrates_postgresql_and_a_laptop_syncs(tmp_path):
    compose = ["docker", "compose", "-f", str(ROOT / "installer" / "docker" / "compose.yaml"), "-p", "anjutest"]
    env = {**os.environ, "ANJU_DB_PASSWORD": "test-db-password", "ANJU_PORT": "18765", "ANJU_PASSWORD": "demo-pass"}
    try:
        up = subprocess.run([*compose, "up", "-d", "--build", "--wait"], env=env, capture_output=True, text=True,
                            timeout=1800)
        assert up.returncode == 0, up.stderr[-3000:]
        logs = subprocess.run([*compose, "logs", "server"], env=env, capture_output=True, text=True, timeout=120)
        assert "hot modules compiled: 14 of 14" in logs.stdout + logs.stderr, "the image runs its hot modules compiled"
        demo = subprocess.run([*compose, "exec", "-T", "-e", "ANJU_PASSWORD=demo-pass", "server", "anju-server",
                               "demo-county", "--households", "12"], env=env, capture_output=True, text=True,
                              timeout=600)
        assert demo.returncode == 0, demo.stderr
        laptop = tmp_path / "w1"
        main = [sys.executable, str(ROOT / "main.py")]
        enroll = subprocess.run([*main, "enroll", "--profile", str(laptop), "--server", "http://127.0.0.1:18765",
                                 "--username", "w1"], env=env, capture_output=True, text=True, timeout=300)
        assert enroll.returncode == 0, enroll.stderr
        deadline = time.monotonic() + 60
        while True:
            sync = subprocess.run([*main, "sync", "--profile", str(laptop)], env=env, capture_output=True,
                                  text=True, timeout=300)
            if sync.returncode == 0 or time.monotonic() > deadline:
                break
        assert sync.returncode == 0, sync.stderr
        status = subprocess.run([*main, "status", "--profile", str(laptop), "--json"], env=env,
                                capture_output=True, text=True, timeout=300)
        assert json.loads(status.stdout)["households"] > 0
    finally:
        subprocess.run([*compose, "down", "-v"], env=env, capture_output=True, timeout=600)
