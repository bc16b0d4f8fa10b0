"""What every native HTTP adapter shares: its spec, the app's HTTP client, the key, URLs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from llmtui.providers.base import ChatRequest, ProviderSpec, StreamEvent
from llmtui.providers.http_errors import guarded

if TYPE_CHECKING:
    import httpx


class HttpAdapter:
    """Base for adapters that talk JSON over the app's shared httpx client.

    Subclasses write `_stream` (the provider's wire format) and override `_auth_headers`
    when the provider does not take a Bearer token.
    """

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient, key: str | None) -> None:
        self.spec = spec
        self._client = client
        self._key = key

    @property
    def label(self) -> str:
        return self.spec.display_name

    def _auth_headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self._key}"} if self._key else {}

    def _headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json", **self._auth_headers()}
        headers.update(self.spec.headers)
        return headers

    def _url(self, path: str) -> str:
        return f"{self.spec.base_url.rstrip('/')}{path}"

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Always ends in StreamDone or StreamError; closing it closes the adapter's stream too
        (which is how Replicate cancels a prediction the user stopped reading)."""
        return guarded(self.label, self._stream(request))

    def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        raise NotImplementedError
