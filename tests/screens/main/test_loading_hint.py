"""A local model says 'loading model…' under its lane until its first token; others say nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmtui.core.load_note import LOADING
from llmtui.widgets.message_view import MessageView
from tests.screens.helpers import answered, make_app, send


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notice a MessageView shows, in order (the real method still runs)."""
    shown: list[str] = []
    real = MessageView.show_notice

    def record(self: MessageView, text: str, *, failed: bool = False) -> None:
        shown.append(text)
        real(self, text, failed=failed)

    monkeypatch.setattr(MessageView, "show_notice", record)
    return shown


async def test_a_local_model_not_yet_in_memory_says_it_is_loading(  # type: ignore[no-untyped-def]
        write_config, tmp_path: Path, notices: list[str]) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF not really a model")
    write_config(f'[providers.local]\nmodels = {{ tiny = "{model}" }}\n')
    app = make_app(model="local/tiny")
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
    assert notices[0] == LOADING  # first, before anything the stream says
    assert notices[-1] != LOADING  # then replaced (here by the load's failure: not a real model)


async def test_the_demo_shows_no_loading_hint(notices: list[str]) -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
    assert LOADING not in notices
