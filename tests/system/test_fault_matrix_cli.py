"""The fault matrix for `llmtui ask`: every failure is one clear line, and nothing received is lost.

Run in-process through `llmtui.cli.main` (the same code the console script runs) against the
loopback fakes, so the whole matrix costs little CPU; tests/cli/test_ask.py and
test_two_processes.py / test_durability.py run the real console script in subprocesses.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from llmtui.cli import main
from tests.fakes.anthropic_fake import AnthropicFake
from tests.fakes.server import FakeServer

KEY = "sk-test-123"
NET = "[network]\nmax_retries = 1\nmax_retry_wait = 2\nidle_timeout = 0.5\nread_timeout = 0.7\n"


def groq(url: str) -> str:
    return f'[providers.groq]\nbase_url = "{url}"\n\n{NET}'


def rows(isolated_env: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(isolated_env / "data" / "llmtui" / "llmtui.sqlite3")
    try:
        return db.execute("SELECT role, content, status FROM messages ORDER BY id").fetchall()
    finally:
        db.close()


def ask(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["ask", *args])
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("llmtui: ") and "retrying" not in line]


# fault (model name on the OpenAI fake) -> (kind, words the line must hold, text kept)
OPENAI_FAULTS = {
    "500": ("server", "HTTP 500", ""),
    "502": ("server", "HTTP 502", ""),
    "503": ("server", "HTTP 503", ""),
    "html": ("server", "HTML error page: 502 Bad Gateway", ""),
    "200-error": ("bad_response", "model is overloaded", ""),
    "500-midstream": ("server", "upstream failed", "Partial answer"),
    "drop": ("network", "connection dropped mid-stream", "Partial answer"),
    "no-done": ("network", "ended before the answer was complete", "Partial answer"),
    "malformed": ("bad_response", "not JSON", "Partial answer"),
    "json-array": ("bad_response", "unexpected chunk", "Partial answer"),
    "stall": ("network", "stalled for 0.5s", "Partial answer"),
}


@pytest.mark.parametrize("fault", OPENAI_FAULTS)
def test_openai_faults_one_line_naming_provider_and_text_kept(  # type: ignore[no-untyped-def]
        fault: str, write_config, fake_url: str, isolated_env: Path, capsys, monkeypatch) -> None:
    kind, needle, kept = OPENAI_FAULTS[fault]
    write_config(groq(f"{fake_url}/openai/v1"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    code, out, err = ask(capsys, "-m", f"groq/{fault}", "hi")
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith(f"llmtui: {kind}: Groq: ") and needle in line
    assert " — " in line or "raise [network] idle_timeout" in line  # ... and what to do
    assert "Traceback" not in err
    assert out == (kept + "\n" if kept else "")
    status = "interrupted" if kept else "error"
    assert rows(isolated_env) == [("user", "hi", "done"), ("assistant", kept, status)]


def test_server_errors_are_retried_only_before_text(write_config, fake_url: str, openai_server,  # type: ignore[no-untyped-def]
                                                    capsys, monkeypatch) -> None:
    server, fake = openai_server
    write_config(groq(f"{fake_url}/openai/v1"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    before = fake.counts.get("503", 0), fake.counts.get("500-midstream", 0)
    _, _, err = ask(capsys, "-m", "groq/503", "hi")
    assert "retrying in" in err
    ask(capsys, "-m", "groq/500-midstream", "hi")
    after = fake.counts["503"], fake.counts["500-midstream"]
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)  # one retry; none after text


@pytest.mark.parametrize(("scenario", "wait"), [
    ("429-once", (0.15, 0.25)),          # retry-after: 0.2 (seconds)
    ("429-date-once", (0.0, 1.01)),      # retry-after: an HTTP-date about a second ahead
    ("429-reset-once", (0.15, 0.22)),    # no retry-after; x-ratelimit-reset-requests: 0.2s (backoff: 0.25+)
])
def test_429_waits_as_told_then_one_answer_billed_once(  # type: ignore[no-untyped-def]
        scenario: str, wait: tuple[float, float], write_config, fake_url: str, openai_server,
        isolated_env: Path, capsys, monkeypatch) -> None:
    server, fake = openai_server
    write_config(groq(f"{fake_url}/openai/v1"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    fake.counts.pop(scenario, None)  # the fake limits the first request per model name
    code, out, err = ask(capsys, "-m", f"groq/{scenario}", "hi")
    assert code == 0, err
    assert out == "Hello, world!\n"
    retry = [line for line in err.splitlines() if "retrying in" in line]
    assert len(retry) == 1 and "HTTP 429" in retry[0]
    shown = float(retry[0].split("retrying in ")[1].split("s")[0])
    assert wait[0] <= shown <= wait[1]
    assert rows(isolated_env) == [("user", "hi", "done"), ("assistant", "Hello, world!", "done")]


def test_429_that_persists_says_when_to_try_again(write_config, fake_url: str, capsys,  # type: ignore[no-untyped-def]
                                                  monkeypatch) -> None:
    write_config(groq(f"{fake_url}/openai/v1").replace("max_retries = 1", "max_retries = 0"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    code, _, err = ask(capsys, "-m", "groq/429", "hi")
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith("llmtui: rate_limit: Groq: HTTP 429") and "try again in 1s" in line


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("where", "needle"), [
    ("refused", "cannot connect: connection refused by 127.0.0.1:"),
    ("dns", "cannot connect: no such host nohost.invalid (DNS"),
    ("tls", "TLS error"),
])
def test_unreachable_endpoints(where: str, needle: str, write_config, fake_url: str,  # type: ignore[no-untyped-def]
                               isolated_env: Path, capsys, monkeypatch) -> None:
    url = {
        "refused": f"http://127.0.0.1:{_closed_port()}/v1",
        "dns": "https://nohost.invalid/v1",  # .invalid never resolves; nothing leaves the machine
        "tls": fake_url.replace("http://", "https://") + "/v1",  # TLS to a plain-HTTP port
    }[where]
    write_config(groq(url).replace("max_retries = 1", "max_retries = 0"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    code, out, err = ask(capsys, "-m", "groq/ok", "hi")
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert line.startswith("llmtui: network: Groq: ") and needle in line
    assert "base_url" in line  # what to check
    assert rows(isolated_env)[-1] == ("assistant", "", "error")


def test_read_timeout_before_the_first_byte(write_config, isolated_env: Path, capsys,  # type: ignore[no-untyped-def]
                                            monkeypatch) -> None:
    from tests.fakes.server import Response

    silent = FakeServer(lambda request: Response(200, {"content-type": "text/event-stream"},
                                                 [(b": hello\n\n", 5)])).start()
    try:
        write_config(groq(silent.url + "/v1").replace("max_retries = 1", "max_retries = 0"))
        monkeypatch.setenv("GROQ_API_KEY", KEY)
        code, _, err = ask(capsys, "-m", "groq/ok", "hi")
    finally:
        silent.stop()
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith("llmtui: network: Groq: no reply for 0.7s")
    assert line.endswith("raise [network] read_timeout")


def test_wrong_key_names_provider_and_source(write_config, fake_url: str, capsys,  # type: ignore[no-untyped-def]
                                             monkeypatch) -> None:
    import keyring

    write_config(groq(f"{fake_url}/openai/v1"))
    keyring.set_password("llmtui", "groq", "sk-from-the-keyring-77")
    code, _, err = ask(capsys, "-m", "groq/ok", "hi")
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith("llmtui: auth: Groq: HTTP 401") and "key from keyring" in line
    assert "llmtui keys set groq" in line
    monkeypatch.setenv("GROQ_API_KEY", "sk-from-the-env-88")
    code, _, err = ask(capsys, "-m", "groq/ok", "hi")
    (line,) = error_lines(err)
    assert "key from env GROQ_API_KEY" in line and "env var" in line
    assert "sk-from-the" not in err


@pytest.fixture(scope="module")
def anthropic() -> Iterator[FakeServer]:
    server = FakeServer(AnthropicFake(expected_key=KEY)).start()
    yield server
    server.stop()


@pytest.mark.parametrize(("model", "line_start", "kept"), [
    ("529", "llmtui: server: Anthropic: HTTP 529", ""),
    ("overloaded-midstream", "llmtui: server: Anthropic: ", "Hello from"),
    ("drop", "llmtui: network: Anthropic: connection dropped", "Hello from"),
])
def test_anthropic_overloaded_and_dropped(model: str, line_start: str, kept: str,  # type: ignore[no-untyped-def]
                                          anthropic: FakeServer, write_config, isolated_env: Path,
                                          capsys, monkeypatch) -> None:
    write_config(f'[providers.anthropic]\nbase_url = "{anthropic.url}"\n\n{NET}')
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    code, out, err = ask(capsys, "-m", f"anthropic/{model}", "hi")
    assert code == 1
    (line,) = error_lines(err)
    assert line.startswith(line_start) and " — " in line
    assert out.startswith(kept)
    role, content, status = rows(isolated_env)[-1]
    assert content == out.rstrip("\n") and status == ("interrupted" if kept else "error")


@pytest.mark.parametrize(("args", "needle"), [
    (["-m", "nosuch/x"], "unknown provider 'nosuch'"),
    (["-m", "groq"], "PROVIDER/MODEL"),
    (["-m", "/x"], "PROVIDER/MODEL"),
])
def test_bad_model_references_exit_2_with_one_line(args: list[str], needle: str, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = ask(capsys, *args, "hi")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


@pytest.mark.parametrize(("text", "needle"), [
    ("[network]\nidle_timeout = -3\n", "[network].idle_timeout"),
    ("[network]\nmax_retries = \"x\"\n", "[network].max_retries"),
    ("[providers.groq]\nbase_url = 5\n", "base_url"),
    ("[defaults]\nmodel = \"groq\"\n", "[defaults].model"),
    ("[nonsense\n", "not valid TOML"),
])
def test_bad_config_values_exit_2_with_one_line(text: str, needle: str, write_config, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write_config(text)
    code, out, err = ask(capsys, "-m", "demo/simulated-fast", "hi")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(path) in err and needle in err


def test_hostile_error_body_is_one_harmless_line(write_config, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.server import Response

    body = {"error": {"message": "bad\x1b[2J\x1b]52;c;ZXZpbA==\x07\nsecond line\r\nthird"}}
    evil = FakeServer(lambda request: Response.json_body(body, 400)).start()
    try:
        write_config(groq(evil.url + "/v1"))
        monkeypatch.setenv("GROQ_API_KEY", KEY)
        code, out, err = ask(capsys, "-m", "groq/ok", "hi")
    finally:
        evil.stop()
    assert code == 1 and out == ""
    (line,) = error_lines(err)
    assert "\x1b" not in err and "\x07" not in err
    assert "bad␛[2J␛]52;c;ZXZpbA==␇ second line third" in line


@pytest.mark.parametrize(("fault", "text"), [
    ("bad-lines", "Partial answer more"),  # no-colon lines, unknown fields, retry:, a bare CR
    ("odd-event", "Partial answer"),       # an event type the adapter does not know
    ("keepalive", "Hello, world!"),        # comment lines before the first token
])
def test_tolerable_oddities_do_not_break_the_answer(fault: str, text: str, write_config, fake_url: str,  # type: ignore[no-untyped-def]
                                                    isolated_env: Path, capsys, monkeypatch) -> None:
    write_config(groq(f"{fake_url}/openai/v1"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    code, out, err = ask(capsys, "-m", f"groq/{fault}", "hi")
    assert code == 0, err
    assert out == text + "\n" and not error_lines(err)
    assert rows(isolated_env)[-1] == ("assistant", text, "done")


def test_a_key_over_plain_http_to_another_host_is_refused_before_sending(  # type: ignore[no-untyped-def]
        write_config, isolated_env: Path, capsys, monkeypatch) -> None:
    """L6: the key would cross the network in clear: one config line, nothing sent."""
    write_config(groq("http://nohost.invalid/v1"))
    monkeypatch.setenv("GROQ_API_KEY", KEY)
    code, out, err = ask(capsys, "-m", "groq/ok", "hi")
    (line,) = error_lines(err)
    assert code != 0 and out == "" and "Traceback" not in err
    assert line.startswith("llmtui: config: Groq: refusing to send the API key over plain http://")
    assert "allow_insecure = true" in line and KEY not in err


@pytest.mark.parametrize("header", ["inf", "1e300", "99999999999h"])
def test_an_absurd_retry_after_is_one_line_with_a_date(header: str, write_config,  # type: ignore[no-untyped-def]
                                                       isolated_env: Path, capsys, monkeypatch) -> None:
    """M5: `retry-after: inf` crashed ask (timestamp overflow); now capped, and a wait of days
    names the date."""
    from tests.fakes.server import Response

    server = FakeServer(lambda r: Response.json_body({"error": {"message": "slow down"}}, 429,
                                                     {"retry-after": header})).start()
    try:
        write_config(groq(server.url + "/v1"))
        monkeypatch.setenv("GROQ_API_KEY", KEY)
        code, _, err = ask(capsys, "-m", "groq/x", "hi")
    finally:
        server.stop()
    (line,) = error_lines(err)
    assert code == 1 and "Traceback" not in err and line.startswith("llmtui: rate_limit: Groq: HTTP 429")
    if header != "inf":
        assert "try again in 31 days (after 20" in line  # with the year
        assert line.endswith("use another model with -m meanwhile")  # not "try again later"
