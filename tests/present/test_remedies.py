"""The TUI's remedy line says what the error does not already say (issue 12 tester #12)."""

from __future__ import annotations

import pytest

from llmtui.core.retry import wait_span
from llmtui.present.remedies import remedy_text
from llmtui.providers.base import ErrorKind, Remedy, StreamError


def keys(binding_id: str) -> str | None:
    return {"chat.rerun": "alt+u", "app.keys": "alt+k"}.get(binding_id)


def test_a_long_server_wait_is_not_called_a_moment() -> None:
    error = StreamError(ErrorKind.RATE_LIMIT, "HTTP 429 (try again in 27 h 47 min (after …))", 429,
                        99999.0, Remedy.RETRY_LATER)
    assert remedy_text(error, keys) == "press alt+u to rerun on another model meanwhile"


@pytest.mark.parametrize("wait", [None, 5.0])
def test_a_short_or_unknown_wait_is_a_moment(wait: float | None) -> None:
    error = StreamError(ErrorKind.RATE_LIMIT, "HTTP 429", 429, wait, Remedy.RETRY_LATER)
    assert remedy_text(error, keys) == "try again in a moment, or press alt+u to rerun on another model"


@pytest.mark.parametrize(("seconds", "shown"), [
    (1, "1s"), (42.4, "42s"), (89, "89s"), (90, "2 min"), (1020, "17 min"), (5340, "89 min"),
    (5400, "1 h 30 min"), (7200, "2 h"), (99999, "27 h 47 min"), (2678400, "31 days"),
])
def test_a_wait_reads_as_a_person_says_it(seconds: float, shown: str) -> None:
    assert wait_span(seconds) == shown


def test_the_status_is_said_once() -> None:
    from llmtui.present.remedies import error_text

    said = StreamError(ErrorKind.AUTH, "loop: HTTP 401: Incorrect API key", 401, None, Remedy.ADD_KEY)
    bare = StreamError(ErrorKind.AUTH, "Incorrect API key", 401, None, Remedy.ADD_KEY)
    assert error_text(said, keys).splitlines()[0] == "⚠ auth: loop: HTTP 401: Incorrect API key"
    assert error_text(bare, keys).splitlines()[0] == "⚠ auth (HTTP 401): Incorrect API key"
