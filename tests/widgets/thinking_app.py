"""A bare app with two answer lanes side by side, fed by hand: the thinking block on its own."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal

from llmtui.widgets.message_view import MessageView
from llmtui.widgets.metrics_bar import Metrics
from llmtui.widgets.thinking_mode import Mode

THOUGHT_A = ("The user wants closures explained. A closure is a function plus the variables it "
             "captured from where it was defined. I should give a short example in Python, then "
             "say why it matters: callbacks, factories, decorators. ")
THOUGHT_B = ("Closures. Plan: definition first, then one example, then the pitfall with late "
             "binding in loops. Keep it short. ")


class LanesApp(App[None]):
    CSS = "Horizontal > MessageView { width: 1fr; margin-right: 1; }"

    def __init__(self, mode: Mode = "collapse") -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield MessageView("deepseek/deepseek-reasoner", reasoning_mode=self.mode, id="a")
            yield MessageView("anthropic/claude-sonnet-4-5", reasoning_mode=self.mode, id="b")

    @property
    def views(self) -> list[MessageView]:
        return list(self.query(MessageView))

    async def think(self, answer_a: str = "", answer_b: str = "") -> None:
        """Both lanes think; then each answers if given text."""
        a, b = self.views
        for view, thought in ((a, THOUGHT_A * 3), (b, THOUGHT_B * 2)):
            view.start()
            for word in thought.split(" "):
                view.feed_reasoning(word + " ")
            view.show_metrics(Metrics(model=view._title, ttft_s=0.4, masked_timings=True))
        for view, answer in ((a, answer_a), (b, answer_b)):
            if answer:
                view.feed(answer)
        for view in (a, b):
            await view.tick()
