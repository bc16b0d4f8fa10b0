"""The TUI refuses bad start-up config with one line and exit 2, never a traceback or a dead
screen. (A store that cannot open is no reason to stop: tests/screens/test_history_off.py.)"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


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
