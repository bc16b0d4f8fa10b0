"""Without the [local] extra the local provider says how to install it (runs in every setup)."""

from __future__ import annotations

import sys

import pytest

from llmtui.providers.base import ChatMessage, ChatRequest, ErrorKind, KeyStatus, StreamError
from llmtui.providers.local import LocalProvider
from llmtui.providers.presets import PRESETS


async def test_missing_llama_cpp_is_a_config_error_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A None entry in sys.modules is how Python itself marks a module as unimportable.
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    provider = LocalProvider(PRESETS["local"], None, None)
    request = ChatRequest(model="smollm2", messages=(ChatMessage("user", "hi"),), max_tokens=4)
    events = [event async for event in provider.stream(request)]
    assert len(events) == 1
    error = events[0]
    assert isinstance(error, StreamError) and error.kind is ErrorKind.CONFIG
    assert "llmtui[local]" in error.message
    assert await provider.check_key() == (KeyStatus.OK, "no key needed")
