"""A streaming answer is saved as appended parts (O(new text) per save), each text part
indexed for search as it lands. A short answer is written whole at its finish; a long one
keeps its parts as its text and the finish adds only what came after the last save (issue 19:
a 20 MB answer is not written and indexed a second time). After a crash, the parts are the
text of the interrupted answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from llmtui.core.pricing.cost import Cost
from llmtui.core.store import AnswerRecord, AnswerStatus, Store
from llmtui.core.store.parts import KEEP_PARTS_FROM
from tests.core.writer_procs import crash_writers


def _streaming(store: Store) -> tuple[int, int]:
    conversation = store.new_conversation(["groq/m"])
    store.add_message(conversation, "user", "count", model="groq/m")
    answer = store.add_message(conversation, "assistant", "", model="groq/m",
                               status=AnswerStatus.STREAMING)
    return conversation, answer


def _record(content: str, reasoning: str = "") -> AnswerRecord:
    return AnswerRecord(content, AnswerStatus.DONE, None, False, Cost(None), 0.1, 0.2,
                        reasoning=reasoning)


def _raw(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def _index_is_sound(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        for table in ("messages_fts", "parts_fts"):
            db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    finally:
        db.close()


def test_parts_are_appended_not_rewritten_read_back_in_order_and_searchable(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    for seq, piece in enumerate(["alpha ", "beta ", "gamma"]):
        store.append_text(answer, seq, piece)
    store.append_text(answer, 1, "beta ")  # a retried write reuses its number: no duplicate
    assert _raw(tmp_path / "s.sqlite3", "SELECT content FROM messages WHERE id = ?", answer) == [("",)]
    assert store.message(answer).content == "alpha beta gamma"  # type: ignore[union-attr]
    assert store.messages(conversation)[-1].content == "alpha beta gamma"
    assert [c.id for c in store.search("gamma")] == [conversation]  # found while it streams
    # Every word wanted, each in a part of its own: the message has them all.
    assert [c.id for c in store.search("alpha gam")] == [conversation]
    assert store.search("alpha delta") == []
    snippet = store.search_snippets("gamma", [conversation], ("[", "]"))
    assert snippet == {conversation: "[gamma]"}
    _index_is_sound(tmp_path / "s.sqlite3")


def test_a_short_answer_is_written_whole_at_its_finish_and_its_parts_dropped(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    store.append_text(answer, 0, "alpha ")
    store.finish_message(answer, _record("alpha omega"))
    assert store.message(answer).content == "alpha omega"  # type: ignore[union-attr]
    assert [c.id for c in store.search("omega")] == [conversation]
    assert [c.id for c in store.search("alpha")] == [conversation]
    assert _raw(tmp_path / "s.sqlite3", "SELECT count(*) FROM message_parts") == [(0,)]
    _index_is_sound(tmp_path / "s.sqlite3")


def test_a_long_answer_keeps_its_parts_and_the_finish_writes_only_what_came_after(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    saved = ["needle " + "word " * (KEEP_PARTS_FROM // 10), "word " * (KEEP_PARTS_FROM // 10)]
    for seq, piece in enumerate(saved):
        store.append_text(answer, seq, piece, reasoning="hmm " if seq == 0 else "")
    whole = "".join(saved) + "the last words haystack"
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)  # the SQL as run, its values written in
    store.finish_message(answer, _record(whole, reasoning="hmm then done"))
    store._db.set_trace_callback(None)
    # The finish sent SQLite the last piece, not the answer again: a few hundred characters.
    assert sum(len(s) for s in statements) < 5_000, [s[:80] for s in statements]
    message = store.message(answer)
    assert message is not None and message.status == "done"
    assert (message.content, message.reasoning) == (whole, "hmm then done")
    assert store.messages(conversation)[-1].content == whole
    assert [c.id for c in store.search("needle haystack")] == [conversation]
    path = tmp_path / "s.sqlite3"
    assert _raw(path, "SELECT content, reasoning FROM messages WHERE id = ?", answer) == [("", None)]
    assert _raw(path, "SELECT kind, count(*) FROM message_parts WHERE message_id = ? GROUP BY kind",
                answer) == [("reasoning", 2), ("text", 3)]
    store.delete_conversation(conversation)  # the index forgets its parts with it
    assert store.search("needle") == [] and _raw(path, "SELECT count(*) FROM message_parts") == [(0,)]
    _index_is_sound(path)


def test_parts_that_are_not_the_start_of_the_answer_are_replaced_by_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    _, answer = _streaming(store)
    store.append_text(answer, 0, "something else ")
    whole = "word " * (KEEP_PARTS_FROM // 5)
    store.finish_message(answer, _record(whole))
    assert store.message(answer).content == whole  # type: ignore[union-attr]
    assert _raw(tmp_path / "s.sqlite3", "SELECT count(*) FROM message_parts") == [(0,)]
    assert store.search("something") == []
    _index_is_sound(tmp_path / "s.sqlite3")


def test_a_crash_mid_stream_is_recovered_with_its_text_searchable(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    conversation, answer = _streaming(store)
    store.append_text(answer, 0, "kept before ")
    store.append_text(answer, 1, "the crash")
    store.close()  # as if killed: nothing finished it
    crash_writers()
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
    assert store.search("think") == []  # thinking is not searched, as before
    store.close()
    crash_writers()
    message = Store(tmp_path / "s.sqlite3").message(answer)
    assert message is not None and message.status == "interrupted"
    assert (message.content, message.reasoning) == ("Answer", "let me think harder")


def test_parts_keep_their_length_and_parts_of_unknown_length_are_replaced(tmp_path: Path) -> None:
    """Each part row carries its length, so the finish sums lengths without reading the text;
    parts of unknown length (-1: salvaged from a store before v12) are never trusted."""
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    _, answer = _streaming(store)
    first = "word " * (KEEP_PARTS_FROM // 5)
    store.append_text(answer, 0, first)
    store.append_text(answer, 1, "é日 ")
    assert _raw(path, "SELECT count(*) FROM message_parts WHERE chars != length(text)") == [(0,)]
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE message_parts SET chars = -1 WHERE seq = 0")
    db.close()
    whole = first + "é日 " + "the end"
    store.finish_message(answer, _record(whole))
    assert store.message(answer).content == whole  # type: ignore[union-attr]
    assert _raw(path, "SELECT count(*) FROM message_parts") == [(0,)]
    assert _raw(path, "SELECT length(content) FROM messages WHERE id = ?", answer) == [(len(whole),)]
