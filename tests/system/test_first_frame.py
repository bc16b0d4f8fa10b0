"""What `llmtui` has done by the time its first frame is drawn (issue 19, start-up).

`llmtui` runs in a subprocess, headless at 160x48, through the real command line
(`cli.main` -> `run_tui` -> `LlmApp`); a hook on Textual's `App._display`, set when the program
imports `textual.app` (bench/after_import.py: not before, so the import order is the
program's own), records the state at the main screen's first whole frame and quits. Counts, not times: modules loaded,
widgets composed, frames Textual dropped, full collections run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from llmtui.widgets.transcript import FIRST_SHOWN

PROBE = r"""
import gc, json, os, sys
out, text, args = sys.argv[1], sys.argv[3], sys.argv[4:]
dropped = []

def patch(App):
    inner_display, inner_run = App._display, App.run

    def _display(self, screen, renderable):
        inner_display(self, screen, renderable)
        if type(screen).__name__ != "MainScreen" or not hasattr(renderable, "render_segments"):
            return
        if self._batch_count:  # Textual drops a frame drawn inside a batch update
            dropped.append(1)
            return
        if getattr(self, "_probed", False):
            return
        if text and text not in renderable.render_segments(self.console):
            return  # the first frame that shows it
        if not text and type(renderable).__name__ != "LayoutUpdate":
            return  # the first whole frame
        self._probed = True
        with open(out, "w") as f:
            json.dump({"modules": sorted(sys.modules), "dropped": len(dropped),
                       "widgets": [type(w).__name__ for w in screen.walk_children()],
                       "full_collections": gc.get_stats()[2]["collections"],
                       "frozen": gc.get_freeze_count()}, f)
        self.exit()

    def run(self, **kwargs):
        return inner_run(self, headless=True, size=(160, 48))

    App._display, App.run = _display, run

sys.path.append(sys.argv[2])
from after_import import after_import
after_import("textual.app", lambda module: patch(module.App))
import llmtui.cli.tui
llmtui.cli.tui._no_terminal = lambda: ""  # headless: no terminal needed
if os.environ.get("FIRST_ANSWER_S"):  # a loaded machine must not decide the order tested
    import llmtui.screens.main
    llmtui.screens.main.FIRST_ANSWER_S = float(os.environ["FIRST_ANSWER_S"])
from llmtui.cli import main
sys.argv = ["llmtui", *args]
main()
"""

BENCH = Path(__file__).resolve().parents[2] / "bench"
NOT_BEFORE_FIRST_FRAME = (
    "httpx", "keyring", "genai_prices", "markdown_it", "rich.markdown", "sqlite3",
    "llmtui.core.store", "llmtui.core.exchange", "llmtui.providers.openai_compat",
    # what the first frame does not show: the side panes, the footer, the attach dialog, the
    # sampling parameters' notes (with the providers' sampling rules)
    "llmtui.widgets.model_catalog", "llmtui.widgets.cost_meter", "llmtui.widgets.app_footer",
    "textual.widgets._footer", "textual.widgets._sparkline", "llmtui.screens.attach_file",
    "llmtui.present.params", "llmtui.providers.sampling", "html",
    # nor an answer's view (its Markdown blocks, thinking block, stream tail, metrics bar)
    "llmtui.widgets.message_view", "llmtui.widgets.thinking_block", "llmtui.widgets.metrics_bar",
)


def first_frame(tmp_path: Path, text: str = "", *args: str,
                env: dict[str, str] | None = None) -> dict[str, object]:
    """The state at the first whole frame, or at the first frame that shows `text`."""
    out = tmp_path / "first_frame.json"
    result = subprocess.run([sys.executable, "-c", PROBE, str(out), str(BENCH), text, *args],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})})
    assert out.exists(), result.stdout + result.stderr
    state: dict[str, object] = json.loads(out.read_text())
    return state


def test_the_first_frame_comes_before_the_network_the_store_and_the_side_panes(tmp_path: Path) -> None:
    state = first_frame(tmp_path)
    loaded = [m for m in NOT_BEFORE_FIRST_FRAME if m in state["modules"]]  # type: ignore[operator]
    assert loaded == []
    # The catalog, the cost meter and the footer mount just after it: the first frame styles
    # and lays out only the panes, the transcript, the model bar and the prompt (13 widgets).
    widgets = state["widgets"]
    assert not {"ModelCatalog", "CostMeter", "AppFooter"} & set(widgets)  # type: ignore[arg-type]
    assert len(widgets) <= 13, widgets  # type: ignore[arg-type]


def test_the_first_frame_drawn_is_the_one_shown(tmp_path: Path) -> None:
    # The main screen is the app's default screen: pushed from on_mount it laid out and
    # rendered a first frame inside the app's start-up batch, which Textual dropped.
    assert first_frame(tmp_path)["dropped"] == 0


def test_start_up_runs_no_full_collection(tmp_path: Path) -> None:
    # What start-up builds lives as long as the app: frozen, not walked by the collector.
    state = first_frame(tmp_path)
    assert state["full_collections"] == 0
    assert int(state["frozen"]) > 10_000  # type: ignore[call-overload]


def test_a_reopened_conversation_shows_before_the_side_panes_and_the_network(
        tmp_path: Path) -> None:
    from llmtui.core.store import Store

    store = Store()
    conversation = store.new_conversation(["demo/simulated"])
    for i in range(30):
        asked = store.add_message(conversation, "user", f"question {i}")
        store.add_message(conversation, "assistant", f"answer {i} **done**", model="demo/simulated",
                          parent_id=asked)
    store.close()
    state = first_frame(tmp_path, "answer 29", "--resume", str(conversation))
    # What the conversation does not need waits until it shows: the catalog (key lookups,
    # price data), the meter, the footer, the HTTP client; and of its first page of turns,
    # only the newest (the rest are mounted above them just after).
    assert not {"ModelCatalog", "CostMeter", "AppFooter"} & set(state["widgets"])  # type: ignore[arg-type]
    assert state["widgets"].count("Turn") == FIRST_SHOWN  # type: ignore[attr-defined]
    loaded = [m for m in ("httpx", "keyring", "genai_prices", "llmtui.core.exchange")
              if m in state["modules"]]  # type: ignore[operator]
    assert loaded == []


def test_the_model_picked_shows_before_the_side_panes(tmp_path: Path) -> None:
    state = first_frame(tmp_path, " demo/simulated", "-m", "demo/simulated")  # in the model bar
    assert not {"ModelCatalog", "CostMeter", "AppFooter"} & set(state["widgets"])  # type: ignore[arg-type]
    # Nor Markdown (~30 ms of imports): a new conversation has none to show yet, and a prompt
    # given at launch shows its first words as plain text.
    loaded = [m for m in ("rich.markdown", "markdown_it", "httpx", "keyring", "genai_prices")
              if m in state["modules"]]  # type: ignore[operator]
    assert loaded == []


def test_a_prompt_given_at_launch_shows_its_first_tokens_before_the_side_panes(tmp_path: Path) -> None:
    state = first_frame(tmp_path, "simulated answer from", "-m", "demo/simulated-fast",
                        "a launch prompt", env={"FIRST_ANSWER_S": "60"})
    assert not {"ModelCatalog", "CostMeter", "AppFooter"} & set(state["widgets"])  # type: ignore[arg-type]
    # A send checks what the model takes (catalog.vision) and its price (catalog.cache); the
    # model lists and the key lookups behind them are the catalog's, which loads after.
    lists = {"llmtui.core.catalog.build", "llmtui.core.catalog.discover", "llmtui.core.keys"}
    assert not lists & set(state["modules"])  # type: ignore[arg-type]


def test_the_side_panes_do_not_wait_for_the_end_of_a_long_launch_answer(tmp_path: Path) -> None:
    # demo/simulated streams for seconds: the catalog, meter and footer come once its first
    # tokens are drawn (before FIRST_ANSWER_S, set long here), not after its last ones.
    state = first_frame(tmp_path, "That is all the demo knows", "-m", "demo/simulated",
                        "a launch prompt", env={"FIRST_ANSWER_S": "60"})
    assert {"ModelCatalog", "CostMeter", "AppFooter"} <= set(state["widgets"])  # type: ignore[arg-type]
