"""The version the about box shows."""
from __future__ import annotations


def test_the_version_comes_from_pyproject_when_the_package_is_not_installed(tmp_path, monkeypatch):
    from importlib import metadata

    from core import version

    def not_installed(name):  # noqa: ANN001, ANN202
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert version.app_version() == version.pyproject_version(version.PYPROJECT) != ""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "anju"\nversion = "9.8.7"\n', encoding="utf-8")
    assert version.pyproject_version(tmp_path / "pyproject.toml") == "9.8.7"
