"""Provider caches: model lists and rate limits, one JSON payload per provider with its time.

Their parsed forms are memoised on the Store (`Store.memo`, catalog/cache.py), checked
against `cache_time`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from llmtui.core.store.database import Database


class CacheQueries(Database):
    def put_cache(self, table: str, provider: str, payload: Any) -> None:
        stamp = _cache_stamp(table)
        with self._tx() as db:
            db.execute(
                f"INSERT INTO {table} (provider, {stamp}, payload) VALUES (?, ?, ?) "
                f"ON CONFLICT(provider) DO UPDATE SET {stamp} = excluded.{stamp}, "
                "payload = excluded.payload",
                (provider, time.time(), json.dumps(payload)),
            )

    def cache_time(self, table: str, provider: str) -> float | None:
        """When the cached entry was written, without reading (or parsing) its payload."""
        stamp = _cache_stamp(table)
        row = self._db.execute(f"SELECT {stamp} FROM {table} WHERE provider = ?", (provider,)).fetchone()
        return float(row[0]) if row else None

    def get_cache(self, table: str, provider: str) -> tuple[float, Any] | None:
        stamp = _cache_stamp(table)
        row = self._db.execute(
            f"SELECT {stamp}, payload FROM {table} WHERE provider = ?", (provider,)
        ).fetchone()
        return (float(row[0]), json.loads(row[1])) if row else None


# cache table -> its time column; the names are also the whitelist for the f-string SQL.
_CACHE_STAMPS = {"model_cache": "fetched_at", "rate_limits": "updated_at"}


def _cache_stamp(table: str) -> str:
    try:
        return _CACHE_STAMPS[table]
    except KeyError:
        raise ValueError(table) from None
