"""The model catalog: every model llmtui can call, with context length and price.

Models come from each provider's own list endpoint (only for providers with a key),
cached in the store for a day; models named in config, the demo and local models
always list. Prices follow core/pricing/lookup.py's precedence. No Textual here: the TUI
calls `cached_catalog()` for an instant first paint and `load_catalog()` from a worker.

- entry.py     CatalogEntry, its JSON, search
- cache.py     the model-list cache (and the price a provider's list gave)
- discover.py  which lists to fetch, and fetching them
- build.py     entries with prices, HF routes and backends
- capabilities.py, vision.py  what a model takes (images) and the send-time gate

Import from the module that has it: a send needs only vision.py and cache.py, and
importing this package does not load the rest (the lists, the key lookups).
"""
