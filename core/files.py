"""Files the program makes for the user (ledgers, reports, analysts' copies, cards) appear whole or not
at all: written beside the target under a name of this run, then renamed into place. A failure or a
cancel removes only the file this run made; a file already at the target stays until the rename."""
from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


@contextlib.contextmanager
def written_atomically(target: Path) -> Iterator[Path]:
    """Yield a path beside `target` to write to; on success it replaces `target`, on any exception
    (Cancelled, a full disk, Ctrl+C) it is removed and `target` is left as it was."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        yield tmp
        if tmp.exists():
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
    except OSError as exc:  # said of the file the user named, not of our temporary one
        if exc.filename == str(tmp):
            exc.filename = str(target)
        raise
    finally:
        try:
            tmp.unlink()  # only ours: a name made in this run
        except FileNotFoundError:
            pass
        except OSError:  # still held open (Windows) after a failed save: said in the log, the real error goes on
            log.warning("could not remove the unfinished file %s", tmp, exc_info=True)
