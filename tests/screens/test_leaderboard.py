"""Leaderboard from stored votes: the CLI (text and --json) and the screen."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable

from llmtui.core.store import Choice, Store, Vote
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
    """Blind: A beats B twice (once drawn on each side), B beats A once, one tie, one both bad;
    A beats C once in a run of the prompt set `evals.jsonl`. With names showing: C beats A."""
    cid = store.new_conversation([A, B], blind=True)
    for side_a, side_b, choice in ((A, B, Choice.A), (B, A, Choice.B), (A, B, Choice.B),
                                   (B, A, Choice.TIE), (A, B, Choice.BOTH_BAD)):
        store.record_vote(Vote(side_a, side_b, choice, True, cid))
    run = store.new_run([A, C], prompt_set="evals.jsonl")
    store.record_vote(Vote(C, A, Choice.B, True, run.conversation_id, run_id=run.id))
    shown = store.new_conversation([A, C])
    store.record_vote(Vote(A, C, Choice.B, False, shown))


def test_cli_json(store: Store) -> None:
    vote(store)
    result = run_cli("leaderboard", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"method", "overall", "prompt_sets", "compare_votes"}
    assert data["overall"]["votes"] == 6
    rows = {r["model"]: r for r in data["overall"]["models"]}
    assert [r["model"] for r in data["overall"]["models"]] == [A, B, C]
    a = rows[A]
    assert {k: a[k] for k in ("votes", "wins", "losses", "ties", "both_bad", "win_rate")} == {
        "votes": 6, "wins": 3, "losses": 1, "ties": 1, "both_bad": 1, "win_rate": 0.6667}
    assert set(a) == {"model", "rating", "ci_low", "ci_high", "votes", "wins", "losses", "ties",
                      "both_bad", "win_rate"}
    assert a["ci_low"] <= a["rating"] <= a["ci_high"] and a["rating"] > rows[B]["rating"]
    assert rows[C]["votes"] == 1 and rows[C]["losses"] == 1  # the names-showing win is not here
    assert data["prompt_sets"]["evals.jsonl"]["votes"] == 1
    assert data["compare_votes"] == {"votes": 1, "models": [
        {"model": C, "votes": 1, "wins": 1, "losses": 0, "ties": 0, "both_bad": 0, "win_rate": 1.0},
        {"model": A, "votes": 1, "wins": 0, "losses": 1, "ties": 0, "both_bad": 0, "win_rate": 0.0},
    ]}


def test_cli_text(store: Store) -> None:
    vote(store)
    result = run_cli("leaderboard")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Blind votes: 6")
    assert lines[1].split() == ["#", "MODEL", "RATING", "95%", "CI", "VOTES", "WINS", "LOSSES",
                                "TIES", "BOTH", "BAD", "WIN", "RATE"]
    first = lines[2].split()
    assert first[:2] == ["1", A] and first[4:] == ["6", "3", "1", "1", "1", "67%"]
    assert "Prompt set evals.jsonl: 1 blind votes" in result.stdout
    assert "Votes with the names showing: 1 (not rated)" in result.stdout


def test_cli_no_votes() -> None:
    result = run_cli("leaderboard")
    assert result.returncode == 0 and "no votes yet" in result.stdout
    data = json.loads(run_cli("leaderboard", "--json").stdout)
    assert data["overall"] == {"votes": 0, "models": []} and data["compare_votes"]["votes"] == 0


async def test_screen(store: Store) -> None:
    vote(store)
    app = ScreenApp(lambda: LeaderboardScreen(store))
    async with app.run_test(size=(140, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        row = [str(c) for c in table.get_row(A)]
        assert row[:2] == ["1", A] and row[4:] == ["6", "3", "1", "1", "1", "67%"]
        low, high = (float(x) for x in row[3].split("–"))
        assert low <= float(row[2]) <= high
        text = screen_text(app)
        assert "3 models, 6 blind votes" in text and "1 votes with names showing" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_screen_empty(store: Store) -> None:
    app = ScreenApp(lambda: LeaderboardScreen(store))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No blind votes yet" in screen_text(app)
