"""Build the AnswerRecord a test stores, from only the fields it cares about."""

from __future__ import annotations

from decimal import Decimal

from llmtui.core.pricing.cost import Cost
from llmtui.core.store import AnswerRecord, AnswerStatus
from llmtui.providers.base import Usage


def answer(
    content: str = "",
    status: str = "done",
    *,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cached_input_tokens: int = 0,
    usage_estimated: bool = False,
    cost_usd: str | None = None,
    cost_estimated: bool = False,
    cost_note: str = "",
    ttft_s: float | None = None,
    duration_s: float | None = None,
    finish_reason: str | None = None,
    error_kind: str | None = None,
    error_message: str | None = None,
    served_by: str | None = None,
) -> AnswerRecord:
    return AnswerRecord(
        content=content, status=AnswerStatus(status),
        usage=None if input_tokens is None and output_tokens is None
        else Usage(input_tokens or 0, output_tokens or 0, cached_input_tokens),
        usage_estimated=usage_estimated,
        cost=Cost(None if cost_usd is None else Decimal(cost_usd), cost_estimated, cost_note),
        ttft_s=ttft_s, duration_s=duration_s, finish_reason=finish_reason,
        error_kind=error_kind, error_message=error_message, served_by=served_by,
    )
