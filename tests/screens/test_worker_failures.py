"""A worker that fails on any screen says so there (one handler, screens/worker_failures.py).

Each screen is pushed alone on a bare App (tests/screens/harness.py), so the screen itself must
report the failure: nothing forwards it. The failure is real where it can be (a closed store
raises from SQLite); the message is read off the screen (toasts on: run_test turns them off).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from llmtui.core.config import load_config
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from tests.screens.harness import ScreenApp, screen_text
from tests.screens.helpers import until

CLOSED = "Cannot operate on a closed database"


@pytest.fixture
def closed_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store.sqlite3")
    store.close()
    return store


async def shows_failure(factory: Callable[[], Screen[Any]], needle: str) -> str:
    app = ScreenApp(factory)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await until(pilot, lambda: needle in screen_text(app))
        return screen_text(app)


async def test_history_screen(closed_store: Store) -> None:
    from llmtui.screens.history import HistoryScreen

    text = await shows_failure(lambda: HistoryScreen(closed_store), CLOSED)
    assert f"history failed: {CLOSED}" in text


async def test_leaderboard_screen(closed_store: Store) -> None:
    from llmtui.screens.leaderboard import LeaderboardScreen

    text = await shows_failure(lambda: LeaderboardScreen(closed_store), CLOSED)
    assert f"leaderboard failed: {CLOSED}" in text


async def test_vote_screen(tmp_path: Path) -> None:
    from llmtui.screens.vote import VoteScreen

    store = Store(tmp_path / "store.sqlite3")
    run = store.new_run(["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku"])
    store.close()
    text = await shows_failure(lambda: VoteScreen(store, run), CLOSED)
    assert f"vote failed: {CLOSED}" in text


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    rt = Runtime(load_config(), Store(tmp_path / "store.sqlite3"))
    yield rt
    await rt.aclose()
    rt.store.close()


async def test_keys_screen(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    from llmtui.core import keys
    from llmtui.screens.keys import KeysScreen

    def unreadable(*_args: object) -> None:
        raise PermissionError("config dir unreadable")  # what a scan could meet on a bad disk

    monkeypatch.setattr(keys, "scan", unreadable)
    text = await shows_failure(lambda: KeysScreen(runtime), "unreadable")
    assert "keys failed: config dir unreadable" in text


async def test_main_screen(write_config, fake_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.screens.helpers import booted, groq_config, make_app

    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/llama-3.3-70b-versatile")
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await booted(pilot)
        app.runtime.store.close()  # the meter's next read fails
        await pilot.press("ctrl+n")
        await until(pilot, lambda: CLOSED in screen_text(app))
        assert f"meter failed: {CLOSED}" in screen_text(app)


def test_every_screen_and_app_mixes_in_the_one_handler() -> None:
    """A screen added later cannot forget: every Screen class in llmtui.screens, and each App."""
    import importlib
    import inspect
    import pkgutil

    import llmtui.screens
    from llmtui.app import LlmApp
    from llmtui.screens.worker_failures import ShowsWorkerFailures
    from llmtui.vote_app import VoteApp

    screens = []
    for info in pkgutil.iter_modules(llmtui.screens.__path__):
        module = importlib.import_module(f"llmtui.screens.{info.name}")
        screens += [cls for cls in vars(module).values() if inspect.isclass(cls)
                    and issubclass(cls, Screen) and cls.__module__ == module.__name__]
    assert len(screens) >= 10
    assert [cls for cls in [*screens, LlmApp, VoteApp] if not issubclass(cls, ShowsWorkerFailures)] == []
