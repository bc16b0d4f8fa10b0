"""The keys screen, driven with Pilot against the in-memory keyring and the loopback fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import keyring
import pytest
from textual.widgets import DataTable

from llmtui.core.config import load_config
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.screens.keys import KeysScreen
from llmtui.screens.modals import TextInputModal
from tests.screens.harness import ScreenApp, screen_text
from tests.screens.helpers import until

SECRET = "gsk_DistinctiveSecretValue9f2a"  # masks to gsk_…9f2a


@pytest.fixture
async def runtime(write_config, fake_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    rt = Runtime(load_config(), Store(tmp_path / "store.sqlite3"))
    yield rt
    await rt.aclose()
    rt.store.close()


async def settle(app: ScreenApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let chained workers (save -> reload) finish."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def table(app: ScreenApp) -> DataTable:  # type: ignore[type-arg]
    return app.screen.query_one("#keys-table", DataTable)


def cell(app: ScreenApp, provider: str, column: str) -> str:
    return str(table(app).get_cell(provider, column))


async def select(app: ScreenApp, pilot, provider: str) -> None:  # type: ignore[no-untyped-def]
    t = table(app)
    t.move_cursor(row=t.get_row_index(provider))
    await pilot.pause()


async def test_lists_key_providers_only(runtime: Runtime) -> None:
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        rows = {str(k.value) for k in table(app).rows}
        assert {"openai", "groq", "anthropic", "gemini"} <= rows
        assert not rows & {"demo", "local", "ollama"}
        assert cell(app, "groq", "source") == "none"


async def test_set_key_through_masked_input(runtime: Runtime) -> None:
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "groq")
        await pilot.press("s")
        # On a loaded machine the dialog can take a moment; keys typed before it would hit the table.
        await until(pilot, lambda: isinstance(app.screen, TextInputModal))
        await pilot.press(*SECRET)
        await pilot.pause()
        typing = screen_text(app)
        assert "•" * 10 in typing
        assert SECRET not in typing and "DistinctiveSecret" not in typing
        await pilot.press("enter")
        await settle(app, pilot)
        assert keyring.get_password("llmtui", "groq") == SECRET
        assert cell(app, "groq", "source") == "keyring"
        assert cell(app, "groq", "key") == "gsk_…9f2a"
        shown = screen_text(app)
        assert "gsk_…9f2a" in shown
        assert "DistinctiveSecret" not in shown
        notes = " ".join(n.message for n in app._notifications)
        assert "gsk_…9f2a" in notes and "DistinctiveSecret" not in notes


async def test_escape_in_the_input_saves_nothing(runtime: Runtime) -> None:
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "groq")
        await pilot.press("s", *"abcdefghijklmnop", "escape")
        await settle(app, pilot)
        assert keyring.get_password("llmtui", "groq") is None
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_check_ok_and_rejected_against_loopback(runtime: Runtime) -> None:
    keyring.set_password("llmtui", "groq", "sk-test-123")
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "groq")
        await pilot.press("c")
        await settle(app, pilot)
        assert cell(app, "groq", "check").startswith("✓ ok")

        keyring.set_password("llmtui", "groq", "sk-wrong-key-999999")
        await pilot.press("c")
        await settle(app, pilot)
        result = cell(app, "groq", "check")
        assert result.startswith("✗ rejected"), result
        shown = screen_text(app) + " ".join(n.message for n in app._notifications)
        assert "sk-wrong-key-999999" not in shown and "sk-test-123" not in shown


async def test_check_without_a_key_says_where_it_looked_and_how_to_add_one(runtime: Runtime) -> None:
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "groq")
        await pilot.press("c")
        await settle(app, pilot)
        assert cell(app, "groq", "check") == "✗ no key: none in the keyring or GROQ_API_KEY"
        notes = [n.message for n in app._notifications]
        assert notes[-1] == "groq: no key: none in the keyring or GROQ_API_KEY; s sets one"


async def test_check_unreachable(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_config('[providers.groq]\nbase_url = "http://127.0.0.1:9/openai/v1"\n')
    rt = Runtime(load_config(), Store(tmp_path / "s.sqlite3"))
    keyring.set_password("llmtui", "groq", "sk-test-123")
    app = ScreenApp(lambda: KeysScreen(rt))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            await select(app, pilot, "groq")
            await pilot.press("c")
            await settle(app, pilot)
            assert cell(app, "groq", "check").startswith("✗ unreachable")
    finally:
        await rt.aclose()


async def test_delete_removes_the_key(runtime: Runtime) -> None:
    keyring.set_password("llmtui", "groq", SECRET)
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await select(app, pilot, "groq")
        assert cell(app, "groq", "key") == "gsk_…9f2a"
        await pilot.press("d")
        await pilot.pause()
        assert "gsk_…9f2a" in screen_text(app)  # the confirmation names the masked key
        await pilot.press("y")
        await settle(app, pilot)
        assert keyring.get_password("llmtui", "groq") is None
        assert cell(app, "groq", "source") == "none"


async def test_env_var_overrides_and_is_said(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_FromTheEnvironment1234")
    keyring.set_password("llmtui", "groq", SECRET)
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert cell(app, "groq", "source") == "env GROQ_API_KEY (overrides keyring)"
        assert cell(app, "groq", "key") == "gsk_…1234"
        shown = screen_text(app)
        assert "FromTheEnvironment" not in shown and "DistinctiveSecret" not in shown


async def test_no_keyring_backend_shows_the_fix(runtime: Runtime) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    app = ScreenApp(lambda: KeysScreen(runtime))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Keyring unavailable" in shown and "GROQ_API_KEY" in shown
        await select(app, pilot, "together")
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, KeysScreen)  # no dialog for a key that cannot be saved
        notes = " ".join(n.message for n in app._notifications)
        assert "Cannot store keys here" in notes and "TOGETHER_API_KEY" in notes
        assert "GROQ_API_KEY" not in notes
