"""The TUI refuses bad start-up state with one line and exit 2, never a traceback or a dead screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.tui.helpers import make_app, until


@pytest.mark.parametrize(("text", "needle"), [
    ("[nonsense\n", "not valid TOML"),
    ("[network]\nread_timeout = \"soon\"\n", "[network].read_timeout"),
    ("[providers.x]\nkind = \"nosuch\"\n", "kind"),
])
def test_corrupt_config_at_tui_start_is_one_line_and_exit_2(text: str, needle: str,  # type: ignore[no-untyped-def]
                                                            write_config) -> None:
    path = write_config(text)
    result = run_cli("-m", "demo/simulated")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and needle in result.stderr


async def test_a_store_that_cannot_open_is_one_line_and_exit_2(isolated_env: Path) -> None:
    store = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not a database, just some bytes" * 100)
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.return_code is not None, timeout=10)
    assert app.return_code == 2
    assert store.read_bytes().startswith(b"this is not a database")  # left as it was
    message = app.return_value  # cli_tui prints it to stderr after the app has closed
    assert isinstance(message, str) and "\n" not in message
    assert message.startswith("llmtui: error: ") and "cannot open the store" in message
    assert str(store) in message
