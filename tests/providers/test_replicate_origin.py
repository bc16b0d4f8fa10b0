"""M8: Replicate's token goes only to the configured API origin, whatever the API response says.

Two loopback servers: the API (the configured base_url) and another origin (a different port,
the same as a different host to a browser or to httpx). The reliability run's repro sent
`urls.stream = http://localhost:PORT2/...` and saw the token arrive on PORT2.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from llmtui.providers.base import ErrorKind, StreamDone, StreamError
from llmtui.providers.registry import create
from llmtui.providers.replicate import ReplicateProvider
from tests.fakes.server import FakeServer, Request, Response
from tests.providers.helpers import ask, spec_for

TOKEN = "r8_SECRETreplicatecanary999"
OUTPUT = b"event: output\ndata: hi\n\nevent: done\ndata: {}\n\n"


class Api:
    def __init__(self) -> None:
        self.urls: dict[str, str] = {}
        self.next: str | None = None
        self.server = FakeServer(self).start()

    def __call__(self, request: Request) -> Response:
        if request.path.endswith("/predictions") and request.method == "POST":
            return Response.json_body({"id": "p1", "status": "starting", "urls": self.urls}, 201)
        if request.path == "/stream/p1":
            return Response(200, {"content-type": "text/event-stream"}, [(OUTPUT, 0)])
        if request.path == "/v1/models":
            return Response.json_body({"results": [{"owner": "a", "name": "b"}], "next": self.next})
        return Response.json_body({"id": "p1", "status": "succeeded", "metrics": {}})


@pytest.fixture
def servers() -> Iterator[tuple[Api, FakeServer]]:
    api, other = Api(), FakeServer(lambda r: Response(200, {"content-type": "text/event-stream"},
                                                       [(OUTPUT, 0)])).start()
    yield api, other
    api.server.stop()
    other.stop()


def _run(api: Api, call: Any) -> Any:
    import asyncio

    import httpx

    async def go() -> Any:
        async with httpx.AsyncClient(timeout=5) as client:
            return await call(create(spec_for("replicate", api.server.url), client, TOKEN))
    return asyncio.run(go())


def _events(api: Api) -> list[Any]:
    async def collect(provider: Any) -> list[Any]:
        return [e async for e in provider.stream(ask("acme/llm"))]
    return _run(api, collect)  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", ["stream", "get", "cancel"])
def test_a_url_on_another_origin_is_refused_and_gets_nothing(servers: tuple[Api, FakeServer],
                                                             name: str) -> None:
    api, other = servers
    base = api.server.url
    api.urls = {"stream": f"{base}/stream/p1", "get": f"{base}/v1/predictions/p1",
                "cancel": f"{base}/v1/predictions/p1/cancel"}
    api.urls[name] = f"http://localhost:{other.port}/{name}/x"
    (error,) = _events(api)
    assert isinstance(error, StreamError) and error.kind is ErrorKind.BAD_RESPONSE
    assert f"urls.{name} points to another server (http://localhost:{other.port})" in error.message
    assert TOKEN not in error.message
    assert other.requests == []


def test_the_same_origin_still_streams_with_the_token(servers: tuple[Api, FakeServer]) -> None:
    api, _ = servers
    base = api.server.url
    api.urls = {"stream": f"{base}/stream/p1", "get": f"{base}/v1/predictions/p1"}
    events = _events(api)
    assert isinstance(events[-1], StreamDone), events
    stream_call = next(r for r in api.server.requests if r.path == "/stream/p1")
    assert stream_call.headers["authorization"] == f"Bearer {TOKEN}"


def test_an_https_stream_host_gets_no_token() -> None:
    """Replicate's real stream host differs from the API host; its stream URL needs no token
    (Replicate's JS client and the Vercel AI SDK send none), so none is sent."""
    import httpx

    spec = spec_for("replicate", "https://api.replicate.com")
    provider = ReplicateProvider(spec, httpx.AsyncClient(), TOKEN)
    assert "authorization" not in provider._stream_headers("https://stream.replicate.com/v1/x")
    assert provider._stream_headers("https://api.replicate.com/v1/x")["authorization"].endswith(TOKEN)


def test_a_next_page_on_another_origin_is_not_followed(servers: tuple[Api, FakeServer]) -> None:
    api, other = servers
    api.next = f"http://localhost:{other.port}/v1/models?cursor=2"
    models = _run(api, lambda p: p.list_models())
    assert [m.id for m in models] == ["a/b"] and other.requests == []
