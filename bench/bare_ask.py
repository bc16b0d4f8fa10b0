"""Baseline for the big-answer benchmark: `llmtui ask`'s streaming loop with the store off.

The same Runtime, Exchange (retries, timeouts, live figures) and sanitised writes to stdout
as `llmtui ask`, but no conversation is recorded, so the answer is never saved while it
streams. Timing it beside `llmtui ask` shows what saving costs.
Usage: bare_ask.py PROVIDER/MODEL PROMPT
"""

import asyncio
import sys

from llmtui.core.config import load_config
from llmtui.core.exchange import Exchange
from llmtui.core.runtime import Runtime
from llmtui.providers.base import ChatMessage, StreamError, TextDelta
from llmtui.sanitize import sanitize


async def main(ref: str, prompt: str) -> int:
    runtime = Runtime(load_config())
    exchange = Exchange(runtime, ref, [ChatMessage("user", prompt)])
    failed = False
    async for event in exchange.run():
        if isinstance(event, TextDelta):
            sys.stdout.write(sanitize(event.text))
            sys.stdout.flush()
        elif isinstance(event, StreamError):
            print(f"bare_ask: {event.message}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
