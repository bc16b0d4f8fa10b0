"""Baseline for streaming paint: a bare Textual client feeding Markdown.get_stream().

Usage: bare_stream.py URL [URL2]  — one column per server (OpenAI-compatible, /v1).
"""

import json
import sys

import httpx
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Markdown


class BareStream(App[None]):
    CSS = "Horizontal { height: 1fr; } VerticalScroll { width: 1fr; scrollbar-gutter: stable; }"

    def __init__(self, urls: list[str]) -> None:
        super().__init__()
        self.urls = urls

    def compose(self) -> ComposeResult:
        with Horizontal():
            for i, _ in enumerate(self.urls):
                with VerticalScroll(id=f"col{i}"):
                    yield Markdown(id=f"md{i}")

    def on_mount(self) -> None:
        for i, url in enumerate(self.urls):
            self.stream(i, url)

    @work()
    async def stream(self, i: int, url: str) -> None:
        md = self.query_one(f"#md{i}", Markdown)
        scroll = self.query_one(f"#col{i}", VerticalScroll)
        # Follow the end with a 30 fps timer: VerticalScroll.anchor() leaves the pane blank
        # in a real terminal with Textual 8.2.8 (seen in tmux), which would not be a fair baseline.
        self.set_interval(1 / 30, lambda: scroll.scroll_end(animate=False))
        stream = Markdown.get_stream(md)
        body = {"model": "bench", "stream": True, "messages": [{"role": "user", "content": "go"}]}
        async with httpx.AsyncClient(timeout=None) as client:
            async with client.stream("POST", url + "/chat/completions", json=body) as r:
                async for line in r.aiter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        for c in json.loads(line[6:]).get("choices") or ():
                            text = c["delta"].get("content")
                            if text:
                                await stream.write(text)
        await stream.stop()


if __name__ == "__main__":
    BareStream(sys.argv[1:]).run()
