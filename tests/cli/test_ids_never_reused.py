"""An id is never given out twice (issue 12 flow tester item 1): after the newest conversation
is deleted, the next one gets a new id, so `spend --by conversation` keeps the deleted one's
spend apart instead of adding it to the newcomer's."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.fakes.money_fake import KEYS, config


def test_a_deleted_conversations_spend_never_joins_the_next_one(write_config, money) -> None:  # type: ignore[no-untyped-def]
    server, _ = money
    write_config(config(server.url, '[prices."groq/usage-4"]\ninput = 1\noutput = 1000\n'))
    for prompt in ("first", "second"):
        assert run_cli("ask", "-m", "groq/usage-4", prompt, env=KEYS).returncode == 0
    newest = json.loads(run_cli("history", "--json").stdout)[0]["id"]
    assert run_cli("history", "delete", str(newest)).returncode == 0
    assert run_cli("ask", "-m", "groq/usage-4", "after delete hello", env=KEYS).returncode == 0
    listed = json.loads(run_cli("history", "--json").stdout)
    assert [c["title"] for c in listed][0] == "after delete hello"
    assert listed[0]["id"] > newest
    rows = json.loads(run_cli("spend", "--by", "conversation", "--json").stdout)["rows"]
    mine = [r for r in rows if r["key"] == str(listed[0]["id"])]
    assert [r["requests"] for r in mine] == [1]
    assert [r["requests"] for r in rows if r["key"] == str(newest)] == [1]  # kept, apart
