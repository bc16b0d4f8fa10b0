"""A fake Cohere v2 Chat API, as providers.md §15 and cohere-python's v2 client describe.

SSE `data:` lines carry typed JSON events (no `event:` lines). Scenario by model name:
  ok (any other name)  message-start, content-start, content-deltas, content-end, message-end
  done-marker          the same plus a trailing `data: [DONE]`
  cached               usage with cached_tokens
  429 / 429-once       {"message": ...} with retry-after
  500                  server error
  498                  Cohere's invalid-token status
  error-finish         text, then message-end with finish_reason ERROR and delta.error
  drop                 text, then the connection is cut
  thinking             a thinking content block (content-start type thinking, deltas carrying
                       `content.thinking`), then the text block at index 1 (Command A Reasoning)
Run by hand: `python -m tests.fakes.cohere_fake [PORT]`.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from tests.fakes import content_shapes
from tests.fakes.server import FakeServer, Request, Response

TEXT = ["Hello", " from", " Command", "!"]
SSE_HEADERS = {"content-type": "text/event-stream", "cache-control": "no-cache"}


def sse(data: Any) -> bytes:
    return b"data: " + (data if isinstance(data, bytes) else json.dumps(data).encode()) + b"\n\n"


def content_delta(text: str) -> bytes:
    return sse({"type": "content-delta", "index": 0, "delta": {"message": {"content": {"text": text}}}})


def message_end(finish: str = "COMPLETE", cached: int = 0, error: str | None = None) -> bytes:
    delta: dict[str, Any] = {"finish_reason": finish, "usage": {
        "billed_units": {"input_tokens": 5, "output_tokens": 4},
        "tokens": {"input_tokens": 71, "output_tokens": 5}, "cached_tokens": cached}}
    if error:
        delta["error"] = error
    return sse({"type": "message-end", "delta": delta})


class CohereFake:
    def __init__(self, expected_key: str = "co-test-key") -> None:
        self.expected_key = expected_key
        self.counts: dict[str, int] = {}
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.expected_key}":
            return Response.json_body({"id": "e1", "message": "invalid api token"}, 401)
        if request.method == "GET" and request.path == "/v1/models":
            return Response.json_body({"models": [
                {"name": "command-a-03-2025", "endpoints": ["chat"], "finetuned": False,
                 "context_length": 256000, "tokenizer_url": "https://x", "default_endpoints": [],
                 "features": ["tools"], "is_deprecated": False},
                {"name": "command-r7b-12-2024", "endpoints": ["chat"], "context_length": 128000}],
                "next_page_token": None})
        if request.method == "POST" and request.path == "/v2/chat":
            body = request.json()
            self.bodies.append(body)
            problem = content_shapes.first_problem(body.get("messages"), content_shapes.openai_content)
            if problem:
                return Response.json_body({"id": "e2", "message": problem}, 400)
            return self.chat(str(body.get("model", "")))
        return Response.json_body({"message": f"no route {request.path}"}, 404)

    def chat(self, model: str) -> Response:
        self.counts[model] = self.counts.get(model, 0) + 1
        head = [
            (sse({"id": "a1", "type": "message-start", "delta": {"message": {
                "role": "assistant", "content": [], "tool_plan": "", "tool_calls": [],
                "citations": []}}}), 0),
            (sse({"type": "content-start", "index": 0,
                  "delta": {"message": {"content": {"type": "text", "text": ""}}}}), 0),
        ]
        body = [(content_delta(t), 0) for t in TEXT]
        end = (sse({"type": "content-end", "index": 0}), 0)

        def stream(pieces: list[tuple[bytes, float]], **kw: Any) -> Response:
            return Response(200, SSE_HEADERS, pieces, **kw)

        if model == "429" or (model == "429-once" and self.counts[model] == 1):
            return Response.json_body({"id": "e2", "message": "You are using a Trial key, which is "
                                       "limited to 10 API calls / minute."}, 429,
                                      {"retry-after": "0.2" if model == "429-once" else "3"})
        if model == "500":
            return Response.json_body({"id": "e3", "message": "internal server error"}, 500)
        if model == "498":
            return Response.json_body({"id": "e4", "message": "invalid token"}, 498)
        if model == "error-finish":
            return stream(head + body[:2] + [(message_end("ERROR", error="model overloaded"), 0)])
        if model == "drop":
            return stream(head + body[:2], drop=True)
        if model == "cached":
            return stream(head + body + [end, (message_end(cached=3), 0)])
        if model == "thinking":
            thought = [(sse({"type": "content-start", "index": 0, "delta": {"message": {
                "content": {"type": "thinking", "thinking": ""}}}}), 0)]
            thought += [(sse({"type": "content-delta", "index": 0, "delta": {"message": {
                "content": {"thinking": t}}}}), 0) for t in ("Let me", " think", ".")]
            thought += [(sse({"type": "content-end", "index": 0}), 0),
                        (sse({"type": "content-start", "index": 1, "delta": {"message": {
                            "content": {"type": "text", "text": ""}}}}), 0)]
            return stream(head[:1] + thought + body + [end, (message_end(), 0)])
        if model == "done-marker":
            return stream(head + body + [end, (message_end(), 0), (sse(b"[DONE]"), 0)])
        return stream(head + body + [end, (message_end(), 0)])


def start_cohere_fake(**kwargs: Any) -> tuple[FakeServer, CohereFake]:
    fake = CohereFake(**kwargs)
    return FakeServer(fake).start(), fake


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8767
    server = FakeServer(CohereFake(), port).start()
    print(f"fake Cohere on {server.url} (key co-test-key; Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
