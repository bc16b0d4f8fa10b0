"""A distinctive key goes through every flow; it must never show up in any output or file.

Scanned: stdout/stderr of every command, log records at DEBUG (httpx, httpcore, asyncio,
anything), a forced traceback rendered both plainly and the way Textual shows a crash (Rich,
with local variables), TUI screenshots (SVG) of the main, compare and keys screens, and every
byte of every file under the private XDG tree: config, settings, cache, exports, the SQLite
store and its WAL.
"""

from __future__ import annotations

import io
import logging
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmtui.cli import main
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer

KEY = "sk-LEAKCHECK-5f0c2b9e7a4d1836"
MIDDLE = KEY[6:-4]  # a masked form keeps only the ends; the middle must never appear


@pytest.fixture(scope="module")
def accepting() -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake(expected_key=KEY)).start()
    yield server
    server.stop()


@pytest.fixture
def configured(write_config, accepting: FakeServer, fake_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # groq accepts the key (from the keyring); openai rejects it (from the env).
    write_config(f'[providers.groq]\nbase_url = "{accepting.url}/openai/v1"\n\n'
                 f'[providers.openai]\nbase_url = "{fake_url}/v1"\n\n'
                 "[network]\nmax_retries = 1\nmax_retry_wait = 0.1\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(KEY + "\n"))
    assert main(["keys", "set", "groq"]) == 0
    monkeypatch.setenv("OPENAI_API_KEY", KEY)


def assert_clean(text: str | bytes, where: str) -> None:
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    assert KEY.encode() not in data and MIDDLE.encode() not in data, f"the key leaked into {where}"


def scan_tree(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.is_file()]
    for path in files:
        assert_clean(path.read_bytes(), str(path))
    return files


def test_key_never_leaks_from_cli_flows(configured, accepting: FakeServer, isolated_env: Path,  # type: ignore[no-untyped-def]
                                        tmp_path: Path, capsys, caplog, monkeypatch) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.chdir(tmp_path)
    codes = {}
    for name, argv in {
        "ok": ["ask", "-m", "groq/ok", "hi"],
        "json": ["ask", "--json", "-m", "groq/cached", "hi"],
        "drop": ["ask", "-m", "groq/drop", "hi"],
        "500": ["ask", "-m", "groq/500", "hi"],
        "rejected": ["ask", "-m", "openai/gpt-4o-mini", "hi"],
        "keys list": ["keys", "list"],
        "keys check": ["keys", "check"],
        "models": ["models", "--provider", "groq"],
        "spend": ["spend"],
        "export": ["export", "--last"],
        "export stdout": ["export", "--last", "-o", "-"],
    }.items():
        codes[name] = main(argv)
        out, err = capsys.readouterr()
        assert_clean(out + err, f"the output of llmtui {' '.join(argv)}")
        if name == "rejected":
            assert "HTTP 401" in err and "key from env OPENAI_API_KEY" in err
        if name == "keys list":
            assert "groq" in out and "keyring" in out
    assert (codes["ok"], codes["json"], codes["drop"], codes["rejected"]) == (0, 0, 1, 1)
    assert any(r.headers.get("authorization") == f"Bearer {KEY}" for r in accepting.requests)
    assert codes["export"] == 0 and list(tmp_path.glob("llmtui-*.md"))
    assert caplog.records, "no log records at all: the DEBUG capture did not work"
    assert_clean(caplog.text, "log records at DEBUG level")
    files = scan_tree(isolated_env)
    names = {p.name for p in files}
    assert {"config.toml", "llmtui.sqlite3", "llmtui.sqlite3-wal"} <= names


async def test_forced_traceback_never_shows_the_key(configured, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    """A crash mid-answer, rendered with locals as Textual would, has no key. (A failing store
    no longer crashes an answer, issue 14 M4, so the crash is forced where the figures are kept.)"""
    from rich.console import Console
    from rich.traceback import Traceback

    from llmtui.core.config import load_config
    from llmtui.core.exchange import Exchange
    from llmtui.core.runtime import Runtime
    from llmtui.core.store import Store
    from llmtui.providers.base import ChatMessage, TextDelta

    runtime = Runtime(load_config(), Store())
    conversation = runtime.store.new_conversation(["groq/drip-40"])
    exchange = Exchange(runtime, "groq/drip-40", [ChatMessage("user", "hi")],
                        conversation_id=conversation)
    apply = exchange.stats.apply

    def broken(event: object) -> None:
        apply(event)  # type: ignore[arg-type]
        if isinstance(event, TextDelta) and len(exchange.stats.parts) > 2:
            raise RuntimeError("forced failure mid-answer")

    exchange.stats.apply = broken  # type: ignore[method-assign]
    with pytest.raises(RuntimeError) as caught:
        async for _ in exchange.run():
            pass
    await runtime.aclose()
    plain = "".join(traceback.format_exception(caught.value))
    console = Console(file=io.StringIO(), width=200, record=True)
    console.print(Traceback.from_exception(type(caught.value), caught.value, caught.tb,
                                           show_locals=True, width=200))
    rendered = console.export_text()
    assert "exchange.py" in plain
    assert "api_key" in rendered and "ApiKey(" in rendered  # locals are shown, the key masked
    assert_clean(plain, "a plain traceback")
    assert_clean(rendered, "a traceback rendered with locals")


async def test_key_never_on_screen_or_in_files_from_the_tui(configured, isolated_env: Path,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path, monkeypatch) -> None:
    from tests.screens.helpers import answered, booted, make_app, send, until

    monkeypatch.chdir(tmp_path)
    app = make_app(compare=("groq/ok", "openai/gpt-4o-mini"))
    shots: dict[str, str] = {}
    async with app.run_test(size=(140, 40)) as pilot:
        await send(pilot, "hi")
        await answered(pilot)
        lanes = app.main.session.turns[-1].lanes
        assert lanes[0].state == "done" and lanes[1].state == "error"
        shots["compare with a rejected key"] = app.export_screenshot()
        await pilot.press("ctrl+k")
        await until(pilot, lambda: type(app.screen).__name__ != "MainScreen")
        await pilot.pause(0.5)
        shots["keys screen"] = app.export_screenshot()
        await pilot.press("escape")
        await booted(pilot)
    for name, svg in shots.items():
        assert_clean(svg, f"a screenshot of the {name}")
    assert "Groq" in shots["keys screen"] or "groq" in shots["keys screen"]
    scan_tree(isolated_env)
