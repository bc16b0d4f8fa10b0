"""A reopened answer another llmtui still streams (tester longans item 4): its footer says so,
never 'interrupted' (which a crashed writer's answer says once a store opens)."""

from __future__ import annotations

from pathlib import Path

from llmtui.core.session import stored_path
from llmtui.core.store import Store
from llmtui.present.turns import metrics_for
from tests.core.writer_procs import crash_writers


def _footer_state(path: Path) -> str:
    store = Store(path)
    (turn,) = stored_path(store.messages(1))
    store.close()
    return metrics_for(turn.lanes[0], "demo/a", masked=True).state


def test_the_footer_of_an_answer_streaming_in_another_llmtui(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    cid = store.new_conversation(["demo/a"])
    prompt = store.add_message(cid, "user", "count")
    answer = store.add_message(cid, "assistant", "", model="demo/a", status="streaming",
                               parent_id=prompt)
    store.append_text(answer, 0, "one two ")
    store.close()
    assert _footer_state(path) == "streaming in another llmtui"
    crash_writers()  # its writer is gone: the next open marks it interrupted
    assert _footer_state(path) == "interrupted"
