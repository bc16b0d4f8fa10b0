"""An answer that was all thinking says so under the lane (tester item 7: a <think> never
closed left an empty answer and no word about it). Against the DeepSeek-style fake's
r-unclosed scenario."""

from __future__ import annotations

from textual.widgets import Static

from llmtui.core.answer_stats import ALL_THOUGHT
from tests.fakes.anthropic_fake import AnthropicFake
from tests.screens.helpers import answered, booted, make_app, send
from tests.screens.test_reasoning_picker import anthropic  # noqa: F401 - the fixture


async def test_an_answer_that_is_all_thinking_says_so(anthropic: AnthropicFake) -> None:  # noqa: F811
    app = make_app(model="deepseek/r-unclosed")
    async with app.run_test(size=(120, 40)) as pilot:
        await booted(pilot)
        await send(pilot, "think")
        await answered(pilot, timeout=60)
        await pilot.pause()
        notices = [str(n.render()) for n in app.main.query(".notice").results(Static)]
        assert any(ALL_THOUGHT in n for n in notices), notices
        stats = app.main.session.turns[-1].exchanges[0].stats
        assert stats.reasoning and not stats.text
