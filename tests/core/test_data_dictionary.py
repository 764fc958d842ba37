"""docs/data-dictionary.md is generated from core/ (installer/make_data_dictionary.py): it must be what
the script writes now, so a field or a code added, renamed or removed cannot leave it behind."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("make_data_dictionary", ROOT / "installer" / "make_data_dictionary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_dictionary_is_what_the_models_and_code_lists_say_now(tool):
    written = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == tool.render(), (
        "docs/data-dictionary.md is out of date with core/models, core/validation or the code lists: "
        "run `python installer/make_data_dictionary.py` and commit the result")


def test_every_field_and_every_code_is_in_the_dictionary(tool):
    from core.codes import code_lists
    from core.models import SYNCED_ENTITIES

    text = tool.render()
    for entity, model in SYNCED_ENTITIES.items():
        assert f"### `{entity}` " in text
        for field in model.data_fields():
            assert f"| `{field}` |" in text, f"{entity}.{field} is missing"
    for name in code_lists().names():
        assert f"### {name}\n" in text
        for code in code_lists().codes(name):
            assert f"| `{code.code}` | {code.zh} | {code.en} |" in text


def test_a_rule_about_a_field_that_is_gone_stops_the_script(tool, monkeypatch):
    monkeypatch.setitem(tool.RULES, "household.no_such_field", "anything")
    with pytest.raises(tool.DictionaryError, match="household.no_such_field"):
        tool.render()


def test_the_check_option_says_when_the_file_is_stale(tool, monkeypatch, tmp_path, capsys):
    stale = tmp_path / "data-dictionary.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(tool, "OUTPUT", stale)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    assert tool.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert tool.main([]) == 0
    assert tool.main(["--check"]) == 0
