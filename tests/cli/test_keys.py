"""`llmtui keys` in a subprocess: it tells the truth about what it did."""

from __future__ import annotations

from tests.conftest import run_cli

NULL_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def test_delete_without_a_stored_key_says_so() -> None:
    result = run_cli("keys", "delete", "groq", env=NULL_KEYRING)
    assert result.returncode == 1
    assert "no stored key for groq" in result.stderr
    assert "deleted" not in result.stdout


def test_delete_a_keyless_provider_is_a_usage_error() -> None:
    result = run_cli("keys", "delete", "demo", env=NULL_KEYRING)
    assert result.returncode == 2 and "demo needs no key" in result.stderr


def test_set_without_a_keyring_names_the_providers_own_variable() -> None:
    result = run_cli("keys", "set", "together", input="tgp_abcdefghijklmnop1234\n", env=NULL_KEYRING)
    assert result.returncode == 1
    assert "TOGETHER_API_KEY" in result.stderr and "GROQ_API_KEY" not in result.stderr
    assert "abcdefghijklmnop" not in result.stderr + result.stdout


def test_check_with_no_keys_checks_nothing_and_passes() -> None:
    result = run_cli("keys", "check", env=NULL_KEYRING)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no keys to check" in result.stderr
    assert "unreachable" not in result.stdout


def test_check_one_provider_without_a_key() -> None:
    result = run_cli("keys", "check", "groq", env=NULL_KEYRING)
    assert result.returncode == 1
    assert result.stdout.startswith("groq: no key: none in the keyring or GROQ_API_KEY; "
                                    "set one with `llmtui keys set groq`")


def test_list_shows_env_key_masked() -> None:
    result = run_cli("keys", "list", env={**NULL_KEYRING, "GROQ_API_KEY": "gsk_FromTheEnvironment1234"})
    assert result.returncode == 0
    groq = next(line for line in result.stdout.splitlines() if line.startswith("groq "))
    assert "env GROQ_API_KEY" in groq and "gsk_…1234" in groq
    assert "FromTheEnvironment" not in result.stdout + result.stderr
    assert "keyring" in result.stderr  # the null backend is reported, on stderr
