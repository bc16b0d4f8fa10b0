"""Drive an adapter directly: a real httpx.AsyncClient against a loopback fake."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx

from llmtui.providers.base import ChatMessage, ChatRequest, ProviderSpec, StreamEvent
from llmtui.providers.presets import PRESETS
from tests.conftest import run_cli
from tests.fakes.server import FakeServer, Request, Response


def spec_for(provider_id: str, base_url: str, **options: Any) -> ProviderSpec:
    from dataclasses import replace

    preset = PRESETS[provider_id]
    return replace(preset, base_url=base_url, options={**preset.options, **options})


def ask(model: str, prompt: str = "hi", **kw: Any) -> ChatRequest:
    return ChatRequest(model=model, messages=(ChatMessage("user", prompt),), **kw)


async def collect_async(factory: Callable[..., Any], spec: ProviderSpec, key: str | None,
                        request: ChatRequest) -> list[StreamEvent]:
    async with httpx.AsyncClient(timeout=10) as client:
        provider = factory(spec, client, key)
        return [event async for event in provider.stream(request)]


def collect(factory: Callable[..., Any], spec: ProviderSpec, key: str | None,
            request: ChatRequest) -> list[StreamEvent]:
    return asyncio.run(collect_async(factory, spec, key, request))


def ask_json(*args: str, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """`llmtui ask --json ...` in a subprocess; returns exit code and the JSON object."""
    result = run_cli("ask", "--json", *args, env=env)
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


class SplitServer:
    """Serves one fixed body, cut into whatever pieces the test sets, for split-invariance tests."""

    def __init__(self, content_type: str) -> None:
        self.content_type = content_type
        self.pieces: list[bytes] = []
        self.server = FakeServer(self._handle).start()

    def _handle(self, request: Request) -> Response:
        return Response(200, {"content-type": self.content_type}, [(p, 0) for p in self.pieces])


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(body) + 1) for c in cuts} | {0, len(body)})
    return [body[a:b] for a, b in zip(points, points[1:], strict=False) if b > a]
