"""SVG snapshots of the main screen: start-up, compare mid-stream and finished, an error turn.

Deterministic: fixed size and theme, timing figures masked (`deterministic=True`),
the demo provider's fixed text and the loopback fake's scripted scenarios.
"""

from __future__ import annotations

import pytest

from llmtui.core.starter import local_model_available
from tests.screens.helpers import answered, booted, groq_config, make_app, send, until

SIZE = (120, 36)

# The catalog lists the local model, and with no keys the app opens on it, when the [local]
# extra is installed, as `make test` does; the snapshots were recorded so. Where llama.cpp
# could not be built, the screens differ (demo default, no local row) and these skip.
pytestmark = pytest.mark.skipif(not local_model_available(),
                                reason="snapshots recorded with the [local] extra installed")


async def _started(pilot) -> None:  # type: ignore[no-untyped-def]
    await booted(pilot)
    await pilot.pause(0.2)


class TestMainScreen:
    def test_first_screen_without_keys(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """You should see three panes: the model catalog on the left (demo and local models
        first, providers without a key marked "no key"), the transcript in the centre with the
        one-line hint "No API key found: chatting with local/smollm2 (runs on this machine).
        Press ^k to add a key, or ^f to pick a model.", the prompt box below it, the cost meter
        on the right ($0 everywhere, "no answers yet"), and the footer with key hints."""
        app = make_app()
        assert snap_compare(app, terminal_size=SIZE, run_before=_started)


class TestCompare:
    def test_compare_finished(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """You should see compare mode on demo/simulated (A) and demo/simulated-fast (B):
        two panes (each scrolled to its own end) each ending with the demo's table and
        "That is all the demo knows", each footed with model · tokens · $0 · masked timings;
        B carries the "⚡ faster" mark, A does not; no "cheaper" mark (both free)."""
        app = make_app(compare=("demo/simulated", "demo/simulated-fast"))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "explain closures")
            await answered(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_compare_mid_stream(self, snap_compare, write_config, fake_url,  # type: ignore[no-untyped-def]
                                monkeypatch: pytest.MonkeyPatch) -> None:
        """You should see two columns, both groq/stall, each showing "Partial answer" still
        streaming (highlighted left border, metrics without a final state), the prompt
        "compare this" above them."""
        groq_config(write_config, fake_url, monkeypatch)
        app = make_app(compare=("groq/stall", "groq/stall"))

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "compare this")
            screen = pilot.app.main
            await until(pilot, lambda: bool(screen.session.turns) and all(
                app.main.views[lane].full_text == "Partial answer" for lane in screen.session.turns[-1].lanes))
            await pilot.pause(0.3)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


class TestErrors:
    def test_error_turn(self, snap_compare, write_config, fake_url,  # type: ignore[no-untyped-def]
                        monkeypatch: pytest.MonkeyPatch) -> None:
        """You should see one turn whose answer failed: a red left border, the notice
        "⚠ auth: Groq: HTTP 401: Incorrect API key provided … (key from env GROQ_API_KEY)" and the
        hint "→ press ctrl+k to add or replace the key", and the metrics line ending in "error"."""
        groq_config(write_config, fake_url, monkeypatch)
        app = make_app(model="groq/bad-key")

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await send(pilot, "hello?")
            await answered(pilot)

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
