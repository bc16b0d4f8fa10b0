"""OpenAIFake plus the HF router's and xAI's additions, for model-list and catalog tests
(the `serve` fixture in tests/conftest.py starts one fresh per test, so request counts are exact)."""

from __future__ import annotations

from typing import Any

from tests.fakes.model_lists import XAI_LANGUAGE_MODELS
from tests.fakes.openai_fake import OpenAIFake
from tests.fakes.server import Request, Response

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
