"""Reasoning models in the TUI: the thinking streams above the answer, folds, hides on F3 (saved),
two reasoning lanes in compare, the footers' figures, and a reopened conversation."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from llmtui.core.settings import load_settings
from llmtui.widgets.metrics_bar import MetricsBar
from tests.screens.helpers import FAKE_KEY, answered, make_app, send, until

THOUGHT = "Let me think about «that»."


def reasoning_config(write_config, fake_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n'
                 f'[providers.together]\nbase_url = "{fake_url}/v1"\n[network]\nmax_retries = 0\n')
    monkeypatch.setenv("DEEPSEEK_API_KEY", FAKE_KEY)
    monkeypatch.setenv("TOGETHER_API_KEY", FAKE_KEY)


def lanes(app):  # type: ignore[no-untyped-def]
    screen = app.main
    return [screen.views[lane] for lane in screen.session.turns[-1].lanes]


async def test_two_reasoning_models_in_compare(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DeepSeek-style reasoning_content beside OpenRouter-style reasoning: both thoughts shown live,
    both folded after; footers name answer TTFT and thinking time; 'faster' says its measure."""
    reasoning_config(write_config, fake_url, monkeypatch)
    app = make_app(compare=("deepseek/r-deepseek-150", "together/r-openrouter-60"))
    async with app.run_test(size=(160, 40)) as pilot:
        await send(pilot, "think first")
        await until(pilot, lambda: bool(app.main.session.turns)
                    and all(v.thinking.full_text for v in lanes(app)))
        # (The mid-thought look, open and live, is the snapshot test_both_thinking: a timed
        # assertion here would race a loaded machine.)
        await answered(pilot)
        for view in lanes(app):
            assert view.thinking.full_text == THOUGHT and not view.thinking.open
            header = str(view.thinking.query_one(".header", Static).render())
            assert header.startswith("▸ thought for") and "6 tok" in header
            assert view.full_text == "Hello, world!"
            footer = str(view.query_one(MetricsBar).render())
            assert "answer " in footer and "thought " in footer and "(6 thinking)" in footer
        footers = [str(v.query_one(MetricsBar).render()) for v in lanes(app)]
        assert sum("⚡ faster (total time)" in f for f in footers) == 1


async def test_f3_cycles_show_hide_collapse_and_is_saved(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reasoning_config(write_config, fake_url, monkeypatch)
    app = make_app(model="deepseek/r-deepseek")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
        [view] = lanes(app)
        assert view.thinking.has_class("-present") and not view.thinking.open
        await pilot.press("f3")
        await until(pilot, lambda: load_settings().get("thinking") == "show")
        assert view.thinking.open
        await pilot.press("f3")
        await until(pilot, lambda: load_settings().get("thinking") == "hide")
        assert not view.thinking.has_class("-present")
        await pilot.press("f3")
        await until(pilot, lambda: load_settings().get("thinking") == "collapse")
        assert view.thinking.has_class("-present") and not view.thinking.open


async def test_reopened_conversation_shows_the_stored_thought_and_figures(write_config, fake_url,  # type: ignore[no-untyped-def]
                                                                         monkeypatch) -> None:
    reasoning_config(write_config, fake_url, monkeypatch)
    app = make_app(model="deepseek/r-deepseek-20")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
        [live] = lanes(app)
        live_footer = str(live.query_one(MetricsBar).render())
    app2 = make_app(resume="last")
    async with app2.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: bool(app2.main.session.turns))
        await pilot.pause(0.2)
        views = list(app2.main.query("MessageView"))
        assert views and views[-1].thinking.full_text == THOUGHT
        footer = str(views[-1].query_one(MetricsBar).render())
        assert footer.split(" · ", 1)[1] == live_footer.split(" · ", 1)[1]  # same figures, reopened
