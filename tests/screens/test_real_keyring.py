"""Keys through a real Secret Service backend (gnome-keyring in a private D-Bus session).

Runs only under `sh .ci/with_keyring.sh ...`, which starts the session and sets
LLMTUI_REAL_KEYRING=1; everywhere else it is skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
import sys

import keyring
import keyring.core
import pytest

from tests.conftest import run_cli

pytestmark = [
    pytest.mark.keyring_real,
    pytest.mark.skipif(
        os.environ.get("LLMTUI_REAL_KEYRING") != "1",
        reason="needs a Secret Service session: run under `sh .ci/with_keyring.sh` "
        "(dbus-run-session + gnome-keyring-daemon)",
    ),
]

KEY = "gsk_RealKeyringRoundTrip4242"


def test_keys_set_list_delete_through_secret_service() -> None:
    # In here the tests' in-memory backend class is registered too, so the default would be a
    # chainer; load Secret Service by name. The CLI subprocesses detect it on their own (probe).
    keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"
    probe = subprocess.run(
        [sys.executable, "-c", "import keyring; b = keyring.get_keyring(); print(type(b).__module__)"],
        capture_output=True, text=True, check=True,
    )
    assert probe.stdout.strip() == "keyring.backends.SecretService"  # what the CLI will use

    try:
        result = run_cli("keys", "set", "groq", input=KEY + "\n")
        assert result.returncode == 0, result.stderr
        assert "gsk_…4242" in result.stdout and KEY not in result.stdout + result.stderr
        assert keyring.get_password("llmtui", "groq") == KEY  # round trip via D-Bus

        listed = run_cli("keys", "list")
        assert listed.returncode == 0, listed.stderr
        groq = next(line for line in listed.stdout.splitlines() if line.startswith("groq "))
        assert groq.split()[1:] == ["keyring", "gsk_…4242"]
        assert KEY not in listed.stdout + listed.stderr

        deleted = run_cli("keys", "delete", "groq")
        assert deleted.returncode == 0 and "deleted" in deleted.stdout
        assert keyring.get_password("llmtui", "groq") is None
    finally:
        try:
            keyring.delete_password("llmtui", "groq")
        except keyring.errors.PasswordDeleteError:
            pass


async def test_keys_screen_saves_to_secret_service() -> None:
    """The screen's thread-run keyring calls against the real D-Bus backend."""
    from textual.widgets import DataTable

    from llmtui.core.config import Config
    from llmtui.core.runtime import Runtime
    from llmtui.screens.keys import KeysScreen
    from tests.screens.harness import ScreenApp, screen_text

    keyring.set_keyring(keyring.core.load_keyring("keyring.backends.SecretService.Keyring"))
    app = ScreenApp(lambda: KeysScreen(Runtime(Config())))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("groq"))
            await pilot.press("s", *KEY, "enter")
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert keyring.get_password("llmtui", "groq") == KEY
            assert str(table.get_cell("groq", "key")) == "gsk_…4242"
            assert KEY not in screen_text(app)
    finally:
        try:
            keyring.delete_password("llmtui", "groq")
        except keyring.errors.PasswordDeleteError:
            pass
