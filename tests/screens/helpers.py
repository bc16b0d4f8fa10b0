"""Shared by the TUI pilot tests and the snapshot tests: config, app factory, waiting."""

from __future__ import annotations

import asyncio
import time

import pytest
from textual.pilot import Pilot

from llmtui.app import LlmApp
from llmtui.core.config import load_config
from llmtui.screens.main import MainScreen

FAKE_KEY = "sk-test-123"


def groq_config(write_config, fake_url: str, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                extra: str = "") -> None:
    """Point the groq preset at the loopback fake and give it the key the fake expects."""
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n'
                 "[network]\nmax_retries = 0\n" + extra)
    monkeypatch.setenv("GROQ_API_KEY", FAKE_KEY)


def make_app(**kwargs: object) -> LlmApp:
    kwargs.setdefault("deterministic", True)
    return LlmApp(load_config(), **kwargs)  # type: ignore[arg-type]


def main_screen(app: LlmApp) -> MainScreen:
    return app.main


async def booted(pilot: Pilot[object]) -> MainScreen:
    app = pilot.app
    assert isinstance(app, LlmApp)
    for _ in range(200):
        await pilot.pause(0.02)
        if any(isinstance(s, MainScreen) for s in app.screen_stack) and app.main.booted.is_set():
            break
    screen = app.main
    await wait_catalog(pilot)
    return screen


async def wait_catalog(pilot: Pilot[object], timeout: float = 10) -> None:
    app = pilot.app
    assert isinstance(app, LlmApp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # the start-up's background work too (warm imports, prices): tests that pause for a
        # fixed time must not share the CPU with it
        if not [w for w in app.main.workers if w.group in ("models", "meter", "boot", "prices")
                and w.is_running]:
            break
        await pilot.pause(0.02)


async def until(pilot: Pilot[object], condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


async def answered(pilot: Pilot[object], timeout: float = 20.0) -> MainScreen:
    """Wait until the last turn's streams have all ended and the screen is quiet."""
    app = pilot.app
    assert isinstance(app, LlmApp)
    screen = app.main
    await until(pilot, lambda: bool(screen.session.turns) and not screen.session.streaming, timeout)
    await until(pilot, lambda: not [w for w in screen.workers if w.group == "stream" and w.is_running],
                timeout)
    await pilot.pause(0.1)
    await wait_catalog(pilot)
    await pilot.pause()
    return screen


async def send(pilot: Pilot[object], text: str) -> None:
    screen = await booted(pilot)
    prompt = screen.query_one("#prompt")
    prompt.focus()
    prompt.text = text  # type: ignore[attr-defined]
    await pilot.press("enter")
    await asyncio.sleep(0)


def record_notices(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every notice any answer shows, even one replaced before a poll could see it."""
    from llmtui.widgets.message_view import MessageView

    seen: list[str] = []
    show = MessageView.show_notice

    def recording(self: MessageView, text: str, *, failed: bool = False) -> None:
        seen.append(text)
        show(self, text, failed=failed)

    monkeypatch.setattr(MessageView, "show_notice", recording)
    return seen
