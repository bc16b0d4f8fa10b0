"""Parsers fed hostile input fail only in their own clear way, never with a stray exception.

tests/providers/test_sse.py fuzzes the SSE decoder with random bytes and splits and
tests/core/test_config.py feeds the config loader random text (which is rarely valid TOML);
these add random bytes to the Bedrock event-stream decoder, corrupted real frames, and
well-formed TOML with random keys and values of every type in llmtui's own tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtui.core.config import Config, ConfigError, parse_config
from llmtui.providers.eventstream import EventStreamDecoder, EventStreamError
from tests.fakes.bedrock_fake import event, frame, string_header
from tests.providers.helpers import split

P = Path("/cfg/config.toml")
STREAM = (event("messageStart", {"role": "assistant"})
          + event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Hi"}})
          + frame(string_header(":event-type", "messageStop"), b'{"stopReason":"end_turn"}'))


def decode(pieces: list[bytes]) -> int:
    decoder = EventStreamDecoder()
    count = 0
    try:
        for piece in pieces:
            count += len(decoder.feed(piece))
        decoder.close()
    except EventStreamError as exc:
        assert str(exc)  # the decoder's own error, with a message
    return count


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(min_value=0, max_value=300), max_size=8))
def test_event_stream_random_bytes_raise_only_its_own_error(raw: bytes, cuts: list[int]) -> None:
    decode(split(raw, cuts))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=len(STREAM) - 1), st.integers(min_value=1, max_value=255),
       st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=6))
def test_event_stream_corrupted_byte_is_caught(at: int, flip: int, cuts: list[int]) -> None:
    bad = bytearray(STREAM)
    bad[at] ^= flip
    messages = decode(split(bytes(bad), cuts))
    # CRC32 catches every single-byte change: the damaged frame never comes out as a message
    assert messages < 3


TABLES = ["providers.groq", "providers.mine", "prices.\"groq/x\"", "defaults", "budget", "network",
          "keymap", "ui", "providers"]
KEYS = ["base_url", "kind", "headers", "models", "model", "compare", "system", "temperature",
        "max_tokens", "input", "output", "cached_input", "daily_usd", "monthly_usd", "per_request_usd",
        "connect_timeout", "read_timeout", "idle_timeout", "max_retries", "max_retry_wait", "theme",
        "region", "api_key_env", "model_paths", "bill_to", "label", "x"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["groq/x", "demo/simulated", "http://127.0.0.1:1/v1", "openai", "1e400", "nan"]),
    st.dates(), st.datetimes(),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)), max_leaves=6)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(TABLES), st.dictionaries(st.sampled_from(KEYS), values,
                                                                 max_size=5), max_size=4),
       st.dictionaries(st.sampled_from(KEYS + ["theme"]), scalars, max_size=2))
def test_random_well_formed_toml_gives_config_or_one_line_error(tables: dict[str, Any],
                                                                top: dict[str, Any]) -> None:
    doc: dict[str, Any] = _drop_none(dict(top))
    for name, body in tables.items():
        node = doc
        parts = [p.strip('"') for p in name.split(".", 1)]
        for part in parts[:-1]:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
        node[parts[-1]] = _drop_none(body)
    text = tomli_w.dumps(doc)
    try:
        config = parse_config(text, P)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(str(P)) and "\n" not in message, message
    else:
        assert isinstance(config, Config)
