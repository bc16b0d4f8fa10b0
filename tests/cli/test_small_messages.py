"""Small messages from the walkthrough's LOW list that named the wrong thing."""

from __future__ import annotations

from tests.conftest import run_cli


def test_export_of_a_missing_conversation_names_the_history_key() -> None:
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0
    result = run_cli("export", "999")
    assert result.returncode == 2 and "ctrl+o in the TUI" in result.stderr and "(h in" not in result.stderr


def test_a_negative_budget_is_called_a_budget(write_config) -> None:  # type: ignore[no-untyped-def]
    write_config("[budget]\ndaily_usd = -5\n")
    result = run_cli("spend")
    assert result.returncode == 2 and "a budget cannot be -5" in result.stderr


def test_one_request_is_singular() -> None:
    assert run_cli("ask", "-m", "demo/simulated-fast", "hi").returncode == 0
    out = run_cli("spend", "--by", "provider").stdout
    assert "1 request" in out and "1 requests" not in out


def test_a_search_that_matches_nothing_says_so() -> None:
    result = run_cli("models", "--search", "zzzqqq")
    assert "no model matches 'zzzqqq'" in result.stderr and "add a key" not in result.stderr
