"""Before Enter, the price of Enter: the line under the prompt (from budget.preview, the
function the limits use) and the cache saving in the meter, against the loopback fake."""

from __future__ import annotations

from textual.widgets import Static

from llmtui.widgets.cost_meter import CostMeter
from tests.screens.helpers import answered, groq_config, make_app, send, until

PRICED = ('\n[prices."groq/priced"]\ninput = 1000\noutput = 2000\n'
          '[prices."groq/cached"]\ninput = 1000\noutput = 2000\ncached_input = 100\n')


async def test_the_price_of_enter_and_what_the_limits_leave(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch,
                PRICED + "\n[budget]\nper_request_usd = 0.5\ndaily_usd = 1\n")
    app = make_app(model="groq/priced")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: bool(app.main.query("#send-price")))
        line = app.main.query_one("#send-price", Static)
        assert not line.display  # nothing typed: nothing to say
        await pilot.press(*"hi", "space", *"there")
        # "hi there" is ~2 tokens at $1000/1M; the worst case is the per-request limit's $0.50
        expected = "Enter ~$0.00200, at most $0.5000 · $1.00 left today"
        await until(pilot, lambda: str(line.render()) == expected)
        await pilot.press("enter")
        await answered(pilot)
        await until(pilot, lambda: not line.display)  # the prompt was cleared


async def test_free_models_without_limits_say_nothing(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: bool(app.main.query("#send-price")))
        await pilot.press(*"hello")
        await pilot.pause(0.6)
        assert not app.main.query_one("#send-price", Static).display


async def test_the_cache_saving_per_answer_and_conversation(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch, PRICED)
    app = make_app(model="groq/cached")
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
        # the fake's `cached` scenario: 1000 prompt tokens, 800 of them read from the cache,
        # at $100 instead of $1000 per 1M: $0.72 saved
        transcript = app.main.query_one("#transcript")
        await until(pilot, lambda: "cache saved $0.7200" in str(
            [str(w.render()) for w in transcript.query("MetricsBar")]))
        meter = app.main.query_one(CostMeter)
        await until(pilot, lambda: "cache saved $0.7200 in this conversation"
                    in str(meter.query_one("#note", Static).render()))
