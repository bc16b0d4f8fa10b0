"""`@path` in a prompt, and a prompt that is nothing but a path: which files they name.

The rule (README, "Images and files"): text is data, and pasted text can hold `@word`s the
user never meant as files (`@dataclass`, `@.env`, `@/etc/hostname`). So an `@path` never
sends a file by itself:
- a word naming a regular file inside the working folder, with no hidden part on the way
  (`.env`, `.git/config`), becomes a chip for review and the prompt is not sent; the next
  Enter sends it, its text exactly as typed (the `@path` word included);
- a word naming anything else that exists (outside the folder, hidden, a folder) is not
  attached: the user is told to pick it with F2 if it is meant, and it stays text;
- a word naming nothing stays text, silently (`@someone` in prose).
`@"name with spaces"` and `@'…'` quote a name; a trailing `.,;:!?)` is not part of a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from llmtui.core.attachments import AttachmentError, check, shown

_AT_PATH = re.compile(r"""(?<!\S)@(?:"([^"\n]+)"|'([^'\n]+)'|(\S+))""")
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True, slots=True)
class Mention:
    """An `@path` word that names something on disk."""

    word: str
    """As typed, `@` included."""
    path: Path
    problem: str | None = None
    """Why it is not attached (outside the folder, hidden, not a file); None: it is."""


def mentions(prompt: str, base: Path) -> list[Mention]:
    """Every `@path` word of the prompt that names something that exists, in order."""
    found: list[Mention] = []
    for match in _AT_PATH.finditer(prompt):
        quoted = match.group(1) or match.group(2)
        candidates = [quoted] if quoted else [match.group(3), match.group(3).rstrip(_TRAILING)]
        for name in dict.fromkeys(c for c in candidates if c):
            path = _under(base, name)
            if _exists(path):
                found.append(Mention(match.group(0), path, _problem(path, base)))
                break
    return found


def _under(base: Path, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else base / path


def _exists(path: Path) -> bool:
    try:
        return path.exists() or path.is_symlink()
    except OSError:
        return True  # a loop, no permission: it is there; check() says what is wrong


def _problem(path: Path, base: Path) -> str | None:
    try:
        check(path)
    except AttachmentError as exc:
        return str(exc)
    try:
        inside = path.resolve().relative_to(base.resolve())
    except (ValueError, OSError):
        return f"{shown(path)} is outside this folder; pick it with F2 to attach it"
    try:
        typed = path.relative_to(base) if path.is_absolute() else path
    except ValueError:
        typed = inside
    if any(part.startswith(".") and part not in (".", "..") for part in (*typed.parts, *inside.parts)):
        return f"{shown(path)} is hidden; pick it with F2 to attach it"
    return None


def lone_path(text: str, base: Path) -> Path | AttachmentError | None:
    """What a prompt that is nothing but a path names (typed, or pasted from a file manager:
    quoted, or a file:// URL): the file; AttachmentError when it looks like a path but names
    no file (so it is not sent as a paid prompt); None when it is not a path at all."""
    candidate = text.strip()
    quoted = len(candidate) > 1 and candidate[0] == candidate[-1] and candidate[0] in "'\""
    candidate = candidate.strip("'\"")
    url = candidate.startswith("file://")
    if url:
        candidate = unquote(candidate[len("file://"):])
    if not candidate or "\n" in candidate or len(candidate) > 4096:
        return None
    path = _under(base, candidate)
    try:
        if path.is_file():
            return path
    except OSError:
        pass
    looks = url or quoted or candidate.startswith(("/", "~/", "./", "../"))
    if not looks:
        return None
    if " " in candidate and not (url or quoted):  # a path pasted bare, or words (/imagine a cat)?
        parent = path.parent
        if len(parent.parts) < 2 or not parent.is_dir():
            return None
    try:
        check(path)
    except AttachmentError as exc:
        return AttachmentError(f"{exc}; nothing sent")
    return path
