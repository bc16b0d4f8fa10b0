"""Loopback servers for the catalog tests: one fresh server per test, so request counts are exact."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.catalog.payloads import XAI_LANGUAGE_MODELS
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import FakeServer, Request, Response

KEY = "sk-test-123"


class RouterFake(OpenAIFake):
    """OpenAIFake plus what the HF router and xAI add: the serving backend's header,
    and xAI's priced list at /v1/language-models."""

    def __init__(self, served_by: str | None = None, **kwargs: Any) -> None:
        super().__init__(expected_key=KEY, **kwargs)
        self.served_by = served_by

    def __call__(self, request: Request) -> Response:
        if request.method == "GET" and request.path.endswith("/language-models"):
            if request.headers.get("authorization") != f"Bearer {KEY}":
                return Response.json_body({"error": "bad key"}, 401)
            return Response.json_body(XAI_LANGUAGE_MODELS)
        response = super().__call__(request)
        if self.served_by and request.path.endswith("/chat/completions"):
            response.headers["x-inference-provider"] = self.served_by
        return response


@pytest.fixture
def serve() -> Iterator[Callable[..., tuple[FakeServer, RouterFake]]]:
    started: list[FakeServer] = []

    def start(**kwargs: Any) -> tuple[FakeServer, RouterFake]:
        fake = RouterFake(**kwargs)
        server = FakeServer(fake).start()
        started.append(server)
        return server, fake

    yield start
    for server in started:
        server.stop()
