"""The SQLite store on real files: schema, recovery, search, votes, two processes at once."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from llmtui.core.store import SCHEMA_VERSION, Store
from tests.core.store_records import answer
from tests.core.writer_procs import crash_writers


def test_new_store_is_private_wal_and_versioned(tmp_path: Path) -> None:
    store = Store(tmp_path / "d" / "s.sqlite3")
    assert store.version() == SCHEMA_VERSION
    assert store._rows("PRAGMA journal_mode") == [("wal",)]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_conversation_round_trip_and_title(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["demo/a", "demo/b"])
    pid = store.add_message(cid, "user", "  Explain   WAL mode\nplease ")
    aid = store.add_message(cid, "assistant", "", lane=1, model="demo/b", status="streaming",
                            parent_id=pid)
    store.update_text(aid, "Write-ahead logging")
    store.finish_message(aid, answer("Write-ahead logging", output_tokens=3, cost_usd="0.0001"))
    conv = store.conversation(cid)
    assert conv is not None and conv.mode == "compare" and conv.title == "Explain WAL mode please"
    msgs = store.messages(cid)
    assert [(m.role, m.lane, m.content) for m in msgs] == [
        ("user", 0, "  Explain   WAL mode\nplease "), ("assistant", 1, "Write-ahead logging")]
    assert msgs[1].parent_id == pid and msgs[1].cost_usd == "0.0001"


def test_streaming_rows_become_interrupted_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    cid = store.new_conversation(["demo/a"])
    aid = store.add_message(cid, "assistant", "half an ans", status="streaming")
    store.close()
    crash_writers()
    reopened = Store(path).message(aid)
    assert reopened is not None and reopened.status == "interrupted" and reopened.content == "half an ans"


def test_fts_search_and_rename_delete(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    a = store.new_conversation(["demo/a"])
    store.add_message(a, "user", "tell me about zebras")
    b = store.new_conversation(["demo/a"])
    store.add_message(b, "user", "hello")
    store.add_message(b, "assistant", "Quokkas are happy")
    assert [c.id for c in store.search("quokkas")] == [b]
    assert [c.id for c in store.search("zebr")] == [a]  # prefix match while typing
    assert [c.id for c in store.search('zebras " AND (')] == []  # FTS syntax is just text
    assert [c.id for c in store.search('zebras "')] == [a]
    store.rename(a, "Stripes")
    assert [c.id for c in store.search("stripes")] == [a]
    store.delete_conversation(b)
    assert store.search("quokkas") == [] and store.messages(b) == []


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer llmtui"):
        Store(path)


WRITER = """
import sys
from pathlib import Path
from llmtui.core.store import Store
store = Store(Path(sys.argv[1]))
cid = store.new_conversation(["demo/a"])
for i in range(200):
    store.add_message(cid, "user", f"{sys.argv[2]}-{i}")
"""


def test_two_processes_write_at_once_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name],
                              stderr=subprocess.PIPE, env=os.environ.copy()) for name in ("a", "b")]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert all(p.returncode == 0 for p in procs), errors
    count = sqlite3.connect(path).execute("SELECT count(*) FROM messages").fetchone()[0]
    assert count == 400


def test_version_1_store_is_upgraded_in_place(tmp_path: Path) -> None:
    from llmtui.core.store.schema import MIGRATIONS, split_sql

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for statement in split_sql(MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('kept', 1, 1)")
    db.execute("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (1, 'user', 'old words', 1)")
    db.commit()
    db.close()
    store = Store(path)
    assert store.version() == SCHEMA_VERSION >= 2
    assert store.conversation(1).title == "kept"  # type: ignore[union-attr]
    assert [c.id for c in store.search("old words")] == [1]
    store.set_system(1, "Be brief.")
    assert store.system_prompt(1) == "Be brief."


def test_threads_sharing_one_store_take_turns(tmp_path: Path) -> None:
    import threading

    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["demo/a"])
    errors: list[BaseException] = []

    def write(tag: str) -> None:
        try:
            for i in range(100):
                store.add_message(cid, "user", f"{tag}{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(t,)) for t in "abcd"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.message_count(cid) == 400


def test_recent_prompts_are_distinct_and_oldest_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "s.sqlite3")
    a = store.new_conversation(["demo/simulated"])
    for text in ("first", "second", "first"):
        store.add_message(a, "user", text)
        store.add_message(a, "assistant", "answer")
    b = store.new_conversation(["demo/simulated"])
    store.add_message(b, "user", "third")
    assert store.recent_prompts() == ["second", "first", "third"]
    assert store.recent_prompts(limit=2) == ["first", "third"]
    store.close()


def test_writes_inside_one_tx_land_together_or_not_at_all(tmp_path: Path) -> None:
    """A tx inside another joins it: the outer one's failure takes back the inner writes too."""
    store = Store(tmp_path / "h.sqlite3")
    with pytest.raises(RuntimeError), store._tx():
        cid = store.new_conversation(["a/b"])
        store.add_message(cid, "user", "never kept")
        raise RuntimeError("the next write failed")
    assert store.conversations() == []
    with store._tx():
        cid = store.new_conversation(["a/b"])
        store.add_message(cid, "user", "kept")
    assert [m.content for m in store.messages(cid)] == ["kept"]
    store.close()


def test_a_write_error_sqlite_rolled_back_itself_is_the_one_reported(tmp_path: Path) -> None:
    """On a full disk SQLite may end the transaction itself; the ROLLBACK that follows failed
    with 'cannot rollback - no transaction is active', which hid 'database or disk is full'."""
    store = Store(tmp_path / "h.sqlite3")
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"), store._tx() as db:
        db.execute("ROLLBACK")  # what SQLite does by itself on such an error
        raise sqlite3.OperationalError("database or disk is full")
    store.new_conversation(["a/b"])  # the connection is fine afterwards
    store.close()
