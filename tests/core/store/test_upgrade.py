"""An older store is upgraded in place: by two processes starting at once, atomically, data kept."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from llmtui.cli import main
from llmtui.core.store import Store
from llmtui.core.store.schema import MIGRATIONS, SCHEMA_VERSION, split_sql

OPEN = """
import sys
from llmtui.core.store import Store
store = Store()
print(store.version())
"""


def make_v1_store(path: Path, *, break_v2: bool = False) -> None:
    """A store as version 1 of llmtui left it: chats, an answer cut off mid-stream, a vote."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = sqlite3.connect(path)
    for statement in split_sql(MIGRATIONS[1]):
        db.execute(statement)
    if break_v2:  # a hand-patched store: the v2 upgrade's ALTER TABLE fails half way
        db.execute("ALTER TABLE conversations ADD COLUMN system TEXT")
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO conversations (title, mode, models, created_at, updated_at) "
               "VALUES ('old chat', 'compare', '[\"a/x\", \"b/y\"]', 1, 1)")
    db.execute("INSERT INTO messages (conversation_id, role, content, created_at) "
               "VALUES (1, 'user', 'an old question about zebras', 1)")
    db.execute("INSERT INTO messages (conversation_id, role, content, created_at, parent_id, model, "
               "status, lane) VALUES (1, 'assistant', 'half an answer', 2, 1, 'a/x', 'streaming', 0)")
    db.execute("INSERT INTO votes (conversation_id, prompt_id, winner, loser, models, created_at) "
               "VALUES (1, 1, 'a/x', 'b/y', '[\"a/x\", \"b/y\"]', 3)")
    db.commit()
    db.close()


def test_two_processes_upgrade_an_old_store_at_once(isolated_env: Path) -> None:
    path = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    make_v1_store(path)
    procs = [subprocess.Popen([sys.executable, "-c", OPEN], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=os.environ.copy())
             for _ in range(2)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in results]
    assert [out.strip() for out, _ in results] == [str(SCHEMA_VERSION)] * 2
    store = Store(path)
    assert store.conversation(1).title == "old chat"  # type: ignore[union-attr]
    question, answer = store.messages(1)
    assert question.content == "an old question about zebras"
    assert (answer.content, answer.status) == ("half an answer", "interrupted")
    assert [c.id for c in store.search("zebras")] == [1]
    # A vote from before v3: its sides were never drawn (A was the first model named), so
    # it reads as A winning with the names showing, and is not rated as blind.
    from llmtui.core.store import Choice

    (old_vote,) = store.votes()
    assert (old_vote.side_a, old_vote.side_b, old_vote.choice) == ("a/x", "b/y", Choice.A)
    assert old_vote.winner == "a/x" and not old_vote.blind
    store.set_system(1, "Be brief.")  # the v2 column works
    assert store.system_prompt(1) == "Be brief."


def test_a_failed_upgrade_changes_nothing_and_says_so(isolated_env: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    make_v1_store(path, break_v2=True)
    code = main(["ask", "-m", "demo/simulated-fast", "hi"])
    err = capsys.readouterr().err
    assert code == 0  # answered without history (issue 14 L10)
    (line,) = [x for x in err.splitlines() if x.startswith("llmtui: warning:")]
    assert f"history is off: {path} is damaged (duplicate column name: system)" in line
    assert "this answer was written to" in line
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1  # the upgrade rolled back whole
    assert db.execute("SELECT status FROM messages WHERE id = 2").fetchone()[0] == "streaming"
    assert db.execute("SELECT count(*) FROM messages").fetchone()[0] == 2


def make_v10_store(path: Path) -> None:
    """A store as llmtui left it before ids were AUTOINCREMENT: conversation 1 went from alpha to
    beta to a compare of both; 2 is a chat; 3, the newest, was deleted after it was charged."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    for version in range(1, 11):
        for statement in split_sql(MIGRATIONS[version]):
            db.execute(statement)
    db.execute("PRAGMA user_version = 10")
    for cid, title, models in ((1, "moved", '["loop/alpha"]'), (2, "kept", '["loop/beta"]'),
                               (3, "gone", '["loop/alpha"]')):
        db.execute("INSERT INTO conversations (id, title, mode, models, created_at, updated_at) "
                   "VALUES (?, ?, 'chat', ?, 1, 1)", (cid, title, models))
    rows = [(1, 1, "user", None, None, 0, "hello zebras"), (2, 1, "assistant", 1, "loop/alpha", 0, "a"),
            (3, 1, "user", None, None, 0, "again"), (4, 1, "assistant", 3, "loop/beta", 0, "b"),
            (5, 1, "user", None, None, 0, "both"), (6, 1, "assistant", 5, "loop/alpha", 0, "c"),
            (7, 1, "assistant", 5, "loop/beta", 1, "d"), (8, 2, "user", None, None, 0, "kept"),
            (9, 2, "assistant", 8, "loop/beta", 0, "e"), (10, 3, "user", None, None, 0, "gone"),
            (11, 3, "assistant", 10, "loop/alpha", 0, "f")]
    for mid, cid, role, parent, model, lane, text in rows:
        db.execute("INSERT INTO messages (id, conversation_id, role, parent_id, model, lane, content, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1)", (mid, cid, role, parent, model, lane, text))
    db.execute("INSERT INTO ledger (created_at, provider, model, conversation_id, message_id, state, "
               "cost_usd) VALUES (1, 'loop', 'loop/alpha', 3, 11, 'settled', '2.12')")
    db.execute("DELETE FROM conversations WHERE id = 3")  # its messages go with it
    db.commit()
    db.close()


def test_the_upgrade_to_v11_never_gives_an_id_out_again(isolated_env: Path) -> None:
    path = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    make_v10_store(path)
    store = Store(path)
    assert store.version() == SCHEMA_VERSION
    # the ledger still names conversation 3 and message 11: neither is given out again
    conv = store.new_conversation(["loop/alpha"])
    assert conv == 4
    assert store.add_message(conv, "user", "after delete hello") == 12
    # data kept, the search index still matches its rows, cascades still cascade
    assert [m.content for m in store.messages(2)] == ["kept", "e"]
    assert [c.id for c in store.search("zebras")] == [1]
    one = store.conversation(1)
    assert one is not None and one.models == ("loop/alpha", "loop/beta") and one.mode == "mixed"
    two = store.conversation(2)
    assert two is not None and (two.models, two.mode) == (("loop/beta",), "chat")
    assert store.delete_conversation(1) and store.messages(1) == []
    assert store._rows("PRAGMA foreign_keys") == [(1,)]
    # from now on: the newest conversation (and its compare run) deleted, the next is new
    run = store.new_run(["loop/alpha", "loop/beta"])
    assert store.delete_conversation(run.conversation_id)
    again = store.new_run(["loop/alpha", "loop/beta"])
    assert (again.id, again.conversation_id) == (run.id + 1, run.conversation_id + 1)
    store.close()


def test_a_v11_store_with_an_answer_cut_off_mid_stream_keeps_it_searchable(tmp_path: Path) -> None:
    """v12 gives parts a rowid and a search index of their own: the parts a crashed v11 process
    left move over, are indexed, and are the interrupted answer's text."""
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path)
    for version in range(1, 12):
        for statement in split_sql(MIGRATIONS[version]):
            db.execute(statement)
    db.execute("PRAGMA user_version = 11")
    db.execute("INSERT INTO conversations (title, created_at, updated_at) VALUES ('cut', 1, 1)")
    db.execute("INSERT INTO messages (conversation_id, role, content, created_at, status) "
               "VALUES (1, 'assistant', '', 2, 'streaming')")
    db.executemany("INSERT INTO message_parts (message_id, kind, seq, text) VALUES (1, ?, ?, ?)",
                   [("text", 0, "saved before "), ("reasoning", 0, "hmm"), ("text", 1, "zebras came")])
    db.commit()
    db.close()
    store = Store(path)
    assert store.version() == SCHEMA_VERSION
    message = store.message(1)
    assert message is not None and message.status == "interrupted"
    assert (message.content, message.reasoning) == ("saved before zebras came", "hmm")
    assert [c.id for c in store.search("saved zebra")] == [1]
    store.close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO parts_fts(parts_fts, rank) VALUES ('integrity-check', 1)")
    assert db.execute("SELECT chars, length(text) FROM message_parts ORDER BY kind, seq").fetchall() == [
        (3, 3), (13, 13), (11, 11)]
    db.close()
