"""The debug log: `llmtui --debug` or `LLMTUI_LOG=debug` writes `llmtui.log` in the log dir.

What is logged: each HTTP request's method, host and path (never the query string), the status,
the time to the response headers, request ids, rate-limit headers and the serving backend.
What is never logged: request or response bodies, and any header not on the list below. Every
line goes through `secrets.redact` for each key this process resolved, so a key a server
echoes in a header is masked too. Off by default: nothing is hooked when it is off.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING, Any

from llmtui import paths
from llmtui.core.secrets import redact

if TYPE_CHECKING:
    import httpx

ENV = "LLMTUI_LOG"
LOGGER = "llmtui"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}

# Response headers worth a line: request ids, limits, who served it. Never auth or cookies.
_HEADER_PREFIXES = ("x-ratelimit-", "anthropic-ratelimit-", "ratelimit-", "retry-after")
_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "cf-ray", "openai-processing-ms",
            "x-inference-provider", "openai-model", "x-groq-region", "content-type")

_secrets: set[str] = set()


def level() -> int | None:
    """The level asked for by LLMTUI_LOG, or None when logging is off."""
    return LEVELS.get(os.environ.get(ENV, "").strip().lower())


def enabled() -> bool:
    return level() is not None


def remember_secret(key: str | None) -> None:
    """A key this process uses: every later log line is scrubbed of it."""
    if key and len(key) >= 6:
        _secrets.add(key)


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for key in _secrets:
            text = redact(text, key)
        record.msg, record.args = text, None
        return True


def setup() -> logging.Logger | None:
    """Open the log file once (mode 0600 in a 0700 dir); None when logging is off."""
    wanted = level()
    logger = logging.getLogger(LOGGER)
    if wanted is None:
        return None
    if not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        target = paths.log_file()
        paths.ensure_private_dir(target.parent)
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        handler = logging.FileHandler(target, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(_Redact())
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(wanted)
    return logger


def _interesting(name: str) -> bool:
    return name in _HEADERS or name.startswith(_HEADER_PREFIXES)


async def _on_request(request: httpx.Request) -> None:
    request.extensions["llmtui_started"] = time.perf_counter()
    logging.getLogger(LOGGER + ".http").debug(
        "→ %s %s%s", request.method, request.url.host, request.url.path)


async def _on_response(response: httpx.Response) -> None:
    request = response.request
    started = request.extensions.get("llmtui_started")
    took = f" headers after {time.perf_counter() - started:.3f}s" if started is not None else ""
    headers = " ".join(f"{k}={v}" for k, v in response.headers.items() if _interesting(k.lower()))
    logging.getLogger(LOGGER + ".http").info(
        "← %s %s%s %s%s%s", response.status_code, request.url.host, request.url.path,
        response.http_version, took, f" {headers}" if headers else "")


def http_hooks() -> dict[str, list[Any]]:
    """httpx event hooks for the shared client; empty when logging is off."""
    if setup() is None:
        return {}
    return {"request": [_on_request], "response": [_on_response]}
