"""Make model output harmless on a terminal.

A model can emit escape sequences (CSI cursor moves, OSC 52 clipboard writes, OSC 8
links, bells). Shown raw they would act on the user's terminal; here every control
character except newline and tab becomes a visible stand-in (ESC -> ␛).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x7F:
        return "␡"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block
    return "�"


def sanitize(text: str) -> str:
    """Replace control characters (not \\n or \\t) with visible symbols; \\r\\n stays \\n."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub(_visible, text)
