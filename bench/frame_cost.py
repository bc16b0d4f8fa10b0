#!/usr/bin/env python3
"""CPU per streamed frame, on the real main screen, without a network or a terminal.

Wall-clock lag figures need a quiet machine; this measures what a frame costs in CPU time,
which a loaded machine changes far less. It opens llmtui headless at 200x50 in compare mode
with N lanes, then plays FRAMES frames: each lane gets one frame's worth of Markdown (RATE
tokens/s at 15 frames/s, shaped as bench/tools/stream_server.py shapes it), the lanes tick
as the main screen's frame tick does, and the screen lays out and paints. Reported per
window of frames (early / late in the answer, to show whether a frame's cost grows with
the answer): CPU ms per frame for Textual's layout+paint and for llmtui's tick, and the
widget lines rendered per frame.

Usage: python bench/frame_cost.py [--lanes 2] [--rate 2000] [--frames 120]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

FPS = 15


# (every, at, text): token i is `text` when i % every == at (first match), else a word.
SHAPES = (
    (800, 0, "\n\n## Section {n}\n\n"),
    (500, 250, "\n\n```python\ndef f(x):\n    return x * 2\n```\n\n"),
    (300, 150, "\n\n- first point\n- second **bold** point\n- third `code` point\n\n"),
    (60, 0, "\n\n"),
)


def tokens(n_from: int, n_to: int) -> Iterator[str]:
    """stream_server.py --markdown's tokens n_from..n_to."""
    for i in range(n_from, n_to):
        yield next((text.format(n=i // every) for every, at, text in SHAPES if i % every == at),
                   f"w{i} ")


class Meter:
    """Thread CPU time and calls of a few Textual and llmtui methods (patched in place)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._timing = False  # a timed method called inside another is counted once

    def patch(self, cls: type, name: str, key: str, timed: bool = True) -> None:
        inner = getattr(cls, name)
        meter = self

        def wrapper(*args: object, **kwargs: object) -> object:
            meter.calls[key] = meter.calls.get(key, 0) + 1
            if not timed or meter._timing:
                return inner(*args, **kwargs)
            meter._timing = True
            t0 = time.thread_time()
            try:
                return inner(*args, **kwargs)
            finally:
                meter.cpu[key] = meter.cpu.get(key, 0.0) + time.thread_time() - t0
                meter._timing = False

        setattr(cls, name, wrapper)

    def snapshot(self) -> tuple[dict[str, float], dict[str, int]]:
        return dict(self.cpu), dict(self.calls)


async def play(lanes: int, rate: float, frames: int, windows: int) -> list[dict[str, float]]:
    from textual._styles_cache import StylesCache
    from textual.screen import Screen

    from llmtui.app import LlmApp
    from llmtui.core.config import load_config
    from llmtui.widgets.compare_lanes import CompareLanes

    meter = Meter()
    meter.patch(Screen, "_refresh_layout", "layout")
    meter.patch(Screen, "_compositor_refresh", "paint")
    meter.patch(Screen, "_on_timer_update", "updates", timed=False)
    meter.patch(StylesCache, "render_line", "lines", timed=False)
    models = [f"bench{k}/bench" for k in range(lanes)]
    app = LlmApp(load_config(), compare=models if lanes > 1 else None,
                 model=models[0] if lanes == 1 else None)
    per_token = max(1, round(rate / FPS))
    results: list[dict[str, float]] = []
    async with app.run_test(size=(200, 50)) as pilot:
        for _ in range(500):
            await pilot.pause(0.02)
            if app.main.booted.is_set():
                break
        screen = app.main
        if lanes > 1:
            turn = await screen.query_one(CompareLanes).add_turn("go", screen.session.models)
            views = turn.views
        else:
            views = (await screen.query_one("#transcript").add_turn("go", models)).views  # type: ignore[attr-defined]
        for view in views:
            view.start()
        await pilot.pause()
        window = max(1, frames // windows)
        tick_cpu = 0.0
        start = meter.snapshot()
        for frame in range(frames):
            piece = "".join(tokens(frame * per_token, (frame + 1) * per_token))
            for view in views:
                view.feed(piece)
            t0 = time.thread_time()
            with app.batch_update():
                for view in views:
                    await view.tick()
            tick_cpu += time.thread_time() - t0
            await pilot.pause()  # messages handled, then the screen lays out and paints
            if (frame + 1) % window == 0:
                end = meter.snapshot()
                results.append({
                    "frames": frame + 1,
                    "chars": sum(len(v.full_text) for v in views) / len(views),
                    "paint_ms": 1000 * sum(end[0].get(k, 0) - start[0].get(k, 0)
                                           for k in ("layout", "paint")) / window,
                    "tick_ms": 1000 * tick_cpu / window,
                    "lines": (end[1].get("lines", 0) - start[1].get("lines", 0)) / window,
                    "updates": (end[1].get("paint", 0) - start[1].get("paint", 0)) / window,
                })
                start, tick_cpu = end, 0.0
    return results


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lanes", type=int, default=2)
    ap.add_argument("--rate", type=float, default=2000, help="tokens/s per lane")
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--windows", type=int, default=4)
    a = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="llmtui-frames-"))
    config = home / "config.toml"
    config.write_text("".join(
        f'[providers.bench{k}]\nkind = "openai"\nbase_url = "http://127.0.0.1:9/v1"\n'
        f'models = ["bench"]\n\n' for k in range(a.lanes)) + "[network]\nmax_retries = 0\n")
    os.environ.update(LLMTUI_CONFIG=str(config), XDG_CONFIG_HOME=str(home / "config"),
                      XDG_DATA_HOME=str(home / "data"), HOME=str(home),
                      PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    rows = asyncio.run(play(a.lanes, a.rate, a.frames, a.windows))
    print(f"{a.lanes} lanes, {a.rate:.0f} tok/s each at {FPS} frames/s, 200x50:")
    for row in rows:
        print(f"  frames to {row['frames']:4.0f} (~{row['chars']:7.0f} chars/lane): "
              f"layout+paint {row['paint_ms']:6.2f} ms/frame, tick {row['tick_ms']:5.2f} ms/frame, "
              f"{row['lines']:5.0f} widget lines rendered/frame, {row['updates']:.1f} paints/frame")
    total = statistics.mean(r["paint_ms"] + r["tick_ms"] for r in rows)
    print(f"  mean CPU per frame {total:.2f} ms = {total * FPS / 10:.0f}% of a core at {FPS} fps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
