"""Which providers' lists to fetch, and fetching them: fresh cache, the network, or a stale
cache with the reason. Only providers with a key (or configured keyless servers) are asked.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from llmtui.core.catalog.cache import cached_listing, save_models
from llmtui.core.keys import key_states
from llmtui.providers.base import FREE_PRICE, ModelInfo

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

MAX_AGE_S = 24 * 3600
FETCH_TIMEOUT_S = 20.0
OLLAMA_URL = "http://localhost:11434"
OLLAMA_PROBE_S = 0.6


def builtin_models(runtime: Runtime, provider: str) -> list[str]:
    """Models that list with no network: config `models = [...]`, demo, local."""
    spec = runtime.spec(provider)
    names = list(spec.models)
    if spec.kind == "demo":
        from llmtui.providers.demo import MODELS

        names += list(MODELS)
    if spec.kind == "local" and not names:
        from llmtui.core.starter import LOCAL_MODEL, local_model_available

        if local_model_available():
            names.append(LOCAL_MODEL.split("/", 1)[1])
    return list(dict.fromkeys(names))


def wants_discovery(runtime: Runtime, provider: str) -> bool:
    spec = runtime.spec(provider)
    return not spec.runs_locally and spec.problem() is None


async def discover(
    runtime: Runtime, provider: str, refresh: bool, problems: list[str]
) -> tuple[float | None, dict[str, ModelInfo], str]:
    """(fetched_at, models, origin) for one provider: fresh cache, the network, or stale cache."""
    spec = runtime.spec(provider)
    cached = cached_listing(runtime, provider)
    if cached is not None and not refresh and time.time() - cached[0] < MAX_AGE_S:
        return cached[0], cached[1], "cache"
    key = None
    resolved = await asyncio.to_thread(runtime.resolve_key, provider)
    if resolved is not None:
        key = resolved.key.reveal()
    elif spec.key_required or provider not in runtime.config.providers:
        return None, {}, "skipped"  # no key configured: nothing to discover
    elif not (await asyncio.to_thread(key_states, runtime, [provider])).get(provider, True):
        return None, {}, "skipped"  # Bedrock without AWS credentials either: as quiet as no key
    try:
        instance = runtime.provider(provider, key)
        models = await asyncio.wait_for(instance.list_models(), FETCH_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - one provider's failure must not empty the catalog
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        if isinstance(exc, TimeoutError):
            message = f"{provider}: no model list within {FETCH_TIMEOUT_S:g}s"
        if cached is not None:
            problems.append(f"{message} (showing the list cached {age(cached[0])} ago)")
            return cached[0], cached[1], "cache"
        problems.append(message)
        return None, {}, "failed"
    models = await asyncio.to_thread(save_models, runtime, provider, models)
    return time.time(), {m.id: m for m in models}, "list"


def age(when: float) -> str:
    seconds = max(0.0, time.time() - when)
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


async def ollama_models(runtime: Runtime) -> list[ModelInfo]:
    """Models of a running local Ollama (native /api/tags, a short timeout; nothing if it is
    not there), so a user who runs Ollama sees its models without configuring anything."""
    import httpx

    try:
        base = runtime.spec("ollama").base_url.removesuffix("/v1") or OLLAMA_URL
    except Exception:  # noqa: BLE001 - no ollama preset: the default address
        base = OLLAMA_URL
    try:
        response = await runtime.client().get(f"{base}/api/tags", timeout=httpx.Timeout(OLLAMA_PROBE_S))
        data = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, ValueError):
        return []
    found = data.get("models", []) if isinstance(data, dict) else []
    names = [str(m.get("name") or m.get("model")) for m in found
             if isinstance(m, dict) and (m.get("name") or m.get("model"))]
    return [ModelInfo(id=name, provider="ollama", price=FREE_PRICE, note="local Ollama")
            for name in names if name.isprintable()]
