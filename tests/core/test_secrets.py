"""Keys: env beats keyring, masking, no backend, and the `keys` commands in-process."""

from __future__ import annotations

import io
import sys

import keyring
import keyring.backends.fail
import pytest

from llmtui.cli import main
from llmtui.core.secrets import (
    ApiKey,
    KeyringUnavailable,
    mask,
    resolve_key,
    set_key,
)


def test_mask_keeps_prefix_and_tail_only() -> None:
    assert mask("gsk_abcdefghijklmnop9f2a") == "gsk_…9f2a"
    assert mask("sk-proj-abcdefghijklmnopqrstuvwx1234") == "sk-…1234"
    assert mask("hf_abcdefghijklmnopqrstu") == "hf_…rstu"
    assert mask("short") == "…rt"
    assert "abcdefghijklmnop" not in mask("gsk_abcdefghijklmnop9f2a")


def test_api_key_never_prints() -> None:
    key = ApiKey("sk-secret-value-123456")
    assert "secret" not in repr(key) and "secret" not in str(key) and "secret" not in f"{key}"
    assert key.reveal() == "sk-secret-value-123456"


def test_env_overrides_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    set_key("groq", "gsk_from_keyring_0000")
    found = resolve_key("groq", ("GROQ_API_KEY",))
    assert found is not None and found.source == "keyring"
    monkeypatch.setenv("GROQ_API_KEY", "gsk_from_env_1111")
    found = resolve_key("groq", ("GROQ_API_KEY",))
    assert found is not None and found.source == "env" and found.key.reveal() == "gsk_from_env_1111"


def test_no_backend_is_one_clear_line_and_writes_nothing(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(KeyringUnavailable, match="GROQ_API_KEY"):
        set_key("groq", "gsk_x_123456789")
    assert resolve_key("groq", ("GROQ_API_KEY",)) is None
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []


def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_keys_set_list_delete(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(monkeypatch, capsys, "keys", "set", "groq", stdin="gsk_abcdefghijklmnop9f2a\n")
    assert code == 0 and "gsk_…9f2a" in out and "abcdefghijklmnop" not in out
    assert keyring.get_password("llmtui", "groq") == "gsk_abcdefghijklmnop9f2a"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-envkey-abcdefgh5678")
    code, out, _ = cli(monkeypatch, capsys, "keys", "list")
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "keyring" in lines["groq"] and "gsk_…9f2a" in lines["groq"]
    assert "env OPENAI_API_KEY" in lines["openai"] and "sk-…5678" in lines["openai"]
    assert "abcdefghijklmnop" not in out and "envkey" not in out
    code, out, _ = cli(monkeypatch, capsys, "keys", "delete", "groq")
    assert code == 0 and keyring.get_password("llmtui", "groq") is None
    code, out, err = cli(monkeypatch, capsys, "keys", "delete", "groq")
    assert code == 1 and "no stored key for groq" in err and not out


def test_keys_set_rejects_empty_and_unknown(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(monkeypatch, capsys, "keys", "set", "groq", stdin="\n")[0] == 2
    code, _, err = cli(monkeypatch, capsys, "keys", "set", "nosuch", stdin="x\n")
    assert code == 2 and "unknown provider" in err
    code, _, err = cli(monkeypatch, capsys, "keys", "set", "demo", stdin="x\n")
    assert code == 2 and "needs no key" in err


def test_cohere_compat_shares_the_cohere_key(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    cli(monkeypatch, capsys, "keys", "set", "cohere", stdin="co-abcdefghijklmn1234\n")
    from llmtui.core.config import Config
    from llmtui.core.runtime import Runtime

    found = Runtime(Config()).resolve_key("cohere-compat")
    assert found is not None and found.key.reveal() == "co-abcdefghijklmn1234"


async def test_keys_check_against_loopback(write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n')
    monkeypatch.setenv("GROQ_API_KEY", "sk-test-123")
    code = await asyncio.to_thread(main, ["keys", "check", "groq"])
    out = capsys.readouterr().out
    assert code == 0 and "groq: ok (key from env GROQ_API_KEY)" in out
    monkeypatch.setenv("GROQ_API_KEY", "sk-wrong-999999")
    code = await asyncio.to_thread(main, ["keys", "check", "groq"])
    out = capsys.readouterr().out
    assert code == 1 and "groq: rejected" in out and "sk-wrong-999999" not in out
