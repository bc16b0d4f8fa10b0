"""Where a key may be sent, and how much of a body llmtui reads.

A key goes only to the configured API origin (scheme, host, port of base_url), and over
plain http:// only to this machine unless the provider entry says `allow_insecure = true`.
A body that is not a stream is read up to MAX_BODY_BYTES (an error body up to
MAX_ERROR_BODY_BYTES, the rest ignored); more is refused with TooLarge.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from llmtui.providers.base import ProviderSpec, TooLarge

if TYPE_CHECKING:
    import httpx

MAX_BODY_BYTES = 32 * 1024 * 1024
"""A whole (non-streamed) answer, a model list page, a prediction: the largest real ones are
a few MB."""
MAX_ERROR_BODY_BYTES = 64 * 1024


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in; ValueError if unusable."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def same_origin(url: str, base_url: str) -> bool:
    try:
        return origin(url) == origin(base_url)
    except ValueError:
        return False


def is_loopback(url: str) -> bool:
    """Is this URL's host this machine (so plain http never leaves it)?"""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_key_problem(spec: ProviderSpec, key: str | None) -> str | None:
    """Why the key must not be sent to this provider's base_url, or None."""
    url = spec.base_url
    if not key or not url or not url.lower().startswith("http://") or is_loopback(url):
        return None
    if spec.options.get("allow_insecure"):
        return None
    try:
        host = origin(url)[1]
    except ValueError:
        host = "the configured host"
    return (
        f"{spec.label or spec.id}: refusing to send the API key over plain http:// to {host} "
        f"(anyone on the way can read it); use https://, or set allow_insecure = true in "
        f"[providers.{spec.id}] if this network is trusted"
    )


async def read_limited(chunks: AsyncIterable[bytes], limit: int, *, truncate: bool = False,
                       start: bytes = b"") -> bytes:
    """A body (`start`, then `chunks`) up to `limit` bytes: cut there when `truncate`, else
    TooLarge."""
    parts: list[bytes] = [start]
    size = len(start)
    async for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            if truncate:
                break
            raise TooLarge(f"the response is larger than {limit:,} bytes")
    return b"".join(parts)[:limit]


async def fetch(client: httpx.AsyncClient, method: str, url: str, *,
                limit: int | None = None, **kwargs: Any) -> httpx.Response:
    """`client.request`, with the body read within the limits above (httpx reads all of it)."""
    import httpx

    async with client.stream(method, url, **kwargs) as response:
        failed = response.status_code >= 400
        body = await read_limited(response.aiter_bytes(),
                                  MAX_ERROR_BODY_BYTES if failed else limit or MAX_BODY_BYTES,
                                  truncate=failed)
        # The body is decoded already: drop the headers that would make httpx decode it again.
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=body,
                              request=response.request)
