"""One lock for the heavy imports that llmtui does in worker threads after start-up.

Python takes its import lock per module, so two threads importing httpx at once (the HTTP
client's warm-up, and genai-prices, which imports httpx itself) can each meet the other's
half-initialised package: `module 'email' has no attribute 'message'` crashed an `ask` that
way. Holding this lock around those imports makes them take turns; it costs nothing once the
modules are loaded.
"""

from __future__ import annotations

import threading

HEAVY_IMPORTS = threading.RLock()
