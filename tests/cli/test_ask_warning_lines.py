"""`llmtui ask` keeps its stderr warnings off the answer's line (issue 14, tester's LOW).

A server's usage arrives after the last words, so the warning that it was ignored comes while
the answer's line is still open. In a terminal (stdout and stderr on one tty) it must start a
line of its own; a piped answer stays byte for byte what the model said, plus the final newline.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import run_cli, run_in_terminal
from tests.fakes.hostile_wire import FAMILIES
from tests.fakes.server import FakeServer, Request, Response

KEY = {"GROQ_API_KEY": "sk-test-123"}
WARNING = "llmtui: warning: ignored the usage the server reported"


@pytest.fixture
def absurd_usage_server() -> Iterator[FakeServer]:
    def handler(request: Request) -> Response:
        body = FAMILIES["openai"].answer("Hello there", 10**20, 5)  # no newline at the end
        return Response(200, {"content-type": "text/event-stream"}, [(body, 0)])

    server = FakeServer(handler).start()
    yield server
    server.stop()


def test_a_warning_in_a_terminal_starts_its_own_line(
        absurd_usage_server: FakeServer, write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{absurd_usage_server.url}/openai/v1"\n')
    lines = run_in_terminal("ask", "-m", "groq/m", "hi", env=KEY).splitlines()
    assert "Hello there" in lines, lines
    assert any(line.startswith(WARNING) for line in lines), lines


def test_a_piped_answer_is_not_changed_by_the_warning(
        absurd_usage_server: FakeServer, write_config) -> None:  # type: ignore[no-untyped-def]
    write_config(f'[providers.groq]\nbase_url = "{absurd_usage_server.url}/openai/v1"\n')
    result = run_cli("ask", "-m", "groq/m", "hi", env=KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello there\n"
    assert any(line.startswith(WARNING) for line in result.stderr.splitlines()), result.stderr
