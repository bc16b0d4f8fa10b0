"""Pilot tests of the main screen against the demo provider and the loopback fake."""

from __future__ import annotations

import subprocess
import sys

import pytest
from textual.widgets import Button

from llmtui.core.config import Config
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.widgets.cost_meter import CostMeter
from llmtui.widgets.message_view import MessageView
from llmtui.widgets.transcript import FIRST_PAGE, PAGE, Transcript, Turn
from tests.screens.helpers import answered, booted, groq_config, make_app, send, until


def test_app_module_does_not_import_network_or_keyring() -> None:
    code = ("import sys, llmtui.app; bad = [m for m in ('httpx', 'keyring', 'genai_prices') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


async def test_send_streams_markdown_and_stores_the_turn() -> None:
    app = make_app(model="demo/simulated-fast")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "tell me about monads")
        screen = await answered(pilot)
        view = screen.query_one(MessageView)
        assert "About: tell me about monads" in view.full_text
        assert screen.session.turns[-1].lanes[0].state == "done"
        # the finished answer was rendered as Markdown blocks: a heading, a fence, a table
        from rich.markdown import Markdown as RichMarkdown
        from textual.widgets import Static

        blocks = [w.content.inner for w in view.markdown.query_children(Static)]  # type: ignore[union-attr]
        assert blocks and all(isinstance(b, RichMarkdown) for b in blocks)
        kinds = {token.type for block in blocks for token in block.parsed}
        assert {"heading_open", "fence", "table_open"} <= kinds
        assert "".join(b.markup for b in blocks).replace("\n", "") in view.full_text.replace("\n", "")
        conversation_id = screen.session.conversation_id
        assert conversation_id is not None
    store = Store()
    messages = store.messages(conversation_id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].parent_id == messages[0].id
    assert messages[1].status == "done"
    assert messages[1].content == view.full_text


async def test_default_model_without_keys_is_offline_with_a_hint() -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await booted(pilot)
        assert screen.session.models[0] in ("demo/simulated", "local/smollm2")
        hint = screen.query_one(Transcript).query_one(".hint")
        assert "Press ^k to add a key, or ^f to pick a model." in str(hint.render())


async def test_the_no_key_hint_names_a_way_to_pick_a_model_that_works_when_narrow(
        write_config) -> None:  # type: ignore[no-untyped-def]
    """At 80 columns the catalog is hidden: the hint names the key (as [keymap] set it) that
    opens the model picker there, not "the left"."""
    write_config('[keymap]\n"chat.find_model" = "f11"\n')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await booted(pilot)
        hint = str(screen.query_one(Transcript).query_one(".hint").render())
        assert "or f11 to pick a model." in hint and "left" not in hint
        await pilot.press("f11")
        await pilot.pause()
        assert type(app.screen).__name__ == "ModelPickerScreen"


async def test_fake_provider_stream_with_usage(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/slow-drip")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        lane = screen.session.turns[-1].lanes[0]
        assert app.main.views[lane].full_text == "Hello, world!"
        assert lane.stats is not None and not lane.stats.usage_estimated
        assert lane.stats.output_tokens == 4
        catalog = [e.ref for e in app.catalog_entries]
        assert "groq/fake-model" in catalog  # discovered from the provider's /models


async def test_escape_cancels_and_keeps_text_marked_interrupted(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model="groq/drip-400")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "count")
        screen = app.main
        await until(pilot, lambda: bool(screen.session.turns) and len(app.main.views[screen.session.turns[-1].lanes[0]].full_text) > 20)
        await pilot.press("escape")
        await answered(pilot)
        lane = screen.session.turns[-1].lanes[0]
        assert lane.state == "interrupted"
        assert app.main.views[lane].has_class("-interrupted")
        assert "interrupted" in str(app.main.views[lane].query_one(".notice").render())
        text = app.main.views[lane].full_text
        assert text.startswith("w0 w1 ")
        assert "w399" not in text
        conversation_id = screen.session.conversation_id
    answer = Store().messages(conversation_id)[-1]  # type: ignore[arg-type]
    assert answer.status == "interrupted"
    assert answer.content.startswith(text[:20])


@pytest.mark.parametrize(("model", "expected"), [
    ("groq/bad-key", "Incorrect API key provided"),
    ("groq/500", "server had an error"),
    ("groq/drop", "Partial answer"),
])
async def test_errors_show_inline_never_crash(  # type: ignore[no-untyped-def]
        write_config, fake_url, monkeypatch, model: str, expected: str) -> None:
    groq_config(write_config, fake_url, monkeypatch)
    app = make_app(model=model)
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        view = app.main.views[screen.session.turns[-1].lanes[0]]
        notice = str(view.query_one(".notice").render())
        assert view.has_class("-failed")
        assert expected in notice + view.full_text
        assert "→" in notice  # a hint on what to do
        assert app.is_running


async def test_missing_key_points_at_the_keys_binding(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    monkeypatch.delenv("GROQ_API_KEY")
    app = make_app(model="groq/ok")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        screen = await answered(pilot)
        notice = str(app.main.views[screen.session.turns[-1].lanes[0]].query_one(".notice").render())
        assert "no key for groq" in notice and "press ^k" in notice


async def test_conversation_continues_with_history(write_config, fake_url, monkeypatch, openai_server) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch)
    server = openai_server[0]
    app = make_app(model="groq/history-check")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "first question")
        await answered(pilot)
        await send(pilot, "second question")
        await answered(pilot)
    bodies = [r.json() for r in server.requests if r.path.endswith("/chat/completions")
              and r.json().get("model") == "history-check"]
    assert [m["content"] for m in bodies[-1]["messages"]] == [
        "first question", "Hello, world!", "second question"]


async def test_cost_meter_shows_spend_after_an_answer(write_config, fake_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    groq_config(write_config, fake_url, monkeypatch,
                '\n[prices."groq/priced"]\ninput = 1000\noutput = 2000\n\n[budget]\ndaily_usd = 1\n')
    app = make_app(model="groq/priced")
    async with app.run_test(size=(120, 36)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
        meter = app.main.query_one(CostMeter)
        totals = str(meter.query_one("#totals").render())
        assert "today" in totals and "$0.0" in totals
        budgets = str(meter.query_one("#budgets").render())
        assert "today" in budgets and "$1.00" in budgets


async def test_large_stored_conversation_mounts_only_the_latest_turns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import llmtui.screens.chat_views as chat_views

    made: list[object] = []  # the turns' views made for the transcript (issue 19: not all 2,500)
    view = chat_views.stored_view
    monkeypatch.setattr(chat_views, "stored_view", lambda *a, **k: made.append(1) or view(*a, **k))
    store = Store()
    conversation_id = store.new_conversation(["demo/simulated"])
    with store._tx() as db:
        for i in range(2500):
            cur = db.execute("INSERT INTO messages (conversation_id, role, content, created_at, lane) "
                             "VALUES (?, 'user', ?, 0, 0)", (conversation_id, f"question {i}"))
            db.execute("INSERT INTO messages (conversation_id, role, content, created_at, lane, "
                       "parent_id, model) VALUES (?, 'assistant', ?, 0, 0, ?, 'demo/simulated')",
                       (conversation_id, f"answer **{i}**", cur.lastrowid))
    store.close()
    app = make_app(model="demo/simulated")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await booted(pilot)
        await screen.open_conversation(conversation_id)
        await pilot.pause()
        turns = screen.query_one(Transcript).query(Turn)
        assert len(turns) == FIRST_PAGE
        assert "question 2499" in turns.last().prompt
        assert len(made) == FIRST_PAGE
        screen.query_one("#older", Button).press()
        await pilot.pause(0.3)
        assert len(screen.query_one(Transcript).query(Turn)) == FIRST_PAGE + PAGE
        assert len(made) == FIRST_PAGE + PAGE
        assert len(screen.session.history(screen.session.models[0])) == 5000  # the model still sees the whole conversation


async def test_a_running_ollama_is_detected_and_listed(write_config) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.server import FakeServer, Request, Response

    def ollama(request: Request) -> Response:
        if request.path == "/api/tags":
            return Response.json_body({"models": [{"name": "qwen2.5:0.5b", "model": "qwen2.5:0.5b"}]})
        return Response.json_body({"error": "not found"}, 404)

    server = FakeServer(ollama).start()
    try:
        write_config(f'[providers.ollama]\nbase_url = "{server.url}/v1"\n')
        app = make_app(model="demo/simulated")
        async with app.run_test(size=(120, 36)) as pilot:
            await booted(pilot)
            await until(pilot, lambda: any(e.ref == "ollama/qwen2.5:0.5b" for e in app.catalog_entries))
            entry = next(e for e in app.catalog_entries if e.ref == "ollama/qwen2.5:0.5b")
            assert entry.has_key and entry.price_in == "$0"
    finally:
        server.stop()


def test_bedrock_counts_as_keyed_only_with_a_key_or_aws_access_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.config import Config
    from llmtui.core.keys import key_states
    from llmtui.core.runtime import Runtime

    runtime = Runtime(Config())
    assert key_states(runtime, ["bedrock"]) == {"bedrock": False}
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert key_states(runtime, ["bedrock"]) == {"bedrock": True}
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key")
    assert key_states(runtime, ["bedrock"]) == {"bedrock": True}


def test_reopened_branches_do_not_send_the_abandoned_turns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from llmtui.core.session import ChatSession, stored_path

    store = Store(tmp_path / "s.sqlite3")
    cid = store.new_conversation(["demo/simulated"])
    ids = {}
    for name, parent in (("p1", None), ("p2", None), ("p3", None), ("p2-edited", "p2")):
        ids[name] = store.add_message(cid, "user", name, parent_id=ids.get(parent) if parent else None)
        store.add_message(cid, "assistant", f"answer to {name}", model="demo/simulated",
                          parent_id=ids[name])
    turns = stored_path(store.messages(cid))
    assert [t.prompt for t in turns] == ["p1", "p2-edited"]  # the live path
    assert [[t.prompt for t in branch] for branch in turns[1].earlier] == [["p2", "p3"]]  # kept, apart
    session = ChatSession(Runtime(Config()))
    session.turns = turns
    assert [m.content for m in session.history("demo/simulated")] == ["p1", "answer to p1", "p2-edited", "answer to p2-edited"]


async def test_catalog_lists_hf_routes_and_each_backend_with_its_price(write_config, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    from tests.fakes.model_lists import HF_ROUTER_MODELS
    from tests.fakes.openai_fake import OpenAIFake
    from tests.fakes.server import FakeServer

    server = FakeServer(OpenAIFake(models_payload=HF_ROUTER_MODELS)).start()
    try:
        write_config(f'[providers.hf]\nbase_url = "{server.url}/v1"\n')
        monkeypatch.setenv("HF_TOKEN", "hf_test_token_123")
        app = make_app(model="demo/simulated")
        async with app.run_test(size=(140, 40)) as pilot:
            await booted(pilot)
            options = app.main.query_one(OptionList)
            await until(pilot, lambda: _has(options, "hf/acme/TinyChat-1B:together"), timeout=15)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            base = ids.index("hf/acme/TinyChat-1B")
            assert "hf/acme/TinyChat-1B:cheapest" in ids and "hf/acme/TinyChat-1B:fastest" in ids
            assert ids.index("hf/acme/TinyChat-1B:together") > base
            prompt = str(options.get_option("hf/acme/TinyChat-1B:together").prompt)
            assert ":together" in prompt and "0.20" in prompt and "0.60" in prompt
    finally:
        server.stop()


def _has(options, option_id: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        options.get_option(option_id)
    except Exception:  # noqa: BLE001 - OptionDoesNotExist
        return False
    return True
