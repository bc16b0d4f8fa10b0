"""genai-prices' compact table (core/pricing/compact.py): the same prices as genai-prices
itself, read back from disk, without loading its data."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from llmtui.core.pricing.compact import MISSING, PriceTable
from llmtui.core.pricing.genai import (
    GENAI_PROVIDERS,
    _genai_model,
    _genai_version,
    entry_of,
    price_from_genai,
)
from llmtui.providers.base import Price


def genai_says(info: Any, provider: str, when: datetime) -> Price | None:
    """What llmtui priced a model at before the table: genai-prices' own `get_prices`, its
    start date as `as_of`, converted by `price_from_genai`."""
    try:
        prices = info.get_prices(when)
    except Exception:  # noqa: BLE001 - as genai_price did
        return None
    as_of = ""
    if isinstance(info.prices, list):
        for conditional in reversed(info.prices):
            constraint = conditional.constraint
            if constraint is None or constraint.active(when):
                start = getattr(constraint, "start_date", None)
                as_of = start.isoformat() if start is not None else ""
                break
    return price_from_genai(prices, f"genai-prices {_genai_version()} ({provider})", as_of)


def moments(info: Any) -> list[datetime]:
    """Now, long ago, far ahead, and either side of every date and daily window it prices by."""
    now = datetime.now(UTC)
    found = [now, datetime(2020, 1, 1, tzinfo=UTC), datetime(2035, 6, 1, 12, tzinfo=UTC),
             now.replace(tzinfo=None)]  # a naive moment is UTC to both
    for conditional in info.prices if isinstance(info.prices, list) else []:
        constraint = conditional.constraint
        start = getattr(constraint, "start_date", None)
        if isinstance(start, date):
            midnight = datetime.combine(start, time(), UTC)
            found += [midnight - timedelta(seconds=1), midnight, midnight + timedelta(hours=12)]
        for edge in (getattr(constraint, "start_time", None), getattr(constraint, "end_time", None)):
            if isinstance(edge, time):
                at = datetime.combine(now.date(), edge.replace(tzinfo=edge.tzinfo or UTC))
                found += [at - timedelta(minutes=1), at, at + timedelta(minutes=1),
                          at.astimezone(UTC).replace(tzinfo=None)]
    return found


def every_lookup() -> list[tuple[str, str]]:
    """Every model genai-prices knows (a superset of what the catalog and answers ask), under
    its provider and under llmtui's names for that provider, and a few it does not know."""
    from genai_prices.data_snapshot import get_snapshot

    ours = {theirs: mine for mine, theirs in GENAI_PROVIDERS.items()}
    keys = [("no-such-provider", "gpt-4o"), ("openai", "no-such-model-anywhere")]
    for provider in get_snapshot().providers:
        for model in provider.models:
            keys.append((provider.id, model.id))
            if provider.id in ours:
                keys.append((ours[provider.id], model.id))
    return keys


def test_the_table_gives_genai_prices_own_answer_for_every_model_it_knows(tmp_path: Path) -> None:
    path = tmp_path / "genai-prices.jsonl"
    writer = PriceTable(path)
    keys = every_lookup()
    for provider, model in keys:
        writer.put(provider, model, entry_of(_genai_model(provider, model)))
    table = PriceTable(path)  # read back: what a later launch sees
    checked = 0
    for provider, model in keys:
        info = _genai_model(provider, model)
        entry = table.get(provider, model)
        assert entry is not MISSING
        if info is None:
            assert entry is None, (provider, model)
            continue
        assert entry is not None
        assert entry.context_window == info.context_window, (provider, model)
        source = f"genai-prices {_genai_version()} ({provider})"
        for when in moments(info):
            assert entry.price_at(when, source) == genai_says(info, provider, when), (provider, model, when)
            checked += 1
    assert checked > 1000  # the data has ~1,000 models: every one was compared


def test_a_launch_that_asks_what_was_asked_before_does_not_load_genai_prices(tmp_path: Path) -> None:
    code = ("import sys; from llmtui.core.pricing.genai import genai_context_length as c, genai_price as p; "
            "print(p('openai', 'gpt-4o-mini').input, p('anthropic', 'no-such-model'), c('openai', 'gpt-4o'), "
            "c('bench0', 'bench'), 'genai_prices' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert first.stdout.split()[:-1] == again.stdout.split()[:-1]
    assert first.stdout.split()[-1] == "True"  # the first asked genai-prices itself
    assert again.stdout.split()[-1] == "False"  # the second read the table


def test_a_damaged_line_is_asked_again_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    table = PriceTable(path)
    table.put("openai", "gpt-4o-mini", entry_of(_genai_model("openai", "gpt-4o-mini")))
    table.put("openai", "gpt-4o", entry_of(_genai_model("openai", "gpt-4o")))
    lines = path.read_text().splitlines()
    path.write_text(lines[0] + "\n" + lines[1][: len(lines[1]) // 2])  # a crash mid-write
    again = PriceTable(path)
    assert again.get("openai", "gpt-4o-mini") is not MISSING
    assert again.get("openai", "gpt-4o") is MISSING
    assert json.loads(lines[0])["p"] == "openai"
