"""What `llmtui` refuses before any TUI paints or any model is asked (subprocess, no TTY)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from llmtui.core.store import Store
from tests.conftest import run_cli

LAUNCH_TIMEOUT = 30  # these must exit at once; a TUI that started instead fails by timing out


def stored_conversations() -> int:
    store = Store()
    try:
        return len(store.conversations())
    finally:
        store.close()


@pytest.mark.parametrize(("word", "suggestion"), [
    ("leaderbord", "did you mean 'leaderboard'?"),
    ("model", "did you mean 'models'?"),
    ("bogus-sub", "commands: ask, keys, models"),
])
def test_a_mistyped_command_is_an_error_not_a_prompt(word: str, suggestion: str) -> None:
    result = run_cli(word, timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2
    line, = result.stderr.splitlines()
    assert line.startswith(f"llmtui: error: unknown command '{word}'") and suggestion in line
    assert f"llmtui -- {word}" in line  # how to send it as a prompt after all
    assert stored_conversations() == 0  # nothing was sent to a model


@pytest.mark.parametrize(("args", "suggestion"), [
    (("histroy", "--json"), "did you mean 'history'?"),
    (("histroy", "show", "3"), "did you mean 'history'?"),
    (("explain", "WAL", "mode"), "in quotes: llmtui 'explain WAL mode'"),
])
def test_a_mistyped_command_with_arguments_gets_the_same_suggestion(
        args: tuple[str, ...], suggestion: str) -> None:
    result = run_cli(*args, timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2
    line, = result.stderr.splitlines()
    assert line.startswith(f"llmtui: error: unknown command '{args[0]}'") and suggestion in line
    assert stored_conversations() == 0


@pytest.mark.parametrize("args", [
    ("--resume", "99999999999999999999999"), ("history", "show", "99999999999999999999999"),
    ("history", "delete", "-1"), ("history", "rename", "0", "t"), ("vote", "99999999999999999999999"),
    ("export", "99999999999999999999999", "-o", "-"), ("history", "-n", "0"),
])
def test_an_id_sqlite_cannot_hold_is_a_usage_error_not_a_traceback(args: tuple[str, ...]) -> None:
    result = run_cli(*args, timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Overflow" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"llmtui{' ' + args[0] if args[0] != '--resume' else ''}")


def test_a_reader_that_leaves_early_is_not_a_traceback() -> None:
    """`llmtui history --json | head -1`: stdout's reader is gone before llmtui writes."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("llmtui")
    for args in (["completion", "bash"], ["models", "--json"], ["doctor"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # every write to stdout now fails with EPIPE
        done = subprocess.run([str(exe), *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=60)
        os.close(write_end)
        assert done.returncode == 141, (args, done.stderr)
        assert done.stderr == "", (args, done.stderr)


@pytest.mark.parametrize("args", [("-m", "nosuch/model"), ("-m", "nosuch"),
                                  ("--compare", "demo/simulated", "nosuch/x")])
def test_a_bad_model_is_refused_by_the_tui_and_by_ask_alike(args: tuple[str, ...]) -> None:
    tui = run_cli(*args, timeout=LAUNCH_TIMEOUT)
    flag, ref = args[0], args[-1]
    assert tui.returncode == 2
    line, = tui.stderr.splitlines()
    assert line.startswith(f"llmtui: error: {flag} {ref}: ")
    if flag == "-m":
        ask = run_cli("ask", *args, "hello there")
        assert ask.returncode == 2 and ask.stderr == tui.stderr
    assert stored_conversations() == 0  # ask stored no conversation for a model it refused


def test_resume_of_a_missing_conversation_exits_2() -> None:
    result = run_cli("--resume", "999", timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2
    assert result.stderr.strip() == ("llmtui: error: --resume 999: no conversation 999; "
                                     "`llmtui history` lists them, `llmtui --last` opens the newest")


def test_blind_without_compare_is_an_error() -> None:
    result = run_cli("--blind", "-m", "demo/simulated", timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2 and "--blind needs --compare A B" in result.stderr


def test_llmtui_config_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    for args in (("ask", "-m", "demo/simulated", "hi"), ("keys", "list"), ("-m", "demo/simulated")):
        result = run_cli(*args, env={"LLMTUI_CONFIG": str(missing)}, timeout=LAUNCH_TIMEOUT)
        assert result.returncode == 2, args
        assert result.stderr.strip() == f"llmtui: error: {missing}: no such file (named by LLMTUI_CONFIG)"


def test_a_prompt_with_spaces_or_after_dashes_starts_the_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    import llmtui.cli.tui
    from llmtui.cli import main

    started: list[argparse.Namespace] = []
    monkeypatch.setattr(llmtui.cli.tui, "run_tui", lambda args: started.append(args) or 0)
    assert main(["explain WAL mode"]) == 0
    assert main(["--", "hello"]) == 0
    assert main(["-m", "demo/simulated", "--", "leaderbord"]) == 0
    assert [a.prompt for a in started] == ["explain WAL mode", "hello", "leaderbord"]


@pytest.mark.parametrize(("args", "needle"), [
    (["--compare", "demo/simulated"], "--compare takes 2 to 4 models, not 1"),
    (["--compare", "demo/a", "demo/b", "demo/c", "demo/d", "demo/e"], "2 to 4 models, not 5"),
    (["--compare", "demo/simulated", "demo/simulated"], "names a model twice"),
    (["--compare", "demo/a", "demo/b", "demo/c", "--blind"], "exactly two models"),
])
def test_compare_takes_two_to_four_distinct_models(args: list[str], needle: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2 and needle in result.stderr


def test_without_a_terminal_the_tui_exits_with_one_line() -> None:
    # The tester's case: `make run LOCAL=0 </dev/null` spun at ~40% CPU forever (Textual's
    # input thread reading end-of-file). Here stdin is a pipe and stderr is captured.
    result = run_cli("-m", "demo/simulated", input="", timeout=LAUNCH_TIMEOUT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("llmtui: error: the TUI needs a terminal, and stdin is not one")


@pytest.mark.parametrize("ref", ["demo/a\x1b[31mred", "demo/a\u202ered", " demo/simulated"])
def test_a_model_name_with_escapes_or_invisible_characters_is_refused(ref: str) -> None:
    tui = run_cli("-m", ref, timeout=LAUNCH_TIMEOUT)
    ask = run_cli("ask", "-m", ref, "hello there")
    assert tui.returncode == ask.returncode == 2
    assert tui.stderr == ask.stderr and "\x1b" not in ask.stderr and "\u202e" not in ask.stderr
    assert "a model name has no control or invisible characters" in ask.stderr
    assert stored_conversations() == 0
