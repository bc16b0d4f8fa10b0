"""How often streaming answers repaint: 15 frames a second while the client has CPU to spare,
fewer (down to 5) while streaming keeps it busy.

A frame of a fast stream costs about the same whatever the rate: the lanes scroll, so every
visible line of each is painted again. At 15 frames a second two lanes at 2,000 tokens/s kept
the client at ~90 % of a core, and a saturated event loop answers late: keys, and the end of
the answer (drawn at once when the stream ends, not on a frame) waited behind frames. The pacer
reads the process's CPU time at each frame: above `BUSY` of a core since the last frame it
lengthens the interval, below `IDLE` it shortens it again. Every piece of text is still shown;
frames just carry more of it.
"""

from __future__ import annotations

FASTEST_S = 1 / 15
SLOWEST_S = 1 / 5
BUSY = 0.5
"""Share of one core (the whole process: streams, frames, threads) above which frames slow."""
IDLE = 0.3
"""...and below which they speed up again."""
STEP = 1.25
SLACK_S = 1 / 60
"""A clock tick may come this much early (half a tick of a 30 Hz clock) and still draw."""


class FramePacer:
    """Decides, on each tick of a fast clock, whether a frame is due."""

    def __init__(self) -> None:
        self.interval = FASTEST_S
        self._last = float("-inf")
        self._last_cpu = 0.0

    def due(self, now: float, cpu: float) -> bool:
        """Whether to draw a frame now (and, if so, the interval after it is set from how busy
        the process was since the last frame).

        Args:
            now: A monotonic clock, in seconds.
            cpu: The process's CPU time so far, in seconds.
        """
        elapsed = now - self._last
        if elapsed < self.interval - SLACK_S:
            return False
        share = (cpu - self._last_cpu) / elapsed
        if share > BUSY:
            self.interval = min(SLOWEST_S, self.interval * STEP)
        elif share < IDLE:
            self.interval = max(FASTEST_S, self.interval / STEP)
        self._last, self._last_cpu = now, cpu
        return True
