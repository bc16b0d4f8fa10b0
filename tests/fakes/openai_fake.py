"""A fake OpenAI-compatible provider, byte for byte as providers.md §1 describes.

The scenario is picked by the requested model name (so one server serves every test):
  ok (any other name)  text, finish chunk, usage chunk, [DONE]
  slow-drip            the same, 50 ms between tokens
  no-usage             no usage chunk (llama.cpp's server does this)
  cached               usage with prompt_tokens_details.cached_tokens
  groq-usage           usage only in x_groq on the final chunk (Groq)
  deepseek-usage       prompt_cache_hit_tokens (DeepSeek)
  429 / 429-once       rate limited (always / only the first request per server)
  429-date-once        429 with `retry-after` as an HTTP-date (first request per server)
  429-reset-once       429 with only `x-ratelimit-reset-*` headers, no retry-after
  502                  plain-text 502 from a proxy
  bad-lines            text, then SSE lines a parser must skip (no colon, unknown field,
                       a `retry:` field, a bare CR), then more text and a normal end
  odd-event            text, then an `event: mystery` frame with non-chunk JSON, then the end
  json-array           text, then a `data:` line holding a JSON array (valid JSON, wrong shape)
  500 / 503            server errors with OpenAI error bodies
  bad-key              401 invalid_api_key
  html                 502 with an HTML page
  200-error            status 200, JSON error body, no stream
  500-midstream        some text, then an error chunk
  drop                 some text, then the connection is cut
  no-done              some text, then the body ends without finish or [DONE]
  malformed            some text, then a `data:` line that is not JSON
  stall                some text, then silence
  unicode              text with U+2028 and emoji, split inside UTF-8 sequences
  zwj-cut              an emoji family cut before each ZWJ, and a CR LF cut in two
  escapes              text containing terminal escape sequences (CSI, OSC 52, OSC 8, BEL,
                       cursor moves, a C1 CSI, backspace, carriage return)
  long-N               N tokens `w0 w1 ...`
  drip-N               N tokens, 20 ms apart
  flood-N[-MS]         N chunks of 5000 `word ` each, no pause (N=800: a 20 MB answer at once);
                       MS: that many ms between chunks (a flood still, but one a test can stop)
  flood-paras-N        the same size in Markdown paragraphs (blank lines, headings)
  flood-think-N        N chunks of 3000 `thought ` as reasoning_content (N=800: 19 MB), then an answer
  keepalive            `: keep-alive` comments before the first token (DeepSeek)
  r-STYLE[-MS]         reasoning streams (reasoning_content, reasoning, <think>...): reasoning_fake.py
Run by hand: `python -m tests.fakes.openai_fake [PORT]`.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from tests.fakes import content_shapes
from tests.fakes.reasoning_fake import reasoning_pieces
from tests.fakes.server import FakeServer, Request, Response

DEFAULT_TEXT = ["Hello", ",", " world", "!"]


def _text_of(content: Any) -> str:
    if isinstance(content, list):
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return str(content)


def sse(data: Any) -> bytes:
    return b"data: " + (data if isinstance(data, bytes) else json.dumps(data).encode()) + b"\n\n"


def chunk(model: str, content: str | None = None, finish: str | None = None, **extra: Any) -> bytes:
    delta: dict[str, Any] = {} if content is None else {"content": content}
    body = {
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        "usage": None,
        **extra,
    }
    return sse(body)


def usage_chunk(model: str, prompt: int, completion: int, cached: int = 0) -> bytes:
    return sse({
        "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
        "model": model, "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion,
                  "prompt_tokens_details": {"cached_tokens": cached},
                  "completion_tokens_details": {"reasoning_tokens": 0}},
    })


def error_body(message: str, type_: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": None, "code": code}}


SSE_HEADERS = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}
RATE_HEADERS = {
    "x-ratelimit-limit-requests": "14400", "x-ratelimit-remaining-requests": "14399",
    "x-ratelimit-reset-requests": "6s", "x-ratelimit-limit-tokens": "18000",
    "x-ratelimit-remaining-tokens": "17990", "x-ratelimit-reset-tokens": "1m0.5s",
}


class OpenAIFake:
    """Handler state: the key it expects, the model list it serves, per-model counters."""

    def __init__(self, expected_key: str | None = None, models_payload: Any = None,
                 auth_header: str = "authorization") -> None:
        self.expected_key = expected_key
        self.auth_header = auth_header
        self.models_payload = models_payload
        self.counts: dict[str, int] = {}

    def _authorised(self, request: Request) -> bool:
        if self.expected_key is None:
            return True
        got = request.headers.get(self.auth_header, "")
        want = self.expected_key if self.auth_header == "api-key" else f"Bearer {self.expected_key}"
        return got == want

    def __call__(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response.json_body(
                error_body("Incorrect API key provided: sk-***", "invalid_request_error",
                           "invalid_api_key"), 401)
        if request.method == "GET" and request.path.endswith("/models"):
            payload = self.models_payload or {
                "object": "list",
                "data": [{"id": "fake-model", "object": "model", "created": 1, "owned_by": "fake"}],
            }
            return Response.json_body(payload)
        if request.method == "POST" and request.path.endswith("/chat/completions"):
            body = request.json()
            problem = content_shapes.first_problem(body.get("messages"), content_shapes.openai_content)
            if problem:
                return Response.json_body(error_body(problem, "invalid_request_error"), 400)
            return self.chat(str(body.get("model", "")), body)
        return Response.json_body(error_body(f"no route {request.path}", "not_found"), 404)

    def chat(self, model: str, body: dict[str, Any]) -> Response:
        self.counts[model] = self.counts.get(model, 0) + 1
        scenario = model.rsplit("/", 1)[-1]
        prompt_tokens = sum(len(_text_of(m.get("content", ""))) // 4 + 1 for m in body["messages"])
        prompt_tokens += content_shapes.IMAGE_TOKENS * content_shapes.image_count(body["messages"])
        text = DEFAULT_TEXT
        ok = [(chunk(model, "", None), 0)] + [(chunk(model, t), 0) for t in text]
        tail = [(chunk(model, None, "stop"), 0),
                (usage_chunk(model, prompt_tokens, len(text)), 0), (sse(b"[DONE]"), 0)]
        partial = [(chunk(model, "Partial"), 0), (chunk(model, " answer"), 0)]
        stream = lambda pieces, **kw: Response(200, {**SSE_HEADERS, **RATE_HEADERS}, pieces, **kw)  # noqa: E731

        thinking = reasoning_pieces(model, prompt_tokens)
        if thinking is not None:
            return stream(thinking)
        if scenario == "slow-drip":
            return stream([(p, 0.05) for p, _ in ok] + tail)
        if scenario == "no-usage":
            return stream(ok + [tail[0], tail[2]])
        if scenario == "cached":
            return stream(ok + [tail[0], (usage_chunk(model, 1000, 4, cached=800), 0), tail[2]])
        if scenario == "groq-usage":
            x_groq = {"id": "req_1", "usage": {"queue_time": 0.01, "prompt_tokens": 20,
                      "completion_tokens": 4, "total_tokens": 24,
                      "prompt_tokens_details": {"cached_tokens": 10}}}
            return stream(ok + [(chunk(model, None, "stop", x_groq=x_groq), 0), tail[2]])
        if scenario == "deepseek-usage":
            usage = sse({"id": "x", "object": "chat.completion.chunk", "model": model, "choices": [],
                         "usage": {"prompt_tokens": 100, "completion_tokens": 4, "total_tokens": 104,
                                   "prompt_cache_hit_tokens": 60, "prompt_cache_miss_tokens": 40}})
            return stream(ok + [tail[0], (usage, 0), tail[2]])
        if scenario == "keepalive":
            return stream([(b": keep-alive\n\n", 0.01), (b": keep-alive\n\n", 0.01)] + ok + tail)
        if scenario == "429" or (scenario == "429-once" and self.counts[model] == 1):
            return Response.json_body(
                error_body("Rate limit reached for model in organization on tokens per minute "
                           "(TPM): Limit 15000. Please try again in 1s.", "tokens",
                           "rate_limit_exceeded"),
                429, {"retry-after": "0.2" if scenario == "429-once" else "1", **RATE_HEADERS})
        if scenario == "429-date-once" and self.counts[model] == 1:
            from email.utils import formatdate

            when = formatdate(time.time() + 1, usegmt=True)  # whole seconds: waits 0-1 s
            return Response.json_body(error_body("Rate limit reached", "requests",
                                                 "rate_limit_exceeded"), 429, {"retry-after": when})
        if scenario == "429-reset-once" and self.counts[model] == 1:
            reset = {**RATE_HEADERS, "x-ratelimit-remaining-requests": "0",
                     "x-ratelimit-reset-requests": "0.2s"}
            return Response.json_body(error_body("Rate limit reached", "requests",
                                                 "rate_limit_exceeded"), 429, reset)
        if scenario == "502":
            return Response.raw(b"upstream connect error", 502, "text/plain")
        if scenario == "bad-lines":
            junk = b"garbage line without a colon\nx-unknown: 1\nretry: 1000\n\r\n"
            return stream(partial + [(junk, 0), (chunk(model, " more"), 0)] + tail)
        if scenario == "odd-event":
            odd = b'event: mystery\ndata: {"type": "mystery", "value": 1}\n\n'
            return stream(partial + [(odd, 0)] + tail)
        if scenario == "json-array":
            return stream(partial + [(sse(b"[1, 2, 3]"), 0)] + tail)
        if scenario in ("500", "503"):
            return Response.json_body(error_body("The server had an error", "server_error"),
                                      int(scenario))
        if scenario == "bad-key":
            return Response.json_body(
                error_body("Incorrect API key provided", "invalid_request_error",
                           "invalid_api_key"), 401)
        if scenario == "html":
            return Response.raw(b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                                b"<body>nginx</body></html>", 502, "text/html")
        if scenario == "200-error":
            return Response.json_body(error_body("model is overloaded", "server_error"), 200)
        if scenario == "500-midstream":
            return stream(partial + [(sse(error_body("upstream failed", "server_error")), 0)])
        if scenario == "drop":
            return stream(partial, drop=True)
        if scenario == "no-done":
            return stream(partial)
        if scenario == "malformed":
            return stream(partial + [(b"data: {not json\n\n", 0)])
        if scenario == "stall":
            return stream(partial + [(b": still here\n\n", 30)])
        if scenario == "unicode":
            raw = "line\u2028sep caf\u00e9 \U0001f600 done".encode()
            body = json.dumps({"id": "x", "object": "chat.completion.chunk", "model": model,
                               "choices": [{"index": 0, "delta": {"content":
                                            "line\u2028sep caf\u00e9 \U0001f600 done"},
                                            "finish_reason": None}]},
                              ensure_ascii=False).encode()
            frame = b"data: " + body + b"\n\n"
            cut = frame.index(raw[raw.index(b"\xf0"):][:2]) + 1  # split inside the emoji
            return stream([(frame[:cut], 0), (frame[cut:], 0.01)] + tail)
        if scenario == "escapes":
            evil = ("safe\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"
                    "\x1b[3A\x1b[10D\x9b2K\x08\r end")  # cursor up/left, C1 CSI, BS, CR
            return stream([(chunk(model, evil), 0)] + tail)
        if scenario == "zwj-cut":  # an emoji family cut before each ZWJ, a CR LF cut in two
            pieces = ["family \U0001f468", "\u200d\U0001f469", "\u200d\U0001f467 end z\r", "\nw done"]
            return stream([(chunk(model, p), 0.03) for p in pieces] + tail)
        if scenario.startswith("drip-"):
            n = int(scenario.split("-", 1)[1])
            pieces = [(chunk(model, f"w{i} "), 0.02) for i in range(n)]
            return stream(pieces + [tail[0], (usage_chunk(model, prompt_tokens, n), 0), tail[2]])
        if scenario.startswith(("flood-paras-", "flood-think-")):
            n = int(scenario.rsplit("-", 1)[1])
            if scenario.startswith("flood-paras-"):  # Markdown paragraphs, a heading now and then
                text = ("## Part\n\n" + ("word " * 99 + "word.\n\n") * 9)[:25_000]
                pieces = [(chunk(model, text), 0) for _ in range(n)]
            else:  # the thought floods, then a short answer
                thought = {"role": "assistant", "content": None, "reasoning_content": "thought " * 3000}
                pieces = [(sse({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "model": model,
                                "choices": [{"index": 0, "delta": thought, "finish_reason": None}]}), 0)
                          for _ in range(n)] + [(chunk(model, "The answer."), 0)]
            return stream(pieces + [tail[0], (usage_chunk(model, prompt_tokens, n * 5000), 0), tail[2]])
        if scenario.startswith("flood-"):
            _, count, *pause = scenario.split("-")
            n, wait = int(count), (int(pause[0]) / 1000 if pause else 0)
            pieces = [(chunk(model, "word " * 5000), wait) for _ in range(n)]
            return stream(pieces + [tail[0], (usage_chunk(model, prompt_tokens, n * 5000), 0), tail[2]])
        if scenario.startswith("long-"):
            n = int(scenario.split("-", 1)[1])
            pieces = [(chunk(model, f"w{i} "), 0) for i in range(n)]
            return stream(pieces + [tail[0], (usage_chunk(model, prompt_tokens, n), 0), tail[2]])
        return stream(ok + tail)


def start_openai_fake(**kwargs: Any) -> tuple[FakeServer, OpenAIFake]:
    fake = OpenAIFake(**kwargs)
    return FakeServer(fake).start(), fake


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    server = FakeServer(OpenAIFake(), port).start()
    print(f"fake OpenAI-compatible provider on {server.url}/v1 (Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
