"""Answer writers for tests (store/writers.py): a real process streaming an answer into a
store, and a crash inside one test process (the kernel drops a dead process's writer locks;
`crash_writers` drops this process's, so its answers still 'streaming' count as a crashed
process's at the next open)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from llmtui.core.store import writers


def wait_released(store: Path, pid: int, timeout: float = 10) -> None:
    """Wait until the kernel has released a killed process's writer lock beside `store`: it
    closes a dead process's files a moment after the process is gone (the last close is
    deferred), and a store opened sooner finds the writer alive and leaves its answer streaming.
    Only looks: the lock file stays for the store's own sweep."""
    import fcntl

    deadline = time.monotonic() + timeout
    for path in writers.folder(store).glob(f"{pid}-*{writers.SUFFIX}"):
        fd = os.open(path, os.O_RDWR)
        try:
            while time.monotonic() < deadline:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    time.sleep(0.02)
                else:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    break
        finally:
            os.close(fd)


def crash_writers() -> None:
    """Drop every writer lock this process holds, as its death would."""
    for where, (_, fd, _pid) in list(writers._held.items()):
        os.close(fd)
        del writers._held[where]


STREAMER = """
import sys
from pathlib import Path
from llmtui.core.store import Store
store = Store(Path(sys.argv[1]))
cid = store.new_conversation(["demo/a"])
mid = store.add_message(cid, "assistant", "", model="demo/a", status="streaming")
store.append_text(mid, 0, "the text so far ")
print(mid, flush=True)
sys.stdin.readline()  # streams on until told to finish
from tests.core.store_records import answer
store.finish_message(mid, answer("the text so far and the end"))
print("done", flush=True)
"""


def streamer(path: Path) -> tuple[subprocess.Popen[str], int]:
    """A process streaming an answer into the store at `path`, and the answer's id: it
    finishes the answer when a line comes on its stdin."""
    proc = subprocess.Popen([sys.executable, "-c", STREAMER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip().isdigit(), line
    return proc, int(line)
