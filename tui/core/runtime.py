"""What one llmtui process shares: config, store, HTTP client, providers, prices.

Heavy imports (httpx, keyring, price data) happen here on first use, never at
start-up, so the TUI paints before it pays for them.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

from llmtui.core.config import Config
from llmtui.core.imports import HEAVY_IMPORTS
from llmtui.providers.base import Price, Provider, ProviderSpec

if TYPE_CHECKING:
    import httpx

    from llmtui.core.history_off import StoreProblem
    from llmtui.core.secrets import ResolvedKey
    from llmtui.core.store import Store


class Runtime:
    def __init__(self, config: Config, store: Store | None = None) -> None:
        self.config = config
        self._store = store
        self._client: httpx.AsyncClient | None = None
        self._client_lock = threading.Lock()  # the client may be built in a thread (warm_client)
        self._providers: dict[tuple[str, str | None], Provider] = {}
        self.history_off: StoreProblem | None = None
        """Why this session runs without history (llmtui.core.history_off); None: it has it."""
        self._said: set[str] = set()

    def first_time(self, note: str) -> bool:
        """True the first time this process is to say `note` (a notice repeated every send is noise)."""
        if note in self._said:
            return False
        self._said.add(note)
        return True

    @property
    def store(self) -> Store:
        """The history store, opened on first use. One that cannot be opened leaves the
        session on a store in memory (no history), with `history_off` saying why."""
        if self._store is None:
            from llmtui.core.history_off import OPEN_WAIT_S, STORE_ERRORS
            from llmtui.core.store import Store

            try:
                self._store = Store(open_wait_s=OPEN_WAIT_S)
            except STORE_ERRORS as exc:
                return self.lose_history(exc)
        return self._store

    def lose_history(self, exc: BaseException) -> Store:
        """Go on without history after `exc` from the store: the file is closed and never
        written again this session; a store in memory takes over. Returns it."""
        from llmtui import paths
        from llmtui.core.history_off import problem_of
        from llmtui.core.store import Store

        if self.history_off is None:
            old, self._store = self._store, None
            path = old.path if old is not None else paths.store_file()
            self.history_off = problem_of(exc, path)
            if old is not None:
                try:
                    old.close()
                except Exception:  # noqa: BLE001 - closing a damaged file may fail too
                    pass
            self._store = Store.in_memory()
            if path.is_file():  # (opening a pipe would wait for a writer forever)
                from llmtui.core.store.salvage import carry_ledger

                carry_ledger(path, self._store)  # spending limits count what was spent before
        assert self._store is not None
        return self._store

    def client(self) -> httpx.AsyncClient:
        with self._client_lock:
            return self._client or self._new_client()

    async def warm_client(self) -> None:
        """Build the HTTP client in a thread: importing httpx and loading the TLS trust store
        take a noticeable part of a second, which would otherwise stall the event loop (the
        screen) just before the first request."""
        if self._client is None:
            await asyncio.to_thread(self.client)

    def _new_client(self) -> httpx.AsyncClient:
        with HEAVY_IMPORTS:
            import httpx

            from llmtui.core.debuglog import http_hooks

        net = self.config.network
        # The waits that matter (first token, thinking, stalls) are timed per request by
        # llmtui.core.retry; httpx's read timeout is only the backstop behind the longest.
        backstop = max(net.read_timeout, net.idle_timeout, net.think_timeout)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(net.connect_timeout, read=backstop),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
            follow_redirects=False,
            trust_env=True,
            event_hooks=http_hooks(),  # none unless --debug / LLMTUI_LOG
        )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        for provider in self._providers.values():
            close = getattr(provider, "aclose", None)
            if close is not None:
                await close()
        self._providers.clear()

    def spec(self, provider_id: str) -> ProviderSpec:
        return self.config.provider_spec(provider_id)

    def key_id(self, provider_id: str) -> str:
        return self.spec(provider_id).key_id

    def resolve_key(self, provider_id: str) -> ResolvedKey | None:
        """Blocking (keyring): call from a thread in the TUI."""
        from llmtui.core.secrets import resolve_key

        return resolve_key(self.key_id(provider_id), self.config.env_vars(provider_id))

    def provider(self, provider_id: str, key: str | None) -> Provider:
        cache_key = (provider_id, key)
        provider = self._providers.get(cache_key)
        if provider is None:
            from llmtui.core.debuglog import remember_secret
            from llmtui.providers.registry import create

            remember_secret(key)
            provider = create(self.spec(provider_id), self.client(), key)
            self._providers[cache_key] = provider
        return provider

    def price(self, provider_id: str, model: str, served_by: str | None = None) -> Price | None:
        """The one price lookup (blocking on first use: price data, the catalog cache)."""
        from llmtui.core.catalog.cache import listed_price
        from llmtui.core.pricing.lookup import lookup_price

        return lookup_price(self.config, provider_id, model, served_by=served_by,
                            listed=lambda: listed_price(self, provider_id, model, served_by=served_by))
