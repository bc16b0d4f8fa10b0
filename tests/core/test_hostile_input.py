"""Bad input from the user's side (issue 14): config numbers, misplaced keys, plain http, pasted
control characters, invalid UTF-8, and text that acts on a terminal or hides itself."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from llmtui.core.config import ConfigError, parse_config
from llmtui.core.secrets import set_key
from llmtui.providers.base import ProviderSpec
from llmtui.providers.transport import insecure_key_problem, is_loopback
from llmtui.sanitize import StreamSanitizer, json_dumps, repair_surrogates, sanitize

P = Path("/cfg/config.toml")
SECRET = "gsk_SECRETinconfig1234567890"


@pytest.mark.parametrize(("table", "line"), [
    ("[budget]\ndaily_usd = nan", "budget]"), ("[budget]\ndaily_usd = \"NaN\"", "budget]"),
    ("[budget]\nmonthly_usd = \"sNaN\"", "budget]"), ("[budget]\nper_request_usd = inf", "budget]"),
    ('[prices."groq/ok"]\ninput = nan', "prices"), ('[prices."groq/ok"]\noutput = -inf', "prices"),
    ("[network]\nread_timeout = nan", "network]"), ("[network]\nconnect_timeout = nan", "network]"),
    ("[network]\nidle_timeout = inf", "network]"), ("[network]\nmax_retry_wait = nan", "network]"),
    ("[network]\nmax_answer_s = 1e300", "network]"), ("[defaults]\ntemperature = nan", "defaults]"),
    ("[providers.groq]\nmonthly_usd = nan", "providers.groq]"),
])
def test_nan_and_infinity_in_config_are_refused_with_file_line_and_key(table: str, line: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config("# a comment\n" + table + "\n", P)
    message = str(caught.value)
    assert message.startswith(f"{P}:3: [") and line in message, message
    assert "\n" not in message


def test_max_answer_s_is_a_network_setting_with_a_generous_default() -> None:
    assert parse_config("", P).network.max_answer_s >= 600
    assert parse_config("[network]\nmax_answer_s = 90\n", P).network.max_answer_s == 90


@pytest.mark.parametrize("field", ["api_key_env", "base_url"])
def test_a_key_pasted_into_the_wrong_field_is_not_echoed(field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(f'[providers.mine]\nkind = "openai"\nbase_url = "http://127.0.0.1:1/v1"\n'
                     f'[providers.groq]\n{field} = "{SECRET}"\n', P)
    assert SECRET not in str(caught.value) and f"{P}:5: [providers.groq].{field}" in str(caught.value)


@pytest.mark.parametrize("url", [f"http://user:{SECRET}@127.0.0.1:18801/v1", f"https://{SECRET}@api.example.com/v1",
                                 "http://@127.0.0.1/v1", f"http://{SECRET}:@[::1]:8/v1"])
def test_base_url_with_a_user_or_password_is_refused_without_echoing_it(url: str) -> None:
    """httpx sends URL userinfo as Basic auth, in place of the provider's key."""
    with pytest.raises(ConfigError) as caught:
        parse_config(f'# mine\n[providers.mine]\nkind = "openai"\nbase_url = "{url}"\n', P)
    message = str(caught.value)
    assert message.startswith(f"{P}:4: [providers.mine].base_url: base_url must not carry a user name")
    assert SECRET not in message and "user:" not in message and "keyring" in message


@pytest.mark.parametrize(("url", "problem"), [
    ("HTTP://127.0.0.1:8000/v1", None), ("http://127.0.0.1:99999/v1", "not a valid URL"),
    ("http://[::1", "not a valid URL"), ("ftp://example.com/v1", "expected an http"),
    ("https:///v1", "expected an http"),
])
def test_base_url_problems_are_config_errors(url: str, problem: str | None) -> None:
    text = f'[providers.mine]\nkind = "openai"\nbase_url = "{url}"\n'
    if problem is None:
        assert parse_config(text, P).providers["mine"].base_url == url
        return
    with pytest.raises(ConfigError, match=problem):
        parse_config(text, P)


def test_allow_insecure_is_read_and_reaches_the_provider_spec() -> None:
    config = parse_config('[providers.mine]\nkind = "openai"\nbase_url = "http://10.0.0.5/v1"\n'
                          "allow_insecure = true\n", P)
    spec = config.provider_spec("mine")
    assert spec.options["allow_insecure"] is True
    assert insecure_key_problem(spec, SECRET) is None
    with pytest.raises(ConfigError, match="expected true or false"):
        parse_config('[providers.groq]\nallow_insecure = "yes"\n', P)


@pytest.mark.parametrize(("url", "refused"), [
    ("http://10.0.0.5/v1", True), ("http://2130706433:18801/v1", True),
    ("http://example.com/v1", True), ("https://example.com/v1", False),
    ("http://127.0.0.1:8000/v1", False), ("http://localhost:11434/v1", False),
    ("http://[::1]:8000/v1", False), ("HTTP://127.0.0.2/v1", False),
])
def test_a_key_over_plain_http_leaves_this_machine_only_when_allowed(url: str, refused: bool) -> None:
    spec = ProviderSpec(id="mine", kind="openai", base_url=url)
    problem = insecure_key_problem(spec, SECRET)
    assert (problem is not None) is refused
    assert insecure_key_problem(spec, None) is None  # no key, nothing to protect
    if problem:
        assert "allow_insecure = true" in problem and "[providers.mine]" in problem
    assert is_loopback(url) is (not refused and not url.startswith("https"))


@pytest.mark.parametrize("value", ["gsk_abcdefghijklmnop\x1b[2J", "gsk_abc\x00defghijkl",
                                   "gsk_abcdéfghijklmnop", "gsk_abc\u202edefghijkl"])
def test_keys_set_refuses_control_and_non_ascii_characters(value: str) -> None:
    with pytest.raises(ValueError, match="control or non-ASCII"):
        set_key("groq", value)


def test_bidi_and_zero_width_characters_are_shown_not_hidden() -> None:
    shown = sanitize("pay \u202eevil\u202c to \u200bbob\ufeff; ok 👨\u200d👩\u200d👧")
    assert shown == "pay <U+202E>evil<U+202C> to <U+200B>bob<U+FEFF>; ok 👨\u200d👩\u200d👧"


def _sanitize_reference(text: str) -> str:
    """The one-pattern form sanitize had before its fast path (issue 19): the specification
    (C1 controls named, not U+FFFD, since tester item 7: that read as an encoding error)."""
    emoji = "\u2600-\u27bf\ufe0f\U0001f000-\U0001faff"
    invisible = re.compile("[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
                           f"|(?<![{emoji}])\u200d|\u200d(?![{emoji}])")
    control = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
    shown = {0x7F: "\u2421"}
    text = control.sub(lambda m: shown.get(ord(m[0]), chr(0x2400 + ord(m[0])) if ord(m[0]) < 0x20
                                           else f"<U+{ord(m[0]):04X}>"), text.replace("\r\n", "\n"))
    return invisible.sub(lambda m: f"<U+{ord(m[0]):04X}>", text)


def test_sanitize_fast_path_matches_the_one_pattern_form_on_random_text() -> None:
    alphabet = ("ab \n\t\r\x1b\x00\x7f\x9b\u202e\u200b\u200c\u200d\u200e\ufeff\u2060é日"
                "😀👨👩\u2764\ufe0f<>")
    rng = random.Random(19)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert sanitize(text) == _sanitize_reference(text), repr(text)


def test_json_escapes_c1_del_and_invisible_characters() -> None:
    raw = {"text": "a\x9b2Jb\x9d0;t\x07c\x7fd\u202ee\u200bf é 😀"}
    out = json_dumps(raw)
    assert not any(ch in out for ch in "\x9b\x9d\x7f\u202e\u200b\x07")
    assert json.loads(out) == raw and "é 😀" in out


def test_invalid_utf8_from_argv_or_stdin_becomes_replacement_characters() -> None:
    text = b"hello \xff\xfe world".decode("utf-8", "surrogateescape")
    assert repair_surrogates(text) == "hello \ufffd\ufffd world"
    assert repair_surrogates("lone \ud800 surrogate").encode("utf-8")
    assert repair_surrogates("fine €") == "fine €"


def test_json_and_jsonl_exports_escape_like_ask_json(tmp_path: Path) -> None:
    """C1 controls, DEL and bidi/zero-width characters leave an export escaped, exactly as in
    `ask --json` (one function), and read back as the same text."""
    from llmtui.core.store import Store
    from llmtui.core.transfer import conversation_json, conversation_jsonl

    nasty = "a\x9b2Jb\x9d0;t\x07c\x7fd\u202ee\u202c\u200bf é 😀"
    store = Store(tmp_path / "h.sqlite3")
    cid = store.new_conversation(["groq/x"])
    store.add_message(cid, "user", nasty)
    whole = conversation_json(store, cid)
    lines = conversation_jsonl(store, cid)
    store.close()
    for out in (whole, *lines.splitlines()):
        assert not any(ch in out for ch in "\x9b\x9d\x7f\u202e\u202c\u200b\x07"), ascii(out)
    assert json.loads(whole)["messages"][0]["content"] == nasty
    assert json.loads(lines.splitlines()[-1])["content"] == nasty
    assert json_dumps(nasty) in whole and json_dumps(nasty) in lines  # the same escaping as ask --json


def test_text_cleaned_in_pieces_reads_as_if_cleaned_whole() -> None:
    """A family emoji cut before a ZWJ showed as 👨<U+200D>👩 live, a CR LF cut in two as ␍
    (tester items 5 and 6): pieces cleaned one by one now equal the whole text cleaned."""
    alphabet = "ab \\n\\r\\x1b\\x00\\u202e\\u200b\\u200d😀👨👩\\u2764\\ufe0f"
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        cuts = sorted(rng.sample(range(len(text) + 1), k=min(len(text) + 1, rng.randint(0, 4))))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        shown = StreamSanitizer()
        assert "".join(shown.feed(p) for p in pieces) + shown.flush() == sanitize(text), (pieces,)
