"""Collect the strings of gui/ into gui/resources/i18n/anju_en.ts and compile anju_en.qm.

    python installer/update_translations.py            # update the .ts, then compile the .qm
    python installer/update_translations.py --check    # exit 1 when a string has no finished English

Every user-visible string of gui/ is written in Chinese inside `tr("…")` or `tr_noop("…")`
(gui/i18n.py, one context "Anju"). This walks gui/ with `ast` (pyside6-lupdate does not know our
`tr` function), keeps the translations already in the .ts (matched by source text), marks new
strings unfinished and strings gone from the code vanished, and runs pyside6-lrelease.
The output is sorted by first location, so running it twice changes nothing.
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
GUI_DIR = ROOT / "gui"
I18N_DIR = GUI_DIR / "resources" / "i18n"
TS_PATH = I18N_DIR / "anju_en.ts"
QM_PATH = I18N_DIR / "anju_en.qm"
CONTEXT = "Anju"
LANGUAGE = "en"
SOURCE_LANGUAGE = "zh_CN"
NUMERUS_FORMS = 2  # English: singular, plural
MARKERS = re.compile(r"%(?:n|L?\d)")

Key = tuple[str, str]  # (source, disambiguation or "")


@dataclass
class SourceString:
    """A string of gui/ handed to tr() or tr_noop(), with every place it occurs."""

    source: str
    disambiguation: str = ""
    numerus: bool = False
    locations: list[tuple[str, int]] = field(default_factory=list)  # (path relative to ROOT, line)

    @property
    def key(self) -> Key:
        return (self.source, self.disambiguation)


@dataclass
class Message:
    """One <message> of the .ts file."""

    source: str
    disambiguation: str = ""
    numerus: bool = False
    forms: list[str] = field(default_factory=list)  # one translation, or the numerus forms
    type: str = ""  # "" (finished), "unfinished", "vanished" or "obsolete"
    locations: list[tuple[str, int]] = field(default_factory=list)
    comment: str = ""  # <translatorcomment>, kept as found

    @property
    def key(self) -> Key:
        return (self.source, self.disambiguation)

    @property
    def finished(self) -> bool:
        wanted = NUMERUS_FORMS if self.numerus else 1
        return (self.type == "" and len(self.forms) >= wanted
                and all(f.strip() for f in self.forms[:wanted]))


# -- collecting the strings of gui/ ------------------------------------------------------------
def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
            and call.func.value.id == "i18n":  # i18n.tr("…")
        return call.func.attr
    return None


def strings_in_file(path: Path, root: Path = ROOT) -> list[SourceString]:
    """tr("literal", …) and tr_noop("literal") calls of one file, in order of appearance."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called_name(node) not in ("tr", "tr_noop") or not node.args:
            continue
        text = _literal(node.args[0])  # adjacent literals are already one Constant
        if text is None:
            continue  # tr(variable): the string was marked where it was declared, with tr_noop
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        disambiguation = _literal(node.args[1]) if len(node.args) > 1 else _literal(keywords.get("disambiguation"))
        numerus = len(node.args) > 2 or "n" in keywords or "%n" in text
        found.append(SourceString(text, disambiguation or "", numerus, [(relative, node.lineno)]))
    return found


def collect(gui_dir: Path = GUI_DIR, root: Path = ROOT) -> list[SourceString]:
    """Every distinct translatable string of gui/, ordered by where it first occurs."""
    merged: dict[Key, SourceString] = {}
    for path in sorted(gui_dir.rglob("*.py")):
        for s in strings_in_file(path, root):
            known = merged.get(s.key)
            if known is None:
                merged[s.key] = s
            else:
                known.numerus = known.numerus or s.numerus
                known.locations.extend(s.locations)
    for s in merged.values():
        s.locations.sort()
    return sorted(merged.values(), key=lambda s: (s.locations[0], s.key))


# -- the .ts file --------------------------------------------------------------------------------
def read_ts(path: Path = TS_PATH) -> dict[Key, Message]:
    """The messages of context "Anju" in a .ts file (empty when there is no file yet)."""
    if not path.exists():
        return {}
    messages: dict[Key, Message] = {}
    for context in ET.parse(path).getroot().iter("context"):
        if (context.findtext("name") or "") != CONTEXT:
            continue
        for m in context.iter("message"):
            translation = m.find("translation")
            numerus = m.get("numerus") == "yes"
            if translation is None:
                forms, kind = [], "unfinished"
            else:
                kind = translation.get("type", "")
                if numerus:
                    forms = [f.text or "" for f in translation.findall("numerusform")]
                else:
                    forms = [translation.text or ""]
            message = Message(source=m.findtext("source") or "", disambiguation=m.findtext("comment") or "",
                              numerus=numerus, forms=forms, type=kind,
                              comment=m.findtext("translatorcomment") or "")
            messages[message.key] = message
    return messages


def merge(strings: list[SourceString], existing: dict[Key, Message]) -> list[Message]:
    """The messages to write: the code's strings (with translations kept), then vanished ones."""
    out: list[Message] = []
    for s in strings:
        old = existing.get(s.key)
        message = Message(s.source, s.disambiguation, s.numerus, locations=list(s.locations))
        if old is None:
            message.type = "unfinished"
        else:
            message.comment = old.comment
            message.forms = list(old.forms)
            if old.type == "vanished":  # back in the code: it was finished when it went away
                message.type = ""
            elif old.type == "obsolete":
                message.type = "unfinished"
            else:
                message.type = old.type
            if old.numerus != s.numerus:  # became (or stopped being) a count: translate it again
                message.type = "unfinished"
                message.forms = message.forms[:1]
        wanted = NUMERUS_FORMS if s.numerus else 1
        message.forms = (message.forms + [""] * wanted)[:wanted]
        if message.type == "" and not message.finished:
            message.type = "unfinished"
        out.append(message)
    in_code = {s.key for s in strings}
    gone = []
    for key, old in existing.items():
        if key in in_code or not any(f.strip() for f in old.forms):
            continue  # nothing worth keeping of a string without a translation
        kept = Message(old.source, old.disambiguation, old.numerus, list(old.forms), comment=old.comment)
        kept.type = "vanished" if old.type in ("", "vanished") else "obsolete"
        gone.append(kept)
    return out + sorted(gone, key=lambda m: m.key)


def _location_path(relative: str, ts_path: Path, root: Path) -> str:
    return Path(os.path.relpath(root / relative, ts_path.parent)).as_posix()


def render_ts(messages: list[Message], ts_path: Path = TS_PATH, root: Path = ROOT) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             f'<TS version="2.1" language="{LANGUAGE}" sourcelanguage="{SOURCE_LANGUAGE}">',
             "<context>", f"    <name>{CONTEXT}</name>"]
    for m in messages:
        lines.append('    <message numerus="yes">' if m.numerus else "    <message>")
        if m.type not in ("vanished", "obsolete"):
            for relative, line in m.locations:
                lines.append(f"        <location filename={quoteattr(_location_path(relative, ts_path, root))} "
                             f'line="{line}"/>')
        lines.append(f"        <source>{escape(m.source)}</source>")
        if m.disambiguation:
            lines.append(f"        <comment>{escape(m.disambiguation)}</comment>")
        if m.comment:
            lines.append(f"        <translatorcomment>{escape(m.comment)}</translatorcomment>")
        kind = f' type="{m.type}"' if m.type else ""
        if m.numerus:
            lines.append(f"        <translation{kind}>")
            lines.extend(f"            <numerusform>{escape(f)}</numerusform>" for f in m.forms)
            lines.append("        </translation>")
        else:
            lines.append(f"        <translation{kind}>{escape(m.forms[0] if m.forms else '')}</translation>")
        lines.append("    </message>")
    lines += ["</context>", "</TS>", ""]
    return "\n".join(lines)


def write_ts(messages: list[Message], ts_path: Path = TS_PATH, root: Path = ROOT) -> bool:
    """Write the .ts; False when it already said exactly that."""
    text = render_ts(messages, ts_path, root)
    if ts_path.exists() and ts_path.read_text(encoding="utf-8") == text:
        return False
    ts_path.parent.mkdir(parents=True, exist_ok=True)
    ts_path.write_text(text, encoding="utf-8", newline="\n")
    return True


# -- checking ----------------------------------------------------------------------------------
def untranslated(strings: list[SourceString] | None = None, existing: dict[Key, Message] | None = None) -> list[str]:
    """Source strings of the code with no finished English translation in the .ts."""
    strings = collect() if strings is None else strings
    existing = read_ts() if existing is None else existing
    missing = []
    for s in strings:
        old = existing.get(s.key)
        if old is None or old.numerus != s.numerus or not old.finished:
            missing.append(s.source)
    return missing


def marker_problems(messages: dict[Key, Message] | None = None) -> list[str]:
    """Finished translations whose %1/%n markers differ from their source's."""
    messages = read_ts() if messages is None else messages
    problems = []
    for m in messages.values():
        if not m.finished:
            continue
        wanted = sorted(MARKERS.findall(m.source))
        for form in m.forms:
            if sorted(MARKERS.findall(form)) != wanted:
                problems.append(f"{m.source!r} -> {form!r}: markers {wanted} expected")
    return problems


# -- compiling ---------------------------------------------------------------------------------
def lrelease() -> str:
    """pyside6-lrelease beside this Python (the venv's bin or Scripts), else from PATH."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (here / name).is_file():
            return str(here / name)
    for name in ("pyside6-lrelease", "lrelease"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("pyside6-lrelease was not found beside Python nor on PATH; install PySide6")


def compile_qm(ts_path: Path = TS_PATH, qm_path: Path = QM_PATH) -> str:
    """Run lrelease; returns what it said. Raises CalledProcessError when it fails."""
    done = subprocess.run([lrelease(), str(ts_path), "-qm", str(qm_path)], capture_output=True, text=True,
                          check=True)
    return (done.stdout + done.stderr).strip()


def update(ts_path: Path = TS_PATH, qm_path: Path = QM_PATH, gui_dir: Path = GUI_DIR,
           root: Path = ROOT) -> list[Message]:
    """Bring the .ts up to date with the code and compile the .qm; returns the messages written."""
    messages = merge(collect(gui_dir, root), read_ts(ts_path))
    write_ts(messages, ts_path, root)
    compile_qm(ts_path, qm_path)
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 listing the strings with no finished English translation")
    args = parser.parse_args(argv)
    strings = collect(GUI_DIR, ROOT)
    existing = read_ts(TS_PATH)
    if args.check:
        missing = untranslated(strings, existing)
        markers = marker_problems({k: m for k, m in existing.items() if k in {s.key for s in strings}})
        for source in missing:
            print(f"untranslated: {source}")
        for problem in markers:
            print(f"markers differ: {problem}")
        if missing or markers:
            print(f"{len(missing)} of {len(strings)} strings lack a finished English translation; "
                  f"{len(markers)} translations have the wrong markers. Translate them in {TS_PATH.name} "
                  f"and run installer/update_translations.py.", file=sys.stderr)
            return 1
        print(f"all {len(strings)} strings of gui/ are translated")
        return 0
    messages = merge(strings, existing)
    changed = write_ts(messages, TS_PATH, ROOT)
    said = compile_qm(TS_PATH, QM_PATH)
    live = [m for m in messages if m.type not in ("vanished", "obsolete")]
    unfinished = [m for m in live if not m.finished]
    print(f"{os.path.relpath(TS_PATH, ROOT)}: {len(live)} strings, {len(unfinished)} unfinished, "
          f"{len(messages) - len(live)} vanished{'' if changed else ' (unchanged)'}")
    if said:
        print(said)
    return 0


if __name__ == "__main__":
    sys.exit(main())
