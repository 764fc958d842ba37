"""Shared fixtures: Qt offscreen and real encrypted profiles. The code under test is the installed
package (`pip install -e .`); nothing here touches sys.path."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
