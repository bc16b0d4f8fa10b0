"""The streaming view: block splitting, sanitising, retries shown in the turn."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmtui.widgets.growing_text import finished_prefix
from tests.screens.helpers import answered, groq_config, make_app, record_notices, send, until


def test_finished_prefix_stops_at_blank_lines_outside_fences() -> None:
    text = "# Title\n\npara one\nstill one\n\n```py\nx = 1\n\ny = 2\n```\nopen para"
    split, fence = finished_prefix(text)
    assert text[:split].endswith("```\n")
    assert text[split:] == "open para"
    assert fence is False


def test_finished_prefix_inside_an_open_fence_commits_nothing_after_it() -> None:
    text = "intro\n\n```\ncode\n\nmore code\n"
    split, fence = finished_prefix(text)
    assert text[:split] == "intro\n\n"
    assert fence is False  # the split point itself is outside the fence


def test_a_single_long_paragraph_is_never_split() -> None:
    text = " ".join(f"w{i}" for i in range(5000))
    assert finished_prefix(text) == (0, False)


@given(st.text(alphabet="ab `\n#-", max_size=200))
def test_prefix_is_a_boundary_and_idempotent(text: str) -> None:
    split, _ = finished_prefix(text)
    assert 0 <= split <= len(text)
    assert split == 0 or text[:split].endswith("\n")
    # what is left never contains a finished block boundary outside a fence again
    again, _ = finished_prefix(text[:split])
    assert again == split


async def test_terminal_escapes_from_a_model_are_made_visible(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/escapes")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        text = app.main.views[screen.session.turns[-1].lanes[0]].full_text
        assert "\x1b" not in text and "\x07" not in text
        assert "␛" in text


async def test_a_retry_wait_shows_in_the_turn(write_config, fake_url, openai_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    openai_server[1].counts.pop("429-once", None)  # the session's fake counts per model name
    groq_config(write_config, fake_url, monkeypatch)
    write_config(f'[providers.groq]\nbase_url = "{fake_url}/openai/v1"\n\n[network]\nmax_retries = 1\n')
    app = make_app(model="groq/429-once")
    seen = record_notices(monkeypatch)
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = app.main

        def retry_shown() -> bool:
            return any("retrying in" in s for s in seen)  # shown for the 0.2 s wait

        await until(pilot, retry_shown, timeout=10)
        await answered(pilot)
        lane = screen.session.turns[-1].lanes[0]
        assert lane.state == "done"
        assert app.main.views[lane].full_text == "Hello, world!"
