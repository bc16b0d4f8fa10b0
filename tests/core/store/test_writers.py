"""An answer another llmtui still streams is not taken for a crashed one (tester longans
item 4): each streaming process holds a lock its answers name (store/writers.py); an open
marks interrupted only the answers whose process is gone. Real processes, real kill -9."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from llmtui.core.store import Store
from llmtui.core.store.writers import folder
from tests.core.store_records import answer
from tests.core.writer_procs import streamer, wait_released


def test_an_answer_streaming_in_another_process_stays_streaming_when_a_store_opens(
        tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    proc, mid = streamer(path)
    try:
        for _ in range(2):  # a reader's open (history show, export, a second TUI) and another
            reader = Store(path)
            message = reader.message(mid)
            assert message is not None
            assert (message.status, message.error_message) == ("streaming", None)
            assert message.content == "the text so far "
            reader.close()
        out, _ = proc.communicate("finish\n", timeout=60)
        assert out.strip() == "done" and proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    finished = Store(path).message(mid)
    assert finished is not None and (finished.status, finished.content) == (
        "done", "the text so far and the end")


def test_an_answer_whose_process_was_killed_is_interrupted_at_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    proc, mid = streamer(path)
    assert len(os.listdir(folder(path))) == 1  # its lock
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    wait_released(path, proc.pid)
    store = Store(path)
    message = store.message(mid)
    assert message is not None and message.status == "interrupted"
    assert message.error_message == "llmtui stopped while this streamed"
    assert message.content == "the text so far "
    assert os.listdir(folder(path)) == []  # the dead writer's lock file is swept
    store.close()


def test_a_second_store_in_the_streaming_process_leaves_its_answer_streaming(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    cid = store.new_conversation(["demo/a"])
    mid = store.add_message(cid, "assistant", "", model="demo/a", status="streaming")
    other = Store(path)
    assert other.message(mid).status == "streaming"  # type: ignore[union-attr]
    other.close()
    store.finish_message(mid, answer("all of it"))
    assert store.message(mid).status == "done"  # type: ignore[union-attr]
    store.close()
