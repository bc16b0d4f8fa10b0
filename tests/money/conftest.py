"""A fresh money fake per test (exact request counts) and a config that points providers at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.money_fake import MoneyFake, start_money_fake
from tests.fakes.server import FakeServer

KEYS = {"GROQ_API_KEY": "sk-test-123", "OPENROUTER_API_KEY": "sk-or-test", "XAI_API_KEY": "xai-t"}


@pytest.fixture
def money() -> Iterator[tuple[FakeServer, MoneyFake]]:
    server, fake = start_money_fake()
    yield server, fake
    server.stop()


def config(url: str, extra: str = "") -> str:
    """groq, openrouter and xai at the fake; groq/usage-* priced $1 in / $10 out per 1M."""
    return f"""
[providers.groq]
base_url = "{url}/v1"
[providers.openrouter]
base_url = "{url}/api/v1"
[providers.xai]
base_url = "{url}/v1"
[network]
max_retries = 0

[prices."groq/usage-1000000"]
input = 1
output = 10
[prices."groq/slow-usage-600000"]
input = 1
output = 1
[prices."groq/endless"]
input = 1
output = 10
{extra}
"""
