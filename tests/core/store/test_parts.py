"""M6: a streaming answer is saved as appended parts (O(new text) per save); its whole text and
search entry are written once, at the finish or, after a crash, when the store next opens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from llmtui.core.pricing.cost import Cost
from llmtui.core.store import AnswerRecord, AnswerStatus, Store


def _streaming(store: Store) -> tuple[int, int]:
    conversation = store.new_conversation(["groq/m"])
    store.add_message(conversation, "user", "count", model="groq/m")
    answer = store.add_message(conversation, "assistant", "", model="groq/m",
                               status=AnswerStatus.STREAMING)
    return conversation, answer


def test_parts_are_appended_not_rewritten_and_read_back_in_order(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    for seq, piece in enumerate(["alpha ", "beta ", "gamma"]):
        store.append_text(answer, seq, piece)
    store.append_text(answer, 1, "beta ")  # a retried write reuses its number: no duplicate
    raw = sqlite3.connect(tmp_path / "s.sqlite3")
    assert raw.execute("SELECT content FROM messages WHERE id = ?", (answer,)).fetchone() == ("",)
    raw.close()
    assert store.message(answer).content == "alpha beta gamma"  # type: ignore[union-attr]
    assert store.messages(conversation)[-1].content == "alpha beta gamma"
    assert store.search("gamma") == []  # not indexed while it streams


def test_finish_writes_the_text_and_search_entry_once_and_drops_the_parts(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    store.append_text(answer, 0, "alpha ")
    store.finish_message(answer, AnswerRecord("alpha omega", AnswerStatus.DONE, None, False,
                                              Cost(None), 0.1, 0.2))
    assert store.message(answer).content == "alpha omega"  # type: ignore[union-attr]
    assert [c.id for c in store.search("omega")] == [conversation]
    raw = sqlite3.connect(tmp_path / "s.sqlite3")
    assert raw.execute("SELECT count(*) FROM message_parts").fetchone() == (0,)
    raw.close()


def test_a_crash_mid_stream_is_recovered_with_its_text_searchable(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    store.append_text(answer, 0, "kept before ")
    store.append_text(answer, 1, "the crash")
    store.close()  # as if killed: nothing finished it
    reopened = Store(tmp_path / "s.sqlite3")
    message = reopened.message(answer)
    assert message is not None and message.status == "interrupted"
    assert message.content == "kept before the crash"
    assert [c.id for c in reopened.search("crash")] == [conversation]


def test_thinking_streams_into_its_own_parts_and_is_recovered(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    _, answer = _streaming(store)
    store.append_text(answer, 0, "", reasoning="let me think ")
    store.append_text(answer, 1, "Answer", reasoning="harder")
    assert store.message(answer).reasoning == "let me think harder"  # type: ignore[union-attr]
    store.close()
    message = Store(tmp_path / "s.sqlite3").message(answer)
    assert message is not None and message.status == "interrupted"
    assert (message.content, message.reasoning) == ("Answer", "let me think harder")
