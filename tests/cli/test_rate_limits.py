"""Rate-limit headers, and a 429 before the first token: wait as told, retry, bill once."""

from __future__ import annotations

import json
import sqlite3
import time
from decimal import Decimal
from email.utils import formatdate
from pathlib import Path

import pytest

from llmtui.providers.http_errors import parse_duration, parse_rate_limit
from tests.conftest import run_cli

KEY_ENV = {"GROQ_API_KEY": "sk-test-123"}
CONFIG = """
[providers.groq]
base_url = "{url}/openai/v1"

[prices."groq/429-once"]
input = 0.59
output = 0.79

[network]
max_retries = {retries}
"""


@pytest.mark.parametrize(("text", "seconds"), [
    ("6m0s", 360.0), ("1.5s", 1.5), ("12ms", 0.012), ("1m0.5s", 60.5), ("2h", 7200.0),
    ("30", 30.0), ("0.2", 0.2),
])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_groq_style_headers_and_http_date_retry_after() -> None:
    limit = parse_rate_limit({
        "x-ratelimit-limit-requests": "14400", "x-ratelimit-remaining-requests": "14370",
        "x-ratelimit-reset-requests": "2m59.56s", "x-ratelimit-limit-tokens": "18000",
        "x-ratelimit-remaining-tokens": "17997", "x-ratelimit-reset-tokens": "7.66s",
        "retry-after": formatdate(time.time() + 30, usegmt=True),
    })
    assert limit is not None
    assert (limit.limit_requests, limit.remaining_requests) == (14400, 14370)
    assert limit.reset_requests_s == pytest.approx(179.56)
    assert limit.reset_tokens_s == pytest.approx(7.66)
    assert limit.retry_after_s == pytest.approx(30, abs=2)
    only_retry = parse_rate_limit({"Retry-After": "7"})
    assert only_retry is not None and only_retry.retry_after_s == 7.0


def test_429_once_waits_retries_and_bills_once(write_config, serve, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    server, fake = serve()
    write_config(CONFIG.format(url=server.url, retries=2))
    started = time.monotonic()
    result = run_cli("ask", "--json", "-m", "groq/429-once", "hi", env=KEY_ENV)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 0.2  # retry-after: 0.2 was honoured
    assert "retrying in 0.2s" in result.stderr
    data = json.loads(result.stdout)
    assert data["text"] == "Hello, world!" and data["error"] is None
    assert data["rate_limit"]["remaining_tokens"] == 17990  # latest headers, in ask --json
    assert fake.counts["429-once"] == 2 and len(server.requests) == 2
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    rows = db.execute("SELECT content, cost_usd FROM messages WHERE role = 'assistant'").fetchall()
    # one answer, billed once: 1 x 0.59 + 4 x 0.79 = 3.75 per 1M
    assert rows == [("Hello, world!", "0.00000375")]
    spent = json.loads(run_cli("spend", "--json").stdout)
    assert Decimal(str(spent["total_usd"])) == Decimal("0.00000375") and spent["requests"] == 1
    cached = db.execute("SELECT payload FROM rate_limits WHERE provider = 'groq'").fetchone()
    assert json.loads(cached[0])["limit_requests"] == 14400


def test_429_gives_up_and_says_when_to_try_again(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    server, fake = serve()
    write_config(CONFIG.format(url=server.url, retries=1))
    result = run_cli("ask", "--json", "-m", "groq/429", "hi", env=KEY_ENV)
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["kind"] == "rate_limit"
    assert "gave up after 1 retry; try again in 1s (after " in error["message"]
    assert fake.counts["429"] == 2
