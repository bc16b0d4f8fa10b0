"""What the user named on the command line, checked before anything starts.

`llmtui -m`, `llmtui --compare` and `llmtui ask -m` refuse a bad model reference the same
way, with one line, before a TUI paints or a conversation is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmtui.core.config import Config, ConfigError
from llmtui.providers.base import split_ref
from llmtui.sanitize import is_clean_name, one_line

if TYPE_CHECKING:
    from llmtui.core.store import Store


class UsageError(Exception):
    """The command line asks for something that cannot be: one line, exit 2."""


def check_model(config: Config, ref: str, flag: str = "-m") -> str:
    """`ref` if it names a known provider as PROVIDER/MODEL; else UsageError naming the flag."""
    shown = one_line(ref)
    if not is_clean_name(ref):  # it would be sent, stored and printed: an escape acts on a terminal
        raise UsageError(f"{flag} {shown}: a model name has no control or invisible characters "
                         "and no spaces at its ends")
    try:
        provider, _ = split_ref(ref)
    except ValueError as exc:
        raise UsageError(f"{flag} {shown}: {exc}") from None
    try:
        config.provider_spec(provider)
    except ConfigError as exc:
        raise UsageError(f"{flag} {shown}: {exc}") from None
    return ref


def check_models(config: Config, model: str | None, compare: list[str] | None) -> None:
    if model is not None:
        check_model(config, model, "-m")
    for ref in compare or ():
        check_model(config, ref, "--compare")


def check_resume(store: Store, conversation_id: int) -> int:
    """The id if that conversation is stored; else UsageError (as `export ID` does)."""
    if store.conversation(conversation_id) is None:
        raise UsageError(f"--resume {conversation_id}: no conversation {conversation_id}; "
                         "`llmtui history` lists them, `llmtui --last` opens the newest")
    return conversation_id
