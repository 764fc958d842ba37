"""Make the encrypted profiles of earlier schema revisions that tests/data/profiles keeps for good.

    python installer/make_old_profiles.py [--out tests/data/profiles] [--only REVISION ...]

Each profile is made by the code of the last commit whose newest migration was that revision (its
`main.py demo-data`, three households), run from a copy of that commit's tree with this checkout's Python
and packages, so it is what that build wrote, not a simulation. Revision 0001 never shipped alone (0002
came in the same commit): its profile is made at that commit with `target_revision="0001"` and one
household written into the tables that revision had. Each is zipped as anju-<revision>.zip with the
password PASSWORD; tests/core/test_old_profiles.py opens every one under the newest code. Run it again
only to add the revision a release leaves behind (add its commit to RELEASED, and give it with --only
so that the profiles kept already stay as they are).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "old-profile-密码"
# revision -> the last commit whose newest migration it was
RELEASED = {"0002": "3e022b2", "0003": "d14e295", "0004": "c06d43b", "0005": "5f0be3f", "0006": "c28af8c",
            "0007": "761d6d6", "0008": "ef23fb1", "0009": "9e9a7d8", "0010": "5f96253"}
FIRST = ("0001", "3e022b2")
FIRST_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from core.store import Store
from core.selftest import sample_household
with Store.create(Path(sys.argv[1]), sys.argv[2], username="w1", target_revision="0001") as store:
    h, members = sample_household()
    with store.writing() as s:
        from sqlalchemy import text
        s.execute(text("INSERT INTO household (id, created_at, updated_at, created_by, device_id, deleted, "
                       "server_seq, household_no, risk_types) VALUES ('h-0001', '2026-11-20 08:00:00', "
                       "'2026-11-20 08:00:00', 'w1', 'dev', 0, 0, 'OLD-0001', '[]')"))
        s.execute(text("INSERT INTO member (id, created_at, updated_at, created_by, device_id, deleted, server_seq, "
                       "household_id, name, id_type, relation, dibao, tekun, medical_insurance, pension_insurance, "
                       "training_willing, status) VALUES ('m-0001', '2026-11-20 08:00:00', '2026-11-20 08:00:00', "
                       "'w1', 'dev', 0, 0, 'h-0001', '王老一', 'resident_id', 'head', 0, 0, 0, 0, 0, 'normal')"))
"""


def tree_of(commit: str, into: Path) -> Path:
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run_old(tree: Path, args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree), "ANJU_PASSWORD": PASSWORD, "QT_QPA_PLATFORM": "offscreen",
           "ANJU_LOG_DIR": str(tree / "log")}
    subprocess.run([sys.executable, *args], cwd=tree, env=env, check=True)


def zipped(profile: Path, target: Path) -> None:
    tmp = target.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(profile.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(profile.parent))
    tmp.replace(target)
    print(f"{target}: {target.stat().st_size / 1024:.0f} KB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "profiles")
    parser.add_argument("--only", nargs="+", metavar="REVISION", choices=[FIRST[0], *RELEASED],
                        help="make only these revisions' profiles (all of them without it)")
    args = parser.parse_args()
    wanted = set(args.only or [FIRST[0], *RELEASED])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="anju-old-") as scratch:
        work = Path(scratch)
        revision, commit = FIRST
        if revision in wanted:
            tree = tree_of(commit, work / f"tree-{revision}")
            run_old(tree, ["-c", FIRST_SCRIPT, str(work / "profile-0001" / "profile"), PASSWORD])
            zipped(work / "profile-0001" / "profile", args.out / "anju-0001.zip")
        for revision, commit in RELEASED.items():
            if revision not in wanted:
                continue
            tree = tree_of(commit, work / f"tree-{revision}")
            profile = work / f"profile-{revision}" / "profile"
            run_old(tree, ["main.py", "demo-data", "--profile", str(profile), "--households", "3", "--seed", "7"])
            shutil.rmtree(profile / "backups", ignore_errors=True)
            zipped(profile, args.out / f"anju-{revision}.zip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
