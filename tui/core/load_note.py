"""The hint a lane shows while its model loads into this process, before the first token.

A llama.cpp model (`local/...`) is read into memory by its first answer: seconds of nothing
but `TTFT …` looked like a hang. Servers and the demo load nothing here: no hint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime

LOADING = "loading model into memory… (only its first answer waits for this)"


def loads_here(runtime: Runtime, ref: str) -> bool:
    """`ref` runs in this process (llama.cpp), so it may have to load first. Config only."""
    try:
        return runtime.spec(ref.partition("/")[0]).kind == "local"
    except Exception:  # noqa: BLE001 - an unknown provider: the stream says so
        return False


def loading_note(runtime: Runtime, ref: str) -> str | None:
    """LOADING while `ref` is a local model not yet in memory, else None. Blocking (it looks
    for the model file): call from a thread."""
    provider_id, _, model = ref.partition("/")
    if not loads_here(runtime, ref):
        return None
    try:
        state = getattr(runtime.provider(provider_id, None), "load_state", None)
        return LOADING if callable(state) and state(model) in ("cold", "loading") else None
    except Exception:  # noqa: BLE001 - a hint only: the stream itself reports what is wrong
        return None
