"""H1 end to end: an OSC 52 clipboard write in a model list's backend name (the reliability run's
repro) never reaches the terminal, neither through `llmtui models` nor through the TUI's
catalog pane, and is not cached raw either. At the provider boundary a backend or model whose
id carries one is dropped (an id is sent back in requests); a note shows it visibly.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.conftest import run_cli
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer
from tests.screens.helpers import booted, make_app

EVIL = "evil\x1b]52;c;cHduZWQ=\x1b\\"
EVIL_MODELS = {"data": [
    {"id": "org/model", "type": "chat\x1b]0;title\x07", "providers": [
        {"provider": EVIL, "pricing": {"input": 1, "output": 2}, "context_length": 1000},
        {"provider": "novita", "status": "live\x1b[31m", "pricing": {"input": 3, "output": 4},
         "context_length": 2000}]},
    {"id": "org/\x1b[2Jsneaky"},
]}


KEY = "sk-test-123"


@pytest.fixture(scope="module")
def evil_server() -> Iterator[FakeServer]:
    server = FakeServer(OpenAIFake(expected_key=KEY, models_payload=EVIL_MODELS)).start()
    yield server
    server.stop()


def _hf(write_config, server: FakeServer) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.hf]\nbase_url = "{server.url}/v1"\n')


def test_models_command_shows_the_escape_visibly(write_config, evil_server: FakeServer,
                                                 isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    _hf(write_config, evil_server)
    table = run_cli("models", "--provider", "hf", "--refresh", env={"HF_TOKEN": KEY})
    as_json = run_cli("models", "--provider", "hf", "--json", env={"HF_TOKEN": KEY})
    assert table.returncode == 0 and as_json.returncode == 0, table.stderr + as_json.stderr
    for out in (table.stdout + table.stderr, as_json.stdout):
        assert "\x1b" not in out and "\x07" not in out
    assert "via :novita" in table.stdout and "evil" not in table.stdout
    listed = json.loads(as_json.stdout)
    refs = [b["ref"] for e in listed for b in e.get("backends", ())]
    assert refs == ["hf/org/model:novita"]
    assert not any("sneaky" in e["ref"] for e in listed)  # bad id: dropped
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    cached = "".join(str(v) for row in db.execute("SELECT * FROM model_cache") for v in row)
    db.close()
    assert "novita" in cached and "evil" not in cached
    assert "\x1b" not in cached and "\\u001b" not in cached  # raw ESC, or ESC as JSON escapes
    notes = [m["note"] for m in json.loads(cached[cached.index("{"):])["models"]]
    assert notes == ["chat␛]0;title␇"]  # shown visibly, as stored


async def test_catalog_pane_shows_the_escape_visibly(write_config, evil_server: FakeServer,
                                                     isolated_env: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _hf(write_config, evil_server)
    monkeypatch.setenv("HF_TOKEN", KEY)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await booted(pilot)
        options = app.main.query_one("#model-list", OptionList)
        shown = "\n".join(str(options.get_option_at_index(i).prompt)
                          for i in range(options.option_count))
    assert ":novita" in shown
    assert "\x1b" not in shown and "evil" not in shown and "sneaky" not in shown
