"""Cross-screen messages (ones no single widget owns)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class SpendChanged(Message):
    """An answer finished: totals in the cost meter should be recomputed."""
