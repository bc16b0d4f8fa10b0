"""A prompt set from a file: one prompt per line, or JSON Lines with `id`, `prompt`, `system`.

Plain text: every non-blank line is a prompt, its id the line number. JSON Lines (the first
non-blank line starts with `{`): every non-blank line is an object with a non-empty string
`prompt`, an optional `id` (string or integer) and an optional string `system`. A line with
no `id` takes its line number, or `line N` when another line names that number as its id
(ids given in the file are the user's: they win). Ids must be unique. A bad line is an error
naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from llmtui.providers.parts import Part

MAX_BYTES = 8 * 1024 * 1024
MAX_PROMPTS = 10_000


class PromptSetError(ValueError):
    """The file cannot be read as a prompt set; the message names file and line."""


@dataclass(frozen=True, slots=True)
class PromptItem:
    id: str
    prompt: str
    system: str | None = None
    parts: tuple[Part, ...] = ()
    """Attachments (`compare -a FILE`), sent with the prompt to every model."""


def load_prompt_set(path: Path) -> list[PromptItem]:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PromptSetError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PromptSetError(f"{path}: cannot read: {exc}") from None
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise PromptSetError(f"{path}: no prompts in the file")
    if len(lines) > MAX_PROMPTS:
        raise PromptSetError(f"{path}: {len(lines)} prompts; at most {MAX_PROMPTS}")
    jsonl = lines[0][1].lstrip().startswith("{")
    if not jsonl:
        return [PromptItem(str(n), line) for n, line in lines]
    parsed = [(n, *_json_item(path, n, line)) for n, line in lines]
    first: dict[str, int] = {}
    for n, item, given in parsed:
        if given and item.id in first:
            raise PromptSetError(f"{path}:{n}: the id {item.id!r} is used twice "
                                 f"(first on line {first[item.id]})")
        if given:
            first[item.id] = n
    items = [item if given or item.id not in first else replace(item, id=f"line {n}")
             for n, item, given in parsed]
    if len({item.id for item in items}) < len(items):  # an id given as "line N" itself
        raise PromptSetError(f"{path}: two prompts end up with one id; give each line an \"id\"")
    return items


def _json_item(path: Path, number: int, line: str) -> tuple[PromptItem, bool]:
    """The item, and whether the line gave its id."""
    where = f"{path}:{number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise PromptSetError(f"{where}: not JSON ({exc.msg}); every line of a JSON Lines "
                             "prompt set is one object") from None
    if not isinstance(data, dict):
        raise PromptSetError(f"{where}: expected an object with \"prompt\"")
    prompt, item_id, system = data.get("prompt"), data.get("id", number), data.get("system")
    if not isinstance(prompt, str) or not prompt.strip():
        raise PromptSetError(f"{where}: \"prompt\" must be a non-empty string")
    if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
        raise PromptSetError(f"{where}: \"id\" must be a string or an integer")
    if system is not None and not isinstance(system, str):
        raise PromptSetError(f"{where}: \"system\" must be a string")
    return PromptItem(str(item_id), prompt, system), "id" in data
