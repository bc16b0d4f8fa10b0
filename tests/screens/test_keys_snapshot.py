"""SVG snapshot of the keys screen (its own module so its snapshot files stay apart)."""

from __future__ import annotations

import keyring
import pytest

from llmtui.core.config import Config
from llmtui.core.runtime import Runtime
from llmtui.screens.keys import KeysScreen
from tests.screens.harness import ScreenApp


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestKeysScreen:
    def test_env_and_keyring_keys(self, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
        """You should see the API keys table: openai from `env OPENAI_API_KEY` shown as `sk-…0001`,
        groq from `keyring` shown as `gsk_…0002`, every other key provider `none` with `—`, no
        demo/local/ollama rows, the help line, and the footer with s / c / d / esc."""
        monkeypatch.setenv("OPENAI_API_KEY", "sk-proj-SnapshotEnvKey0001")
        keyring.set_password("llmtui", "groq", "gsk_SnapshotKeyringKey0002")
        app = ScreenApp(lambda: KeysScreen(Runtime(Config())))
        assert snap_compare(app, terminal_size=(120, 36), run_before=_settled)
