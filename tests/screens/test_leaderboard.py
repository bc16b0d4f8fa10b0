"""Leaderboard from stored votes: the CLI (text and --json) and the screen."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from llmtui.core.store import Store
from llmtui.screens.leaderboard import LeaderboardScreen
from tests.conftest import run_cli
from tests.screens.harness import ScreenApp, screen_text

A, B, C = "openai/gpt-4o-mini", "anthropic/claude-3-5-haiku", "groq/llama-3.3-70b-versatile"


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store()
    yield s
    s.close()


def vote(store: Store) -> None:
    """A beats B twice, B beats A once, one A/B tie; C loses to A once."""
    cid = store.new_conversation([A, B])
    for winner in (A, A, B, None):
        store.add_vote(cid, None, [A, B], winner)
    other = store.new_conversation([A, C])
    store.add_vote(other, None, [A, C], A)


def test_cli_json(store: Store) -> None:
    vote(store)
    result = run_cli("leaderboard", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0] == {"model": A, "wins": 3, "losses": 1, "ties": 1, "votes": 5, "win_rate": 0.6}
    assert rows[1] == {"model": B, "wins": 1, "losses": 2, "ties": 1, "votes": 4, "win_rate": 0.25}
    assert rows[2] == {"model": C, "wins": 0, "losses": 1, "ties": 0, "votes": 1, "win_rate": 0.0}


def test_cli_text(store: Store) -> None:
    vote(store)
    result = run_cli("leaderboard")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "WINS", "LOSSES", "TIES", "WIN", "RATE", "VOTES"]
    assert lines[1].split() == [A, "3", "1", "1", "60%", "5"]
    assert lines[2].split() == [B, "1", "2", "1", "25%", "4"]
    assert lines[3].split() == [C, "0", "1", "0", "0%", "1"]


def test_cli_no_votes() -> None:
    result = run_cli("leaderboard")
    assert result.returncode == 0 and "no votes yet" in result.stdout
    assert json.loads(run_cli("leaderboard", "--json").stdout) == []


async def test_screen(store: Store) -> None:
    vote(store)
    app = ScreenApp(lambda: LeaderboardScreen(store))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert [str(c) for c in table.get_row(A)] == ["1", A, "3", "1", "1", "60%", "5"]
        assert str(table.get_row(C)[5]) == "0%"
        assert "3 models" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_screen_empty(store: Store) -> None:
    app = ScreenApp(lambda: LeaderboardScreen(store))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No votes yet" in screen_text(app)
