"""Provider id -> adapter instance (behind the boundary). Adapter modules are imported on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from llmtui.providers.base import Provider, ProviderSpec
from llmtui.providers.presets import KINDS

if TYPE_CHECKING:
    import httpx


class UnknownKind(ValueError):
    pass


def create(spec: ProviderSpec, client: httpx.AsyncClient, key: str | None) -> Provider:
    """Build the adapter for `spec`, importing its module lazily."""
    target = KINDS.get(spec.kind)
    if target is None:
        raise UnknownKind(
            f"provider {spec.id!r} has kind {spec.kind!r}; known kinds: {', '.join(sorted(KINDS))}"
        )
    module_name, _, cls_name = target.partition(":")
    module = importlib.import_module(module_name)
    factory = getattr(module, cls_name)
    # Every adapter is seen through the boundary: server strings cleaned, numbers checked.
    from llmtui.providers.boundary import BoundaryProvider

    return BoundaryProvider(factory(spec, client, key), key)
