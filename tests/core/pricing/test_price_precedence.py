"""Which price wins: config, then the provider's list (cached), then genai-prices, then our table."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from llmtui.core.catalog.build import cached_catalog
from llmtui.core.catalog.cache import save_models
from llmtui.core.config import parse_config
from llmtui.core.pricing.genai import GENAI_PROVIDERS
from llmtui.core.runtime import Runtime
from llmtui.core.store import Store
from llmtui.providers.base import ModelInfo, Price

D = Decimal


def _runtime(tmp_path: Path, toml: str = "") -> Runtime:
    return Runtime(parse_config(toml, tmp_path / "config.toml"), Store(tmp_path / "s.sqlite3"))


def test_precedence(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path, '[prices."together/meta-llama/Llama-3.3-70B-Instruct-Turbo"]\n'
                                 'input = 0.1\noutput = 0.2\n')
    ref = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    # config wins over everything
    price = runtime.price("together", ref)
    assert (price.input, price.output, price.source) == (D("0.1"), D("0.2"), "config.toml [prices]")
    # no config: genai-prices' bundled figure
    bare = _runtime(tmp_path / "b")
    assert bare.price("together", ref).source.startswith("genai-prices")
    # the provider's own list beats genai-prices once the catalog cached it
    save_models(bare, "together", [ModelInfo(ref, "together", 131072,
                                             Price(D("0.9"), D("0.95"), source="together model list"))])
    listed = bare.price("together", ref)
    assert (listed.input, listed.source) == (D("0.9"), "together model list")
    assert listed.as_of  # dated the day it was fetched
    # what genai-prices lacks comes from our table
    assert bare.price("reka", "reka-flash-research").per_request == D("0.025")
    assert bare.price("openai", "no-such-model-anywhere") is None
    assert bare.price("demo", "simulated").input == 0


def test_every_mapped_genai_provider_exists() -> None:
    from genai_prices.data_snapshot import find_provider_by_id, get_snapshot

    providers = get_snapshot().providers
    for ours, theirs in GENAI_PROVIDERS.items():
        assert find_provider_by_id(providers, theirs) is not None, ours
    for backend in ("together", "novita", "groq", "cerebras", "fireworks-ai", "nebius"):
        assert find_provider_by_id(providers, f"huggingface_{backend}") is not None


def test_cached_catalog_is_instant_and_offline(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    save_models(runtime, "hf", [ModelInfo("acme/m", "hf", backends=(
        ModelInfo("acme/m:together", "hf", 4096, Price(D("1"), D("2"), source="hf model list")),))])
    entries = {e.ref: e for e in cached_catalog(runtime)}
    assert entries["hf/acme/m"].backends[0].price.input == D("1")
    assert "demo/simulated" in entries
    # and it neither imports price data nor the network stack
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from llmtui.core.config import Config\n"
        "from llmtui.core.runtime import Runtime\n"
        "from llmtui.core.store import Store\n"
        "from llmtui.core.catalog.build import cached_catalog\n"
        f"entries = cached_catalog(Runtime(Config(), Store(Path({str(tmp_path / 's.sqlite3')!r}))))\n"
        "assert any(e.ref == 'hf/acme/m' for e in entries)\n"
        "bad = [m for m in ('genai_prices', 'httpx', 'keyring', 'textual') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
