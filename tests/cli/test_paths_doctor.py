"""`llmtui paths` and `llmtui doctor`: the console script in a subprocess, throwaway dirs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import run_cli, run_in_terminal


def test_paths_names_every_file_under_the_xdg_dirs(isolated_env: Path) -> None:
    result = run_cli("paths", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["config"] == str(isolated_env / "config" / "llmtui" / "config.toml")
    assert found["settings"] == str(isolated_env / "config" / "llmtui" / "settings.toml")
    assert found["store"] == str(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    assert found["cache"] == str(isolated_env / "cache" / "llmtui")
    assert found["log"].startswith(str(isolated_env / "state" / "llmtui"))
    plain = run_cli("paths").stdout.splitlines()
    assert [line.split(":", 1)[0] for line in plain] == ["config", "settings", "data", "store", "cache",
                                                         "log"]


def test_paths_follow_the_overrides(tmp_path: Path) -> None:
    result = run_cli("paths", "--json", env={"LLMTUI_CONFIG": str(tmp_path / "x.toml"),
                                             "LLMTUI_DB": str(tmp_path / "h.db")})
    found = json.loads(result.stdout)
    assert found["config"] == str(tmp_path / "x.toml")
    assert found["settings"] == str(tmp_path / "settings.toml")
    assert found["store"] == str(tmp_path / "h.db")


def test_doctor_masks_keys_and_proxy_passwords_and_creates_nothing(isolated_env: Path) -> None:
    key = "gsk_abcdefghijklmnop9f2a"
    result = run_cli("doctor", env={"GROQ_API_KEY": key,
                                    "HTTPS_PROXY": "http://me:hunter22@proxy.local:3128",
                                    "TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen-256color",
                                    "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert key not in out and "hunter22" not in out
    assert "env GROQ_API_KEY gsk_…9f2a" in out
    assert "http://me:***@proxy.local:3128" in out
    assert "keyring.backends.null.Keyring" in out and "no working OS keyring backend" in out
    assert "none (set ANTHROPIC_API_KEY)" in out
    assert "bedrock (AWS):   none (no env keys, no usable profile 'default')" in out
    assert "inside tmux" in out and "wrapped for tmux" in out
    assert "genai-prices" in out
    assert not (isolated_env / "data" / "llmtui" / "llmtui.sqlite3").exists()


def test_doctor_reports_a_broken_config_instead_of_stopping(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config("[defaults]\ntemprature = 1\n")
    result = run_cli("doctor", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "temprature" in data["files"]["config error"]
    assert data["keys"]["openai"].startswith("none")


def test_doctor_shows_store_mode_and_size(isolated_env: Path) -> None:
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0
    store = isolated_env / "data" / "llmtui" / "llmtui.sqlite3"
    os.chmod(store, 0o644)
    data = json.loads(run_cli("doctor", "--json").stdout)
    assert "mode 644" in data["files"]["store"] and "readable by others" in data["files"]["store"]


def test_paths_says_when_the_config_file_is_not_there(tmp_path: Path) -> None:
    """Issue 18: LLMTUI_CONFIG=/tmp/nope.toml llmtui paths gave no hint the file is missing."""
    missing = run_cli("paths", env={"LLMTUI_CONFIG": str(tmp_path / "nope.toml")}).stdout.splitlines()
    assert missing[0].endswith("nope.toml  (no file there: the defaults apply)")
    (tmp_path / "real.toml").write_text("")
    present = run_cli("paths", env={"LLMTUI_CONFIG": str(tmp_path / "real.toml")}).stdout.splitlines()
    assert present[0].endswith("real.toml")


def test_doctor_wraps_long_values_under_their_column_in_an_80_column_terminal(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config('[budget]\ndaily_usd = "a lot of money, more than anyone would ever want to spend in a day"\n')
    shown = run_in_terminal("doctor", env={"COLUMNS": "80"}).splitlines()
    (start,) = [i for i, line in enumerate(shown) if line.startswith("  config error: ")]
    column = shown[start].index(":") + 2
    wrapped = [shown[start]]
    for line in shown[start + 1:]:
        if not line.startswith(" " * column):
            break
        wrapped.append(line)
    # over 80 only where one word (the config's path) is longer than the room left
    assert len(wrapped) >= 2 and all(len(line) <= 80 or " " not in line[column:] for line in wrapped), wrapped
    assert " ".join(w.strip() for w in wrapped).endswith("spend in a day'")
    piped = run_cli("doctor")  # pasted into a question: one line per value
    assert any(len(line) > 80 and line.startswith("  config error: ") for line in piped.stdout.splitlines())


def test_a_bad_keymap_is_one_line_in_doctor_and_stops_a_command_that_reads_the_config(write_config) -> None:  # type: ignore[no-untyped-def]
    """Not only the TUI's start: `doctor` names it on its config error line, and `models` (any
    command that loads config.toml) stops on it with the same line."""
    write_config('[keymap]\n"app.quit" = "f99"\n')
    problem = json.loads(run_cli("doctor", "--json").stdout)["files"]["config error"]
    assert problem.endswith("config.toml:2: [keymap].app.quit: 'f99' is not a key name; use names like "
                            '"f9", "ctrl+j", "alt+x", "delete", "slash"') and "\n" not in problem
    models = run_cli("models")
    assert models.returncode == 2 and models.stderr == f"llmtui: error: {problem}\n"
