"""One delta per network read: adjacent pieces of the same kind joined before they are yielded.

At thousands of tokens a second a read holds many events, and every event yielded costs a trip
through the retry timer, the live figures, the store log and the screen's feed. Joining
neighbours keeps the text and its order exactly (answer and thinking are never merged with each
other, nor across any other event) while that cost is paid once per read.
"""

from __future__ import annotations

from collections.abc import Iterable

from llmtui.providers.base import ReasoningDelta, StreamEvent, TextDelta


def coalesce(events: Iterable[StreamEvent]) -> list[StreamEvent]:
    """`events` with each run of TextDelta (or of ReasoningDelta with the same `redacted`) joined."""
    out: list[StreamEvent] = []
    run: list[str] = []
    head: TextDelta | ReasoningDelta | None = None  # the first event of the current run

    def close_run() -> None:
        if head is not None:
            if len(run) == 1:
                out.append(head)
            elif isinstance(head, TextDelta):
                out.append(TextDelta("".join(run)))
            else:
                out.append(ReasoningDelta("".join(run), head.redacted))

    for event in events:
        if (isinstance(event, TextDelta) and isinstance(head, TextDelta)) or (
            isinstance(event, ReasoningDelta) and isinstance(head, ReasoningDelta)
            and event.redacted == head.redacted
        ):
            run.append(event.text)
            continue
        close_run()
        if isinstance(event, (TextDelta, ReasoningDelta)):
            head, run = event, [event.text]
        else:
            head, run = None, []
            out.append(event)
    close_run()
    return out
