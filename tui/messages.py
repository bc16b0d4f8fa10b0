"""Cross-screen messages (ones no single widget owns)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenConversation(Message):
    """Show a stored conversation (from the history screen) on the main screen."""

    conversation_id: int


@dataclass
class SpendChanged(Message):
    """An answer finished: totals in the cost meter should be recomputed."""
