"""A blind round's price of Enter is one total, and a limit's cap is the same on both lanes.

The tester's repro: the line under the prompt read `acme/pricey ~$0.000240, at most $0.00990
· zeta/fast ...` before the vote, and under a per-request limit the pricey lane was sent
max_tokens 72 and the cheap one 16384 (a cut-off answer hinted at its model).
"""

from __future__ import annotations

from textual.widgets import Static

from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer
from tests.screens.helpers import answered, groq_config, make_app, until

ALPHA, BETA = "groq/alpha", "groq/beta"
LIMITED = ('\n[prices."groq/alpha"]\ninput = 0.59\noutput = 0.79\n'
           '[prices."groq/beta"]\ninput = 15\noutput = 75\n'
           "\n[budget]\nper_request_usd = 0.01\n")
PROMPT = "tell me a story about a lighthouse"


async def test_blind_price_line_is_a_total_and_both_lanes_share_the_cap(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch,
        openai_server: tuple[FakeServer, OpenAIFake]) -> None:
    groq_config(write_config, fake_url, monkeypatch, LIMITED)
    app = make_app(compare=(ALPHA, BETA), blind=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: bool(app.main.query("#send-price")))
        line = app.main.query_one("#send-price", Static)
        await pilot.press(*PROMPT)
        await until(pilot, lambda: "Enter" in str(line.render()))
        said = str(line.render())
        for tell in ("alpha", "beta", "groq", "Groq"):
            assert tell not in said, said
        assert said.startswith("Enter (both answers) ~$") and said.count("$") == 2, said
        await pilot.press("enter")
        await answered(pilot)
    sent = [r.json() for r in openai_server[0].requests
            if r.path.endswith("/chat/completions") and PROMPT in r.body.decode()]
    caps = {body["model"]: body.get("max_tokens") for body in sent}
    assert set(caps) == {"alpha", "beta"}
    # beta at $75/1M output fits ~133 tokens under $0.01; alpha is sent the same, not 12658
    assert caps["alpha"] == caps["beta"] and caps["beta"] is not None and caps["beta"] < 200


async def test_a_plain_compare_still_prices_each_model(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch, LIMITED)
    app = make_app(compare=(ALPHA, BETA))
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: bool(app.main.query("#send-price")))
        line = app.main.query_one("#send-price", Static)
        await pilot.press(*"hello")
        await until(pilot, lambda: ALPHA in str(line.render()))
        assert BETA in str(line.render())
