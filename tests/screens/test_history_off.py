"""L10 in the TUI: a history store that cannot be opened or read (a damaged page, random
bytes, a directory, a newer schema, a lock held by another process) never stops the app.
It starts in no-history mode: a banner says why and the repair, chat and compare answer,
nothing is written to the file. A zero-byte file is a new, empty store (history on)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from llmtui.core.store import Store
from tests.fakes.damaged_stores import BROKEN, locked_by_another_process, snapshot
from tests.screens.helpers import answered, booted, make_app, send


def store_file(home: Path) -> Path:
    path = home / "data" / "llmtui" / "llmtui.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def banner_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.main.query_one("#history-off", Static).render())


def hints(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(h.render()) for h in app.main.query(".hint").results(Static))


@pytest.mark.parametrize("broken", list(BROKEN))
async def test_a_broken_store_starts_without_history_and_chat_works(broken: str,
                                                                    isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    reason = BROKEN[broken](db_file)
    before = snapshot(db_file)
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "hello without history")
        screen = await answered(pilot)
        assert app.return_code is None  # still running
        assert app.runtime.history_off is not None
        banner = banner_text(app)
        assert banner.startswith(f"⚠ No history: {db_file.name} {reason} · nothing is saved")
        assert "\n" not in banner
        repair = hints(app)
        assert "To repair the history store:" in repair
        if broken == "damaged-page":
            assert "close llmtui, then llmtui doctor --repair-store" in repair
        lane = screen.session.turns[-1].lanes[0]
        assert lane.state.value == "done" and lane.text  # the answer came
        await pilot.press("ctrl+n")
    assert snapshot(db_file) == before  # not migrated, recovered or overwritten


async def test_compare_works_without_history(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    BROKEN["random-bytes"](db_file)
    app = make_app(compare=["demo/simulated-fast", "demo/simulated"])
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "two answers, no history")
        screen = await answered(pilot, timeout=90)  # demo/simulated streams at a human pace
        assert app.main.query("#history-off")
        assert [lane.state.value for lane in screen.session.turns[-1].lanes] == ["done", "done"]
        assert "To repair the history store: mv" in hints(app)  # in the first pane


async def test_a_store_locked_by_another_process_starts_without_history(
        isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("llmtui.core.history_off.OPEN_WAIT_S", 0.2)
    db_file = store_file(isolated_env)
    with locked_by_another_process(db_file):
        app = make_app(model="demo/simulated-fast")
        async with app.run_test(size=(160, 40)) as pilot:
            await send(pilot, "while another process holds the lock")
            screen = await answered(pilot)
            assert "is locked by another process (database is locked)" in banner_text(app)
            assert "fuser" in hints(app)
            assert screen.session.turns[-1].lanes[0].state.value == "done"
    assert Store(db_file).conversations() == []  # nothing went to the file


async def test_a_zero_byte_store_is_a_new_one(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    db_file.write_bytes(b"")
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "the first prompt")
        await answered(pilot)
        assert app.runtime.history_off is None and not app.main.query("#history-off")
    store = Store(db_file)
    (conversation,) = store.conversations()
    assert [m.role for m in store.messages(conversation.id)] == ["user", "assistant"]


async def test_resume_with_a_broken_store_says_it_cannot_reopen(isolated_env: Path) -> None:
    db_file = store_file(isolated_env)
    BROKEN["damaged-page"](db_file)
    app = make_app(model="demo/simulated-fast", resume="last")
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        assert app.main.query("#history-off")
        assert any("no stored conversation can be reopened" in n.message
                   for n in app._notifications)


async def test_a_store_that_fails_mid_session_switches_to_no_history(
        isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills after start: the prompt cannot be saved. The send goes on, the banner
    appears, and the model still gets the earlier turns (the conversation continues)."""
    import sqlite3
    from typing import Any

    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "first, saved")
        screen = await answered(pilot)
        store = app.runtime.store

        def full(*args: Any, **kw: Any) -> int:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "add_message", full)
        await send(pilot, "second, on a full disk")
        await answered(pilot)
        assert "cannot be written: its disk is full (database or disk is full)" in banner_text(app)
        turn = screen.session.turns[-1]
        assert len(screen.session.turns) == 2 and turn.lanes[0].state.value == "done"
        assert [m.content for m in turn.exchanges[0].history] == [
            "first, saved", screen.session.turns[0].lanes[0].text, "second, on a full disk"]
    (conversation,) = Store(store_file(isolated_env)).conversations()  # the first turn stayed


async def test_a_conversation_on_a_damaged_page_is_named_and_a_new_chat_goes_on(
        isolated_env: Path) -> None:
    """--resume 1 where that conversation cannot be read: one notice with the repair, a new
    chat starts; its first write meets the damage too, so it goes on without history."""
    from tests.fakes.damaged_stores import damaged_index

    db_file = store_file(isolated_env)
    damaged_index(db_file)
    app = make_app(model="demo/simulated-fast", resume=1)
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        (notice,) = [n.message for n in app._notifications if "cannot be read" in n.message]
        assert notice.startswith("Conversation 1 cannot be read: the store is damaged (")
        assert "llmtui doctor --repair-store" in notice
        await send(pilot, "a new chat")
        screen = await answered(pilot)
        assert screen.session.turns[-1].lanes[0].state.value == "done"
        assert "is damaged (database disk image is malformed)" in banner_text(app)
