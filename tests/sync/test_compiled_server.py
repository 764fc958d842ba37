"""The county server with its hot modules compiled by mypyc (installer/compile_server.py), in a copy of
the code, run as its own process: it says so when it starts, takes a laptop's push and refuses a record
outside the worker's grids as the interpreted one does (its refusal is one the compiled merge once got
wrong); a module whose source changed after it was compiled keeps it from starting, in words; `--clean`
brings it back to interpreted."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.models import new_id
from sync.client import enroll
from sync.server.compiled import HOT_MODULES
from tests.sync.conftest import County, free_port
from tests.sync.sync_helpers import GRID_W1, run_sync
from sync.server.demo import GRID_IDS, SETTLEMENT_ID

OTHER_GRID = GRID_IDS["522601100201-02"]  # w3's: outside w1's scope

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-pass-123"


def tracked_copy(dest: Path) -> Path:
    """The files git tracks (as they are in this working tree), copied to `dest`."""
    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, names.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def server(tree: Path, *args: str, port: int | None = None) -> subprocess.Popen | subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(tree), "ANJU_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin", "HOME": str(tree)}
    command = [sys.executable, "-m", "sync.server", *args]
    if port is None:
        return subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_the_compiled_server_takes_a_push_refuses_what_is_out_of_scope_and_refuses_stale_code(tmp_path):
    pytest.importorskip("mypyc.build", reason="mypy is a test dependency (pip install -e '.[test]')")
    tree = tracked_copy(tmp_path / "tree")
    compiled = subprocess.run([sys.executable, "installer/compile_server.py"], cwd=tree, capture_output=True,
                              text=True, timeout=1200)
    assert compiled.returncode == 0, compiled.stderr
    database = f"sqlite:///{tmp_path / 'county.db'}"
    assert server(tree, "demo-county", "--db", database, "--households", "0").returncode == 0

    port = free_port()
    process = server(tree, "serve", "--db", database, "--port", str(port), port=port)
    try:
        county = County(database, port=port, process=process)
        county.wait_ready()
        w1, _ = enroll(tmp_path / "w1", county.url, "w1", PASSWORD)
        try:
            for grid_id, id_number in ((GRID_W1, "11010519491231002X"), (OTHER_GRID, "110105194912310011")):
                w1.save_household({"id": new_id(), "household_no": f"C-{id_number[-4:]}", "settlement_id": SETTLEMENT_ID,
                                   "grid_id": grid_id},
                                  [{"id": new_id(), "name": "王建国", "relation": "head", "id_number": id_number}])
            report = run_sync(w1)
        finally:
            w1.close()
    finally:
        process.terminate()
        started = process.communicate(timeout=30)[1]
    assert f"hot modules compiled: {len(HOT_MODULES)} of {len(HOT_MODULES)}" in started
    assert report.pushed == {"applied": 2, "rejected": 2}, "w1's household and its head; not the other grid's"
    assert sorted(r["entity"] for r in report.rejections) == ["household", "member"]
    assert all("outside your scope" in r["reason"] for r in report.rejections), report.rejections

    (tree / "core" / "idcard.py").write_text((tree / "core" / "idcard.py").read_text() + "\n# updated\n")
    stale = server(tree, "serve", "--db", database, "--port", str(free_port()))
    assert stale.returncode == 2 and "code changed" in stale.stderr, stale.stderr
    assert f"compile_server.py --tree {tree}" in stale.stderr and "Traceback" not in stale.stderr
    other = tmp_path / "other.db"
    refused = server(tree, "demo-county", "--db", f"sqlite:///{other}", "--households", "0")
    assert refused.returncode == 2 and not other.exists(), "no command runs, nor makes a database, on such code"

    cleaned = subprocess.run([sys.executable, "installer/compile_server.py", "--clean"], cwd=tree,
                             capture_output=True, text=True, timeout=120)
    assert cleaned.returncode == 0 and not list(tree.rglob("*.so"))
