"""SVG snapshots of two reasoning models in compare: mid-thought, finished (folded), hidden.

Deterministic: the loopback fake's scripted reasoning streams (tests/fakes/reasoning_fake.py),
timing figures masked.
"""

from __future__ import annotations

import pytest

from llmtui.core.starter import local_model_available
from tests.screens.helpers import FAKE_KEY, answered, make_app, send, until

SIZE = (130, 34)

# As test_main_snapshots: recorded with the [local] extra, whose model the catalog lists.
pytestmark = pytest.mark.skipif(not local_model_available(),
                                reason="snapshots recorded with the [local] extra installed")


@pytest.fixture
def reasoning(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n'
                 f'[providers.together]\nbase_url = "{fake_url}/v1"\n[network]\nmax_retries = 0\n')
    monkeypatch.setenv("DEEPSEEK_API_KEY", FAKE_KEY)
    monkeypatch.setenv("TOGETHER_API_KEY", FAKE_KEY)


class TestReasoningCompare:
    def test_both_thinking(self, snap_compare, reasoning) -> None:  # type: ignore[no-untyped-def]
        """You should see two columns, deepseek/r-deepseek-stall and together/r-openrouter-stall,
        each with a dim "▾ thinking… –" header and the thought "Let me think about «that»." in
        italics below it, no answer text yet, streaming borders."""
        app = make_app(compare=("deepseek/r-deepseek-stall", "together/r-openrouter-stall"))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "think first")
            screen = pilot.app.main
            await until(pilot, lambda: bool(screen.session.turns) and all(
                screen.views[lane].thinking.full_text for lane in screen.session.turns[-1].lanes))
            await pilot.pause(0.3)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_finished_folded(self, snap_compare, reasoning) -> None:  # type: ignore[no-untyped-def]
        """You should see both thoughts folded to "▸ thought for – · 6 tok" (the openrouter one
        adds "part redacted by the provider"), each answer "Hello, world!", footers with
        "answer –.––s · thought –.–s" and "(6 thinking)", and "⚡ faster (total time)" on the
        right column only (it did not wait between thoughts)."""
        app = make_app(compare=("deepseek/r-deepseek-100", "together/r-openrouter"))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "think first")
            await answered(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_hidden(self, snap_compare, reasoning) -> None:  # type: ignore[no-untyped-def]
        """You should see the same finished compare with no thinking at all (F3 twice: hide):
        only the answers and their footers."""
        app = make_app(compare=("deepseek/r-deepseek-100", "together/r-openrouter"))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "think first")
            await answered(pilot)
            await pilot.press("f3", "f3")
            await pilot.pause(0.2)
            pilot.app.clear_notifications()  # the "Thinking: show/hide" toasts
            await pilot.pause(0.1)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
