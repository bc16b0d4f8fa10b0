"""A blind round's thinking must not tell the sides apart before the vote (tester item 4): only
Claude redacts part of a thought, and only some providers report thinking tokens exactly, so
before the vote no lane says "redacted" and every thinking count reads as an estimate ("~");
after the vote both show as they are. Against the loopback Anthropic fake (a redacted_thinking
block) and the DeepSeek-style fake (reasoning_tokens in usage)."""

from __future__ import annotations

import re

from textual.widgets import Static

from llmtui.widgets.metrics_bar import MetricsBar
from llmtui.widgets.thinking_block import ThinkingBlock
from tests.fakes.anthropic_fake import AnthropicFake
from tests.screens.helpers import answered, booted, make_app, send, until
from tests.screens.test_reasoning_picker import anthropic  # noqa: F401 - the fixture

BOTH = ("deepseek/r-deepseek", "anthropic/thinking")


def shown(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Each lane's thinking header and footer, as drawn."""
    screen = app.main
    lines = []
    for lane in screen.session.turns[-1].lanes:
        view = screen.views[lane]
        header = view.query_one(ThinkingBlock).query_one(".header", Static)
        lines.append(f"{header.render()} | {view.query_one(MetricsBar).render()}")
    return lines


def counts(line: str) -> list[str]:
    """The thinking-token counts in a line, with their '~' if any."""
    return re.findall(r"(~?[\d,]+) (?:tok \||thinking\))", line)


async def test_thinking_names_no_side_before_the_vote(anthropic: AnthropicFake) -> None:  # noqa: F811
    app = make_app(compare=BOTH, blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await booted(pilot)
        await send(pilot, "think")
        await answered(pilot, timeout=60)
        turn = app.main.session.turns[-1]
        # The lanes do differ: one thought partly redacted, one count reported exactly.
        assert any(lane.stats is not None and lane.stats.reasoning_redacted for lane in turn.lanes)
        before = shown(app)
        assert all("redacted" not in line for line in before), before
        found = [c for line in before for c in counts(line)]
        assert found and all(c.startswith("~") for c in found), before
        await pilot.press("f5")
        await until(pilot, lambda: turn.voted)
        await until(pilot, lambda: any("redacted" in line for line in shown(app)))
        after = [c for line in shown(app) for c in counts(line)]
        assert any(not c.startswith("~") for c in after), shown(app)


async def test_a_reopened_answer_still_says_its_thinking_was_redacted(
        anthropic: AnthropicFake) -> None:  # noqa: F811
    """The store keeps that the provider redacted part of a thought (schema v13): reopened from
    history, the thinking block says so as it did live."""
    app = make_app(model="anthropic/thinking")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await booted(pilot)
        await send(pilot, "think")
        await answered(pilot, timeout=60)
        conversation = screen.session.conversation_id
        assert conversation is not None

        def header() -> str:
            return str(app.main.query_one(ThinkingBlock).query_one(".header", Static).render())

        assert "redacted" in header()
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not app.main.query(ThinkingBlock))
        assert await app.main.open_conversation(conversation)
        await until(pilot, lambda: bool(app.main.query(ThinkingBlock)))
        assert "redacted" in header(), header()
