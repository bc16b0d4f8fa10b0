"""`llmtui history` in a subprocess over a real store file: list, search, show, rename, delete."""

from __future__ import annotations

import json

import pytest

from llmtui.core.store import Store
from tests.conftest import run_cli


@pytest.fixture
def seeded() -> dict[str, int]:
    store = Store()
    try:
        soup = store.new_conversation(["groq/llama-3.3-70b-versatile"])
        store.add_message(soup, "user", "How do I make tomato soup?")
        store.add_message(soup, "assistant", "Roast the tomatoes with garlic.", model="groq/x")
        duel = store.new_conversation(["openai/gpt-4o-mini", "anthropic/claude-haiku"],
                                      title="Haiku duel")
        store.add_message(duel, "user", "Write a haiku about autumn")
        for n, cid in enumerate((soup, duel)):
            with store._tx() as db:
                db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (1_700_000_000 + n, cid))
        return {"soup": soup, "duel": duel}
    finally:
        store.close()


def test_lists_newest_first_as_a_table_and_as_json(seeded: dict[str, int]) -> None:
    result = run_cli("history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "UPDATED", "MODE", "MSGS", "TITLE", "MODELS"]
    assert "Haiku duel" in lines[1] and "openai/gpt-4o-mini vs anthropic/claude-haiku" in lines[1]
    assert lines[2].split()[0] == str(seeded["soup"])
    data = json.loads(run_cli("history", "--json").stdout)
    assert [c["id"] for c in data] == [seeded["duel"], seeded["soup"]]
    assert data[1]["messages"] == 2 and data[1]["mode"] == "chat"


def test_search_finds_message_text(seeded: dict[str, int]) -> None:
    data = json.loads(run_cli("history", "--search", "tomato", "--json").stdout)
    assert [c["id"] for c in data] == [seeded["soup"]]
    none = run_cli("history", "--search", "zzzz-nothing")
    assert none.returncode == 0 and none.stdout == "" and "no matches" in none.stderr


def test_show_prints_the_conversation(seeded: dict[str, int]) -> None:
    result = run_cli("history", "show", str(seeded["soup"]))
    assert result.returncode == 0
    assert "How do I make tomato soup?" in result.stdout and "Roast the tomatoes" in result.stdout


def test_rename_and_delete_then_missing_ids_exit_2(seeded: dict[str, int]) -> None:
    soup = str(seeded["soup"])
    assert run_cli("history", "rename", soup, "Soup", "time").returncode == 0
    data = json.loads(run_cli("history", "--json").stdout)
    assert {c["title"] for c in data} == {"Soup time", "Haiku duel"}
    assert run_cli("history", "rename", soup, "  ").returncode == 2
    assert run_cli("history", "delete", soup).returncode == 0
    assert [c["id"] for c in json.loads(run_cli("history", "--json").stdout)] == [seeded["duel"]]
    for action in (("delete", soup), ("show", soup), ("rename", soup, "x")):
        gone = run_cli("history", *action)
        assert gone.returncode == 2 and f"no conversation {soup}" in gone.stderr, action


def test_a_cli_rename_stores_what_the_history_screen_would(seeded: dict[str, int]) -> None:
    """No escapes, bidi overrides or zero-width characters; at most 200 characters."""
    soup = str(seeded["soup"])
    hostile = "evil\x1b]0;PWNED\x07\x1b[2J \u202eTXT.exe\u200b"
    renamed = run_cli("history", "rename", soup, hostile)
    assert renamed.returncode == 0, renamed.stderr
    assert renamed.stdout == f"renamed conversation {soup} to 'evil]0;PWNED[2J TXT.exe'\n"
    assert run_cli("history", "rename", soup, "W" * 100_000).returncode == 0
    titles = {c["id"]: c["title"] for c in json.loads(run_cli("history", "--json").stdout)}
    assert titles[seeded["soup"]] == "W" * 199 + "…"


def test_empty_store() -> None:
    result = run_cli("history")
    assert result.returncode == 0 and "no conversations yet" in result.stderr
    assert json.loads(run_cli("history", "--json").stdout) == []


def test_a_search_of_only_quotes_lists_nothing(seeded: dict[str, int]) -> None:
    quotes = run_cli("history", "--search", '"')
    assert quotes.returncode == 0 and quotes.stdout == "" and "no matches" in quotes.stderr
    assert len(json.loads(run_cli("history", "--search", " ", "--json").stdout)) == 2
