"""`llmtui export --format json|jsonl` round-trips through `llmtui import`; llm's logs.db and
ChatGPT's conversations.json come in too. Real SQLite files and real JSON, CLI in a subprocess."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from llmtui.core.store import Store
from tests.conftest import run_cli
from tests.core.store_records import answer

FIELDS = ("lane", "role", "content", "model", "status", "created_at", "input_tokens", "output_tokens",
          "cached_input_tokens", "usage_estimated", "cost_usd", "cost_estimated", "cost_note", "ttft_s",
          "duration_s", "finish_reason", "error_kind", "error_message", "served_by")


def _seed(store: Store) -> int:
    """A chat with a finished answer, an interrupted one, and an edited prompt (a branch)."""
    cid = store.new_conversation(["groq/llama-3.3-70b-versatile"], system="Be brief.", preset="terse")
    p1 = store.add_message(cid, "user", "What is WAL?")
    a1 = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile", parent_id=p1)
    store.finish_message(a1, answer(content="Write-ahead logging.\n\n```sql\nPRAGMA journal_mode=WAL;\n```",
                         input_tokens=12, output_tokens=9, cost_usd="0.0000142", ttft_s=0.21,
                         duration_s=0.5, finish_reason="stop", served_by="groq"))
    p2 = store.add_message(cid, "user", "And rollback journals?")
    a2 = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile", parent_id=p2)
    store.finish_message(a2, answer(content="They copy", status="interrupted", output_tokens=3,
                         usage_estimated=True, cost_usd="0.000002", cost_estimated=True))
    p3 = store.add_message(cid, "user", "And rollback journals, briefly?", parent_id=p2)
    a3 = store.add_message(cid, "assistant", "", model="groq/llama-3.3-70b-versatile", parent_id=p3)
    store.finish_message(a3, answer(content="Old pages are copied aside first.", output_tokens=7))
    return cid


def _shape(store: Store, cid: int) -> list[tuple[object, ...]]:
    messages = store.messages(cid)
    index = {m.id: i for i, m in enumerate(messages)}
    return [(index.get(m.parent_id) if m.parent_id else None, *(getattr(m, f) for f in FIELDS))
            for m in messages]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_export_then_import_gives_back_the_same_conversation(tmp_path: Path, fmt: str) -> None:
    store = Store()
    cid = _seed(store)
    before = _shape(store, cid)
    conv = store.conversation(cid)
    store.close()
    out = tmp_path / f"chat.{fmt}"
    result = run_cli("export", str(cid), "--format", fmt, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o077 == 0

    other = tmp_path / "other.sqlite3"
    result = run_cli("import", str(out), env={"LLMTUI_DB": str(other)})
    assert result.returncode == 0, result.stderr
    assert f"llmtui {fmt.upper()}: imported 1 conversation" in result.stdout
    again = Store(other)
    (new_id,) = [c.id for c in again.conversations()]
    assert _shape(again, new_id) == before
    copy = again.conversation(new_id)
    assert copy is not None and conv is not None
    assert (copy.title, copy.models, copy.created_at, copy.mode) == (conv.title, conv.models, conv.created_at, conv.mode)
    assert again.system_prompt(new_id) == "Be brief." and again.preset_of(new_id) == "terse"
    again.close()
    twice = run_cli("import", str(out), env={"LLMTUI_DB": str(other)})
    assert "imported 0 conversations; 1 already imported" in twice.stdout


def test_format_follows_the_output_suffix_and_md_stays_the_default(tmp_path: Path) -> None:
    store = Store()
    cid = _seed(store)
    store.close()
    assert json.loads(run_cli("export", str(cid), "-o", str(tmp_path / "c.json")).stdout and
                      (tmp_path / "c.json").read_text())["format"] == "llmtui.conversation"
    md = run_cli("export", str(cid), "-o", "-").stdout
    assert md.startswith("# ") and "Write-ahead logging." in md
    lines = run_cli("export", str(cid), "--format", "jsonl", "-o", "-").stdout.splitlines()
    assert json.loads(lines[0])["type"] == "conversation" and len(lines) == 7


def _llm_logs(path: Path) -> None:
    """A logs.db with llm's tables as its migrations leave them (m010, m013, m019)."""
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE _llm_migrations (name TEXT PRIMARY KEY, applied_at TEXT);
        CREATE TABLE conversations (id TEXT PRIMARY KEY, name TEXT, model TEXT);
        CREATE TABLE responses (id TEXT PRIMARY KEY, model TEXT, prompt TEXT, system TEXT,
            prompt_json TEXT, options_json TEXT, response TEXT, response_json TEXT,
            conversation_id TEXT REFERENCES conversations(id), duration_ms INTEGER,
            datetime_utc TEXT, input_tokens INTEGER, output_tokens INTEGER, token_details TEXT,
            schema_id TEXT, resolved_model TEXT);
    """)
    db.executemany("INSERT INTO conversations VALUES (?, ?, ?)", [
        ("01j0aaa", "Explain WAL", "gpt-4o-mini"), ("01j0bbb", "Haiku", "claude-3.5-sonnet")])
    db.executemany(
        "INSERT INTO responses (id, model, prompt, system, response, conversation_id, duration_ms, "
        "datetime_utc, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            ("r1", "gpt-4o-mini", "Explain WAL", "Be terse", "WAL logs first.", "01j0aaa", 1200,
             "2025-03-01T10:00:00.123456+00:00", 11, 5),
            ("r2", "gpt-4o-mini", "Shorter?", None, "Log, then write.", "01j0aaa", 800,
             "2025-03-01T10:01:00+00:00", 20, 4),
            ("r3", "claude-3.5-sonnet", "A haiku \x1b[2J", None, "Pages\nflush", "01j0bbb", 900,
             "2025-03-02T09:00:00", None, None),
        ])
    db.commit()
    db.close()


def test_import_from_simonw_llm_logs_db(tmp_path: Path) -> None:
    logs = tmp_path / "logs.db"
    _llm_logs(logs)
    result = run_cli("import", str(logs))
    assert result.returncode == 0, result.stderr
    assert "simonw/llm logs.db: imported 2 conversations" in result.stdout
    store = Store()
    by_title = {c.title: c for c in store.conversations()}
    wal = by_title["Explain WAL"]
    messages = store.messages(wal.id)
    assert [(m.role, m.content) for m in messages] == [
        ("user", "Explain WAL"), ("assistant", "WAL logs first."),
        ("user", "Shorter?"), ("assistant", "Log, then write.")]
    assert messages[1].model == "openai/gpt-4o-mini" and messages[1].parent_id == messages[0].id
    assert (messages[1].input_tokens, messages[1].output_tokens, messages[1].duration_s) == (11, 5, 1.2)
    assert messages[1].cost_usd is None  # another tool's spend is not ours
    assert store.system_prompt(wal.id) == "Be terse"
    assert wal.created_at == pytest.approx(1740823200.123456)
    haiku = store.messages(by_title["Haiku"].id)
    assert haiku[0].content == "A haiku ␛[2J" and haiku[1].model == "anthropic/claude-3.5-sonnet"
    store.close()
    assert sqlite3.connect(logs).execute("SELECT count(*) FROM responses").fetchone() == (3,)


def _node(node_id: str, parent: str | None, children: list[str], role: str | None, text: str = "",
          slug: str | None = None, at: float = 1700000000.0) -> dict[str, object]:
    message = None if role is None else {
        "id": node_id, "author": {"role": role, "name": None, "metadata": {}}, "create_time": at,
        "update_time": None, "content": {"content_type": "text", "parts": [text]},
        "status": "finished_successfully", "end_turn": True, "weight": 1.0,
        "metadata": {"model_slug": slug} if slug else {}, "recipient": "all"}
    return {"id": node_id, "message": message, "parent": parent, "children": children}


def test_import_a_chatgpt_export_keeps_the_branch_last_seen(tmp_path: Path) -> None:
    mapping = {n["id"]: n for n in (
        _node("root", None, ["sys"], None),
        _node("sys", "root", ["u1"], "system", ""),
        _node("u1", "sys", ["a1", "a1b"], "user", "Name a colour", at=1700000001.0),
        _node("a1", "u1", [], "assistant", "Blue", "gpt-4o", at=1700000002.0),
        _node("a1b", "u1", ["u2"], "assistant", "Green (regenerated)", "gpt-4o", at=1700000003.0),
        _node("u2", "a1b", ["a2"], "user", "Why?", at=1700000004.0),
        _node("a2", "u2", [], "assistant", "It is calm.", "gpt-4o", at=1700000005.0),
    )}
    export = [{"title": "Colours", "create_time": 1700000000.5, "update_time": 1700000005.0,
               "mapping": mapping, "current_node": "a2", "id": "c-1", "conversation_id": "c-1"}]
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(export))
    result = run_cli("import", str(path))
    assert result.returncode == 0, result.stderr
    assert "ChatGPT conversations.json: imported 1 conversation" in result.stdout
    store = Store()
    (conv,) = store.conversations()
    assert conv.title == "Colours" and conv.created_at == 1700000000.5
    messages = store.messages(conv.id)
    assert [(m.role, m.content) for m in messages] == [
        ("user", "Name a colour"), ("assistant", "Green (regenerated)"), ("user", "Why?"), ("assistant", "It is calm.")]
    assert messages[3].model == "openai/gpt-4o" and messages[3].parent_id == messages[2].id
    assert messages[2].parent_id is None
    store.close()


def test_a_file_that_is_no_known_format_is_one_line_and_exit_2(tmp_path: Path) -> None:
    junk = tmp_path / "notes.json"
    junk.write_text('{"hello": 1}')
    result = run_cli("import", str(junk), str(tmp_path / "missing.json"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "not an llmtui JSON export" in lines[0] and "cannot read" in lines[1]
    assert "Traceback" not in result.stderr
