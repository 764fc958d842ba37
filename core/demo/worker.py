"""The child process of core.demo.background: `python -m core.demo.worker SEED HOUSEHOLDS AS_OF CHUNK`.

Writes every chunk of core.demo.load.chunks to standard output as a length-prefixed pickle, then
('done', None), or ('failed', traceback) when generation fails.
"""
from __future__ import annotations

import gc
import sys
import traceback
from datetime import date

from core.demo.background import DONE, FAILED, write_frame
from core.demo.load import chunks


def main(argv: list[str]) -> int:
    seed, households, as_of, chunk = int(argv[0]), int(argv[1]), date.fromisoformat(argv[2]), int(argv[3])
    out = sys.stdout.buffer
    gc.disable()  # a short-lived process that makes no reference cycles
    try:
        for item in chunks(seed, households, as_of, chunk):
            write_frame(out, item)
        write_frame(out, (DONE, None))
    except BrokenPipeError:
        return 1  # the loader stopped reading: nothing to report to it
    except BaseException:  # noqa: BLE001 - everything is reported to the loader
        write_frame(out, (FAILED, traceback.format_exc()))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
