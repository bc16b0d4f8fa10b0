"""Make text from models and servers harmless on a terminal, in exports and in JSON.

A model or a server can emit escape sequences (CSI cursor moves, OSC 52 clipboard writes,
OSC 8 links, bells). Shown raw they would act on the user's terminal; here every control
character except newline and tab becomes a visible stand-in (ESC -> ␛). Characters that
change what text *looks like* without being seen (bidi overrides, zero-width spaces) are
shown as `<U+202E>` so a reader sees that they are there.
"""

from __future__ import annotations

import json
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")

# Bidi embeddings/overrides/isolates and marks, and zero-width characters. A ZWJ between two
# emoji (a family, a flag sequence) is how emoji are built, so that one stays: it has its own
# pattern, run only on text that holds a ZWJ, as a lookbehind tried at every character made
# the one combined pattern ~10x slower than a character class (a 20 MB answer: ~0.6 s).
_EMOJI = r"\u2600-\u27bf\ufe0f\U0001f000-\U0001faff"
_INVISIBLE = re.compile(r"[\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_LONE_ZWJ = re.compile(rf"(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])")

# For JSON: what json.dumps leaves raw (it escapes only C0), DEL and C1 included.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x7F:
        return "␡"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block
    return f"<U+{code:04X}>"  # C1 (U+0080-U+009F): no pictures; named, as invisible characters are


def _named(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def sanitize(text: str) -> str:
    """Replace control characters (not \\n or \\t) with visible symbols, invisible formatting
    characters with `<U+XXXX>`; \\r\\n stays \\n."""
    text = _CONTROL.sub(_visible, text.replace("\r\n", "\n"))
    if text.isascii():  # the common case: nothing invisible can be in it
        return text
    text = _INVISIBLE.sub(_named, text)
    return _LONE_ZWJ.sub(_named, text) if "\u200d" in text else text


class StreamSanitizer:
    """`sanitize` for text that arrives in pieces, as if it had come whole.

    A character can depend on its neighbours: a ZWJ stays between two emoji (and is shown as
    `<U+200D>` elsewhere), and CR LF is one line break. Cleaned piece by piece, a family emoji
    cut before its ZWJ showed as 👨<U+200D>👩, and a CR LF cut in two as ␍ and a line break.
    So a piece's last character waits for the next piece if it is a ZWJ or a CR, and each
    piece is cleaned after the last character shown before it.
    """

    def __init__(self) -> None:
        self._held = ""
        self._before = ""

    def feed(self, text: str) -> str:
        """The next piece, cleaned (perhaps less its last character, shown with the next)."""
        text = self._held + text
        self._held = text[-1] if text.endswith(("\u200d", "\r")) else ""
        return self._shown(text[:-1] if self._held else text)

    def flush(self) -> str:
        """The end of the text: what was held back, cleaned."""
        held, self._held = self._held, ""
        return self._shown(held)

    def _shown(self, text: str) -> str:
        if not text:
            return ""
        before, self._before = self._before, text[-1]
        return sanitize(before + text)[len(sanitize(before)):]


def one_line(text: str) -> str:
    """`sanitize`, on one line: every run of whitespace (line breaks too) becomes one space."""
    return sanitize(" ".join(text.split()))


def is_clean_name(text: str) -> bool:
    """An identifier fit to show and send back as is: printable, one line, nothing invisible."""
    return bool(text) and text.isprintable() and text.strip() == text


def _escape_json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_dumps(data: Any, **kwargs: Any) -> str:
    """`json.dumps` that also escapes DEL, C1 controls and bidi/zero-width characters, which
    JSON allows raw but a terminal acts on (C1 CSI/OSC) or hides (U+202E)."""
    return _JSON_RAW.sub(_escape_json, json.dumps(data, ensure_ascii=False, **kwargs))


def repair_surrogates(text: str) -> str:
    """Text decoded with `surrogateescape` (argv, stdin with invalid UTF-8) can hold lone
    surrogates that nothing can encode; each bad byte becomes U+FFFD instead."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte
            raw = text.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return text
