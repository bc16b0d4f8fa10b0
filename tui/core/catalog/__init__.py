"""The model catalog: every model llmtui can call, with context length and price.

Models come from each provider's own list endpoint (only for providers with a key),
cached in the store for a day; models named in config, the demo and local models
always list. Prices follow core/pricing/lookup.py's precedence. No Textual here: the TUI
calls `cached_catalog()` for an instant first paint and `load_catalog()` from a worker.

- entry.py     CatalogEntry, its JSON, search
- cache.py     the model-list cache (and the price a provider's list gave)
- discover.py  which lists to fetch, and fetching them
- build.py     entries with prices, HF routes and backends
"""

from llmtui.core.catalog.build import cached_catalog, load_catalog
from llmtui.core.catalog.cache import cached_models, listed_price, save_models
from llmtui.core.catalog.discover import builtin_models
from llmtui.core.catalog.entry import CatalogEntry, search

__all__ = ["CatalogEntry", "builtin_models", "cached_catalog", "cached_models", "listed_price",
           "load_catalog", "save_models", "search"]
