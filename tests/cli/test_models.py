"""`llmtui models` against loopback providers, and the HF router's billing and served-by."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from tests.conftest import run_cli
from tests.fakes.model_lists import HF_ROUTER_MODELS, TOGETHER_MODELS

KEYS = {"HF_TOKEN": "sk-test-123", "TOGETHER_API_KEY": "sk-test-123", "XAI_API_KEY": "sk-test-123"}


def _by_ref(stdout: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {e["ref"]: e for e in json.loads(stdout)}


def test_models_json_from_hf_router_and_together(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    hf, _ = serve(models_payload=HF_ROUTER_MODELS)
    together, _ = serve(models_payload=TOGETHER_MODELS)
    write_config(f"""
[providers.hf]
base_url = "{hf.url}/v1"
[providers.together]
base_url = "{together.url}/v1"
[providers.groq]
models = ["llama-3.3-70b-versatile"]
[prices."together/acme/Priced-Unknown"]
input = 1.5
output = 2
""")
    result = run_cli("models", "--json", env=KEYS)
    assert result.returncode == 0, result.stderr
    models = _by_ref(result.stdout)

    tiny = models["hf/acme/TinyChat-1B"]
    assert tiny["context_length"] == 131072
    backends = {b["ref"]: b for b in tiny["backends"]}
    assert backends["hf/acme/TinyChat-1B:together"]["input_per_1m"] == 0.2
    assert backends["hf/acme/TinyChat-1B:together"]["output_per_1m"] == 0.6
    assert backends["hf/acme/TinyChat-1B:novita"]["input_per_1m"] == 4
    assert backends["hf/acme/TinyChat-1B:novita"]["context_length"] == 65536
    assert backends["hf/acme/TinyChat-1B:hf-inference"]["input_per_1m"] is None
    assert tiny["routes"] == ["hf/acme/TinyChat-1B:cheapest", "hf/acme/TinyChat-1B:fastest"]
    assert tiny["input_per_1m"] == 0.2 and "cheapest backend" in tiny["price_source"]
    assert models["hf/Qwen/Qwen3-8B"]["output_per_1m"] == 0.29

    llama = models["together/meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert (llama["input_per_1m"], llama["output_per_1m"]) == (0.88, 0.88)
    assert llama["price_source"] == "together model list" and llama["origin"] == "list"
    assert models["together/acme/Priced-Unknown"]["price_source"] == "config.toml [prices]"
    assert "together/BAAI/bge-large-en-v1.5" not in models  # embeddings are not chat models

    # groq has no key: no discovery, but the config's model lists with bundled prices
    groq = models["groq/llama-3.3-70b-versatile"]
    assert groq["origin"] == "config" and groq["input_per_1m"] == 0.59
    assert groq["cached_input_per_1m"] == 0.295 and groq["price_source"].startswith("genai-prices")
    assert models["demo/simulated"]["input_per_1m"] == 0
    assert not any(ref.startswith("openai/") for ref in models)

    # the second run is served from the cache: no new list requests
    before = len(hf.requests) + len(together.requests)
    again = _by_ref(run_cli("models", "--json", "--provider", "hf", env=KEYS).stdout)
    assert len(hf.requests) + len(together.requests) == before
    assert again["hf/acme/TinyChat-1B"]["origin"] == "cache"
    assert all(ref.startswith("hf/") for ref in again)
    # --refresh fetches again
    run_cli("models", "--json", "--refresh", "--provider", "hf", env=KEYS)
    assert len(hf.requests) == 2


def test_offline_the_cache_still_serves(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    hf, _ = serve(models_payload=HF_ROUTER_MODELS)
    write_config(f'[providers.hf]\nbase_url = "{hf.url}/v1"\n')
    assert run_cli("models", "--json", env=KEYS).returncode == 0
    write_config('[providers.hf]\nbase_url = "http://127.0.0.1:9/v1"\n')  # nothing listens there
    result = run_cli("models", "--json", "--refresh", "--provider", "hf", env=KEYS)
    assert result.returncode == 0
    assert "showing the list cached" in result.stderr
    assert _by_ref(result.stdout)["hf/acme/TinyChat-1B"]["backends"]


def test_models_search_table_and_xai(write_config, serve) -> None:  # type: ignore[no-untyped-def]
    xai, _ = serve()
    write_config(f'[providers.xai]\nbase_url = "{xai.url}/v1"\n')
    result = run_cli("models", "--search", "grok-3", env=KEYS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["MODEL", "CONTEXT", "IN/1M", "OUT/1M", "CACHED/1M", "PRICE", "SOURCE"]
    row = next(line for line in lines if line.startswith("xai/grok-3-mini"))
    assert "$0.30" in row and "$0.50" in row and "$0.075" in row
    assert xai.requests[0].path == "/v1/language-models"
    data = _by_ref(run_cli("models", "--json", "--provider", "xai", env=KEYS).stdout)
    assert data["xai/grok-4-0709"]["input_per_1m"] == 3


def test_unknown_provider_is_a_usage_error() -> None:
    result = run_cli("models", "--provider", "nope")
    assert result.returncode == 2 and "unknown provider 'nope'" in result.stderr


def test_hf_bill_to_and_served_by_price(write_config, serve, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    hf, _ = serve(models_payload=HF_ROUTER_MODELS, served_by="novita")
    write_config(f"""
[providers.hf]
base_url = "{hf.url}/v1"
bill_to = "acme-org"
""")
    # before the catalog knows the backend's price, the cost is unknown ($?), never $0
    first = json.loads(run_cli("ask", "--json", "-m", "hf/acme/TinyChat-1B", "hi", env=KEYS).stdout)
    assert first["served_by"] == "novita" and first["cost_usd"] is None
    assert hf.requests[-1].headers["x-hf-bill-to"] == "acme-org"
    assert run_cli("models", "--json", "--provider", "hf", env=KEYS).returncode == 0
    second = json.loads(run_cli("ask", "--json", "-m", "hf/acme/TinyChat-1B", "hi", env=KEYS).stdout)
    # priced by the backend that served it (novita: $4 in, $4 out): 1 x 4 + 4 x 4 = 20 per 1M
    assert Decimal(str(second["cost_usd"])) == Decimal("0.00002")
    chat = [r for r in hf.requests if r.path == "/v1/chat/completions"]
    assert all(r.headers["x-hf-bill-to"] == "acme-org" for r in chat)
    assert chat[-1].json()["model"] == "acme/TinyChat-1B"
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    served = db.execute("SELECT served_by, cost_usd FROM messages WHERE role = 'assistant' "
                        "ORDER BY id").fetchall()
    assert served == [("novita", None), ("novita", "0.00002")]
    # an explicit :together suffix is priced at that backend's listed rate: 1 x 0.2 + 4 x 0.6 = 2.6
    hf_pinned, _ = serve(models_payload=HF_ROUTER_MODELS)
    write_config(f'[providers.hf]\nbase_url = "{hf_pinned.url}/v1"\n')
    pinned = json.loads(run_cli("ask", "--json", "-m", "hf/acme/TinyChat-1B:together", "hi",
                                env=KEYS).stdout)
    assert Decimal(str(pinned["cost_usd"])) == Decimal("0.0000026")


def test_a_day_old_cache_is_refetched(write_config, serve, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    together, _ = serve(models_payload=TOGETHER_MODELS)
    write_config(f'[providers.together]\nbase_url = "{together.url}/v1"\n')
    assert run_cli("models", "--json", "--provider", "together", env=KEYS).returncode == 0
    assert run_cli("models", "--json", "--provider", "together", env=KEYS).returncode == 0
    assert len(together.requests) == 1  # fresh: served from the cache
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    with db:
        db.execute("UPDATE model_cache SET fetched_at = fetched_at - 25 * 3600")
    db.close()
    result = run_cli("models", "--json", "--provider", "together", env=KEYS)
    assert len(together.requests) == 2
    llama = _by_ref(result.stdout)["together/meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert llama["origin"] == "list" and llama["price_as_of"]  # dated the day it was fetched


def test_with_a_key_and_no_network_it_does_not_blame_the_key(write_config) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: "cannot connect" was followed by "no models (add a key …)" with a key set."""
    write_config('[providers.hf]\nbase_url = "http://127.0.0.1:9/v1"\n')  # nothing listens there
    result = run_cli("models", "--refresh", "--provider", "hf", env=KEYS)
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "could not be fetched" in result.stderr
    assert "add a key" not in result.stderr
