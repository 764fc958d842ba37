"""Generating demo chunks in a second process while this one loads them.

Loading is bound by SQLAlchemy and SQLite in the loading process; generating in the same process
would add to it. A child process (`python -m core.demo.worker`) generates the chunks one after
another from the one Random, exactly as in-process generation does, and writes them to its
standard output as length-prefixed pickles; the rows are the same either way, only the time
differs. The pipe holds the child back to one chunk ahead of the loader.
"""
from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

Chunk = tuple[int, dict[str, list[dict]]]
DONE = "done"
FAILED = "failed"
_LENGTH = struct.Struct("<Q")
_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the core package


def available() -> bool:
    """A child Python can be started: not in a frozen build, whose executable is the app itself."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def write_frame(out: BinaryIO, item: object) -> None:
    data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()


def read_frame(stream: BinaryIO) -> object | None:
    """The next item, or None at the end of the stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    data = stream.read(length)
    return pickle.loads(data) if len(data) == length else None


def chunks_in_background(seed: int, households: int, as_of: date, chunk: int) -> Iterator[Chunk]:
    """The chunks of core.demo.load.chunks(seed, households, as_of, chunk), made by a child process."""
    command = [sys.executable, "-m", "core.demo.worker", str(seed), str(households), as_of.isoformat(), str(chunk)]
    with tempfile.TemporaryFile() as errors, subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env=_child_environment()) as child:
        assert child.stdout is not None
        try:
            yield from _frames(child.stdout, child, errors)
        finally:
            if child.poll() is None:
                child.kill()


def _child_environment() -> dict[str, str]:
    """This environment with the project on the path and without the profile password (it needs none)."""
    env = {k: v for k, v in os.environ.items() if k != "ANJU_PASSWORD"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _frames(stream: BinaryIO, child: subprocess.Popen, errors: BinaryIO) -> Iterator[Chunk]:
    while True:
        item = read_frame(stream)
        if item is None:
            child.wait()
            errors.seek(0)
            detail = errors.read().decode("utf-8", "replace")[-4000:]
            raise RuntimeError(f"the demo-data process stopped (exit code {child.returncode}):\n{detail}")
        kind, payload = item  # type: ignore[misc]
        if kind == DONE:
            return
        if kind == FAILED:
            raise RuntimeError(f"generating demo data failed:\n{payload}")
        yield kind, payload
