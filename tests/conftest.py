"""Shared fixtures: the project root on sys.path, Qt offscreen, and real encrypted profiles."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "测试密码-correct horse"


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile_dir: Path):
    from core.store import Store

    s = Store.create(profile_dir, PASSWORD, username="w1")
    yield s
    s.close()


@pytest.fixture
def profile_password() -> str:
    """The password of the `store` fixture's profile, for tests that open it again."""
    return PASSWORD
