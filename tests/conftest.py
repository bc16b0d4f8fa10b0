"""Determinism for every test: private XDG dirs, no stray keys, a keyring, fake servers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest

from llmtui.providers.presets import ENV_VARS
from tests.fakes.money_fake import MoneyFake, start_money_fake
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.router_fake import RouterFake
from tests.fakes.server import FakeServer

ROOT = Path(__file__).resolve().parent.parent
ALL_KEY_VARS = {v for vars_ in ENV_VARS.values() for v in vars_} | {
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
    "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend class (not a mock of keyring) that keeps secrets in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config, data and keys live in tmp_path; no real key from the developer's shell leaks in."""
    for var in ALL_KEY_VARS | {"LLMTUI_CONFIG", "LLMTUI_DB"}:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # No AWS profile from the developer's ~/.aws: tests write their own files here when they need one.
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws" / "credentials"))
    monkeypatch.delenv("LLMTUI_LOG", raising=False)
    # Run inside tmux or screen or not, the app draws the same (the prompt's newline hint)
    for var in ("TMUX", "STY"):
        monkeypatch.delenv(var, raising=False)
    if os.environ.get("TERM", "").startswith(("screen", "tmux")):
        monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path
    keyring.set_keyring(previous)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "llmtui" / "config.toml"


@pytest.fixture
def write_config(config_file: Path):  # type: ignore[no-untyped-def]
    def write(text: str) -> Path:
        config_file.parent.mkdir(parents=True, exist_ok=True)
        config_file.write_text(text)
        return config_file

    return write


@pytest.fixture(scope="session")
def openai_server() -> Iterator[tuple[FakeServer, OpenAIFake]]:
    """One fake OpenAI-compatible server for the session; expects key `sk-test-123`."""
    fake = OpenAIFake(expected_key="sk-test-123")
    server = FakeServer(fake).start()
    yield server, fake
    server.stop()


@pytest.fixture
def fake_url(openai_server: tuple[FakeServer, OpenAIFake]) -> str:
    return openai_server[0].url


@pytest.fixture
def serve() -> Iterator[Callable[..., tuple[FakeServer, RouterFake]]]:
    """Start a fresh RouterFake per call (exact request counts); all are stopped after the test."""
    started: list[FakeServer] = []

    def start(**kwargs: Any) -> tuple[FakeServer, RouterFake]:
        fake = RouterFake(**kwargs)
        server = FakeServer(fake).start()
        started.append(server)
        return server, fake

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def money() -> Iterator[tuple[FakeServer, MoneyFake]]:
    """A fresh money fake per test (exact request counts); `money_fake.config` points providers at it."""
    server, fake = start_money_fake()
    yield server, fake
    server.stop()


def run_cli(*args: str, input: str | None = None,  # noqa: A002 - as subprocess.run
            env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the installed `llmtui` console script in a subprocess, with this test's env."""
    exe = Path(sys.executable).with_name("llmtui")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "llmtui"]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(cmd + list(args), input=input, capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=ROOT)


def run_in_terminal(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> str:
    """Run `llmtui ARGS` with stdout and stderr on one pseudo-terminal, as a person sees it;
    return what it showed (\r\n read as \n)."""
    import pty

    exe = Path(sys.executable).with_name("llmtui")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(exe), *args], stdin=subprocess.DEVNULL, stdout=follower,
                            stderr=follower, env={**os.environ, **(env or {})}, cwd=ROOT)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=timeout)
    os.close(leader)
    return shown.decode("utf-8", "replace").replace("\r\n", "\n")
