"""alt+t: how hard the model thinks from the next send — an effort level or a thinking budget,
per lane in a compare, one common setting in a blind compare (naming no model); shown in the
header and the answer's footer, sent as the provider's fields, stored and exported, and counted
in the price of Enter. Against the loopback Anthropic fake and the demo provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Input, Label, OptionList, Static

from llmtui.core.export import conversation_markdown
from llmtui.screens.reasoning_picker import ReasoningPicker
from llmtui.widgets.metrics_bar import MetricsBar
from tests.fakes.anthropic_fake import AnthropicFake, start_anthropic_fake
from tests.screens.helpers import FAKE_KEY, answered, booted, make_app, send, until


@pytest.fixture
def anthropic(write_config, fake_url, monkeypatch) -> Iterator[AnthropicFake]:  # type: ignore[no-untyped-def]
    server, fake = start_anthropic_fake()
    write_config(f'[providers.anthropic]\nbase_url = "{server.url}"\n[network]\nmax_retries = 0\n'
                 f'[providers.deepseek]\nbase_url = "{fake_url}/v1"\n'
                 '[prices."anthropic/thinking"]\ninput = 1000\noutput = 2000\n'
                 '[defaults]\nmax_tokens = 1000\n')
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
    monkeypatch.setenv("DEEPSEEK_API_KEY", FAKE_KEY)
    yield fake
    server.stop()


def picker(app) -> ReasoningPicker:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, ReasoningPicker)
    return screen


def bar(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.main.query_one("#model-bar", Static).render())


def footers(app) -> list[str]:  # type: ignore[no-untyped-def]
    screen = app.main
    return [str(screen.views[lane].query_one(MetricsBar).render()) for lane in screen.session.turns[-1].lanes]


async def test_a_budget_is_checked_sent_shown_stored_and_exported(anthropic: AnthropicFake) -> None:
    app = make_app(model="anthropic/thinking")
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        await pilot.press("alt+t")
        await until(pilot, lambda: isinstance(app.screen, ReasoningPicker))
        shown = picker(app)
        assert "anthropic/thinking" in str(shown.query_one("#reasoning-title", Label).render())
        options = shown.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "default", "off", "low", "medium", "high"]
        budget = shown.query_one("#reasoning-budget", Input)
        budget.focus()
        for typed, problem in (("500", "outside 1024–"), ("lots", "whole number of tokens")):
            budget.value = typed
            await pilot.press("enter")
            await until(pilot, lambda p=problem: p in str(shown.query_one("#reasoning-problem", Label).render()))
            assert app.screen is shown  # still open, nothing lost
            assert budget.value == typed
        budget.value = "8k"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ReasoningPicker))
        assert "think ≤ 8k" in bar(app)
        await send(pilot, "think hard")
        await answered(pilot, timeout=60)
        body = anthropic.bodies[-1]
        assert body["thinking"] == {"type": "enabled", "budget_tokens": 8000}
        assert body["max_tokens"] == 1000 + 8000
        assert "think ≤ 8k" in footers(app)[0]
        store = app.main.runtime.store
        cid = app.main.session.conversation_id
        [stored] = [m for m in store.messages(cid) if m.role == "assistant"]
        assert (stored.reasoning_effort, stored.thinking_budget) == (None, 8000)
        assert "think ≤ 8k" in conversation_markdown(store, cid)


async def test_each_compare_lane_keeps_its_own_setting(anthropic: AnthropicFake) -> None:
    app = make_app(compare=("demo/simulated-reasoner", "anthropic/thinking"))
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        await pilot.press("alt+t")  # lane A is focused: the demo reasoner
        await until(pilot, lambda: isinstance(app.screen, ReasoningPicker))
        assert "lane A: demo/simulated-reasoner" in str(picker(app).query_one("#reasoning-title", Label).render())
        options = picker(app).query_one(OptionList)
        options.highlighted = 1  # off
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ReasoningPicker))
        await pilot.press("f10", "alt+t")  # lane B: Anthropic
        await until(pilot, lambda: isinstance(app.screen, ReasoningPicker))
        assert "lane B: anthropic/thinking" in str(picker(app).query_one("#reasoning-title", Label).render())
        picker(app).query_one(OptionList).highlighted = 5  # high
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ReasoningPicker))
        titles = [str(t.render()) for t in app.main.query(".lane-title").results(Static)]
        assert titles == ["demo/simulated-reasoner · effort: off", "anthropic/thinking · effort: high"]
        await send(pilot, "think")
        await answered(pilot, timeout=60)
        lanes = app.main.session.turns[-1].lanes
        assert lanes[0].stats is not None and lanes[0].stats.reasoning == ""  # off: no thought
        assert anthropic.bodies[-1]["thinking"] == {"type": "enabled", "budget_tokens": 16384}
        a, b = footers(app)
        assert "effort: off" in a and "effort: high" in b


async def test_a_blind_compare_offers_one_common_setting_and_names_no_model(anthropic: AnthropicFake) -> None:
    app = make_app(compare=("deepseek/r-deepseek", "anthropic/thinking"), blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        await pilot.press("alt+t")
        await until(pilot, lambda: isinstance(app.screen, ReasoningPicker))
        shown = picker(app)
        title = str(shown.query_one("#reasoning-title", Label).render())
        assert "both lanes" in title and "deepseek" not in title and "anthropic" not in title
        options = shown.query_one(OptionList)
        # The same list whoever sits in the lanes: no provider's own levels, no budget field.
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "default", "low", "medium", "high"]
        assert not shown.query("#reasoning-budget")
        options.highlighted = 3  # high
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ReasoningPicker))
        titles = [str(t.render()) for t in app.main.query(".lane-title").results(Static)]
        assert titles == ["Model A · effort: high", "Model B · effort: high"]
        await send(pilot, "think")
        await answered(pilot, timeout=60)
        turn = app.main.session.turns[-1]
        assert [(e.reasoning_effort, e.thinking_budget) for e in turn.exchanges] == [("high", None)] * 2
        for footer in footers(app):  # before the vote: no model names, no per-lane setting
            assert "deepseek" not in footer and "anthropic" not in footer and "effort" not in footer


async def test_a_larger_thinking_budget_raises_the_price_of_enter(anthropic: AnthropicFake) -> None:
    app = make_app(model="anthropic/thinking")
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        await until(pilot, lambda: bool(app.main.query("#send-price")))
        line = app.main.query_one("#send-price", Static)
        await pilot.press(*"hi")
        # max_tokens 1000 at $2000/1M output ($2) and the prompt's tokens, bounded from above
        await until(pilot, lambda: "at most $2.01" in str(line.render()))
        await pilot.press("alt+t")
        await until(pilot, lambda: isinstance(app.screen, ReasoningPicker))
        budget = picker(app).query_one("#reasoning-budget", Input)
        budget.focus()
        budget.value = "8000"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ReasoningPicker))
        # 1000 answer + 8000 thinking tokens of output: $18 and the same prompt bound
        await until(pilot, lambda: "at most $18.01" in str(line.render()))

