"""Before an image is sent: can this model see? Refused here when a source says it cannot,
naming the catalog's models that can; unknown goes ahead with a one-line warning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmtui.core.catalog.capabilities import capabilities, seeing
from llmtui.providers.base import ErrorKind, Notice, Remedy, StreamError

if TYPE_CHECKING:
    from llmtui.core.catalog.entry import CatalogEntry
    from llmtui.core.runtime import Runtime


def image_gate(runtime: Runtime, provider_id: str, kind: str, model: str) -> StreamError | Notice | None:
    """A refusal (the model cannot see), a warning (nobody says), or None (it can)."""
    caps = capabilities(provider_id, kind, model)
    if caps.vision:
        return None
    if caps.vision is None:
        return Notice(f"{provider_id}/{model}: whether it takes images is not known; "
                      "sending the image anyway")
    others = seeing((entry.ref, entry.caps) for entry in _catalog(runtime))
    can = f"; models that can: {', '.join(others)}" if others else ""
    return StreamError(ErrorKind.BAD_REQUEST,
                       f"{provider_id}/{model} takes no images ({caps.source}){can}",
                       remedy=Remedy.OTHER_MODEL)


def _catalog(runtime: Runtime) -> list[CatalogEntry]:
    from llmtui.core.catalog.build import cached_catalog

    try:
        return cached_catalog(runtime)
    except Exception:  # noqa: BLE001 - naming alternatives must not hide the refusal
        return []
