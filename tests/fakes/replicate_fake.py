"""A fake Replicate API: predictions, their SSE stream, metrics and cancel (providers.md §6).

The created prediction's `urls` point back at this server. Scenario by model NAME
(`OWNER/NAME`; a `:VERSION` goes through POST /v1/predictions):
  ok (any other name)  output events (one token has a newline: two `data:` lines), done {}
  no-tokens            metrics without token counts (a time-billed model)
  error                some output, then `event: error`, then done {"reason":"error"}
  canceled             some output, then done {"reason":"canceled"}
  slow                 one output event, then silence for a while (cancel tests)
  no-stream            the prediction has no urls.stream
  429 / 429-once       RFC 7807 throttling on create
  500                  server error on create
  drop                 some output, then the connection is cut
Run by hand: `python -m tests.fakes.replicate_fake [PORT]`.
"""

from __future__ import annotations

import itertools
import sys
import time
from typing import Any

from tests.fakes.server import FakeServer, Request, Response

SSE_HEADERS = {"content-type": "text/event-stream", "cache-control": "no-store"}


def sse(event: str, data: str, id_: str) -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"event: {event}\nid: {id_}\n{lines}\n".encode()


def problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "https://replicate.com/docs/errors", "title": title, "status": status,
            "detail": detail}


class ReplicateFake:
    def __init__(self, expected_key: str = "r8_test") -> None:
        self.expected_key = expected_key
        self.url = ""  # set once the server runs
        self.counts: dict[str, int] = {}
        self.predictions: dict[str, dict[str, Any]] = {}
        self.canceled: list[str] = []
        self._ids = itertools.count(1)

    def __call__(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.expected_key}":
            return Response.json_body(problem(401, "Unauthenticated",
                                              "You did not pass a valid authentication token"), 401,
                                      {"content-type": "application/problem+json"})
        path = request.path
        if request.method == "POST" and path.startswith("/v1/models/") and path.endswith("/predictions"):
            owner, name = path.split("/")[3:5]
            return self.create(f"{owner}/{name}", None, request.json())
        if request.method == "POST" and path == "/v1/predictions":
            body = request.json()
            return self.create("version", str(body.get("version")), body)
        if request.method == "POST" and path.endswith("/cancel"):
            pid = path.split("/")[3]
            self.canceled.append(pid)
            self.predictions[pid]["status"] = "canceled"
            return Response.json_body(self.predictions[pid])
        if request.method == "GET" and path.startswith("/v1/predictions/"):
            return Response.json_body(self.predictions[path.split("/")[3]])
        if request.method == "GET" and path.startswith("/stream/"):
            return self.stream(path.split("/")[2])
        if request.method == "GET" and path == "/v1/models":
            return Response.json_body({"next": None, "previous": None, "results": [
                {"url": "https://replicate.com/meta/meta-llama-3-8b-instruct", "owner": "meta",
                 "name": "meta-llama-3-8b-instruct", "description": "An 8B chat model",
                 "visibility": "public", "run_count": 1}]})
        if request.method == "GET" and path == "/v1/account":
            return Response.json_body({"type": "user", "username": "tester", "name": "T"})
        return Response.json_body(problem(404, "Not found", f"no route {path}"), 404)

    def create(self, model: str, version: str | None, body: dict[str, Any]) -> Response:
        name = model.split("/")[-1]
        self.counts[name] = self.counts.get(name, 0) + 1
        if name == "429" or (name == "429-once" and self.counts[name] == 1):
            return Response.json_body(
                problem(429, "Request was throttled",
                        "Request was throttled. Your rate limit resets in ~30s."), 429,
                {"retry-after": "0.2" if name == "429-once" else "30"})
        if name == "500":
            return Response.json_body(problem(500, "Internal Server Error", "boom"), 500)
        pid = f"p{next(self._ids)}"
        urls = {"get": f"{self.url}/v1/predictions/{pid}",
                "cancel": f"{self.url}/v1/predictions/{pid}/cancel",
                "stream": f"{self.url}/stream/{pid}"}
        if name == "no-stream":
            del urls["stream"]
        prediction = {"id": pid, "model": model, "version": version or "dp-abc", "input": body["input"],
                      "logs": "", "output": None, "error": None, "status": "starting",
                      "created_at": "2026-01-01T00:00:00Z", "urls": urls, "_scenario": name}
        self.predictions[pid] = prediction
        public = {k: v for k, v in prediction.items() if not k.startswith("_")}
        return Response.json_body(public, 201)

    def stream(self, pid: str) -> Response:
        prediction = self.predictions[pid]
        scenario = prediction["_scenario"]
        ids = (f"1690212292:{i}" for i in itertools.count())
        out = [(sse("output", t, next(ids)), 0) for t in ["Once upon", " a time\nthere", " was"]]
        metrics = {"predict_time": 1.25, "total_time": 1.5}
        if scenario != "no-tokens":
            metrics.update(input_token_count=12, output_token_count=7, tokens_per_second=40.0,
                           time_to_first_token=0.1)
        prediction.update(status="succeeded", metrics=metrics, output=["Once upon", " a time\nthere", " was"])

        def stream(pieces: list[tuple[bytes, float]], **kw: Any) -> Response:
            return Response(200, SSE_HEADERS, pieces, **kw)

        if scenario == "error":
            prediction.update(status="failed", error="CUDA out of memory")
            return stream(out[:1] + [(sse("error", '{"detail": "CUDA out of memory"}', next(ids)), 0),
                                     (sse("done", '{"reason": "error"}', next(ids)), 0)])
        if scenario == "canceled":
            prediction.update(status="canceled")
            return stream(out[:1] + [(sse("done", '{"reason": "canceled"}', next(ids)), 0)])
        if scenario == "slow":
            prediction.update(status="processing", metrics={})
            return stream(out[:1] + [(sse("output", " later", next(ids)), 3)])
        if scenario == "drop":
            return stream(out[:2], drop=True)
        return stream(out + [(sse("logs", "generated 7 tokens", next(ids)), 0),
                             (sse("done", "{}", next(ids)), 0)])


def start_replicate_fake(**kwargs: Any) -> tuple[FakeServer, ReplicateFake]:
    fake = ReplicateFake(**kwargs)
    server = FakeServer(fake).start()
    fake.url = server.url
    return server, fake


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8768
    fake = ReplicateFake()
    server = FakeServer(fake, port).start()
    fake.url = server.url
    print(f"fake Replicate on {server.url} (key r8_test; Ctrl+C to stop)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
