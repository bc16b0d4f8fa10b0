"""Before an image is sent: can this model see? Refused here when a source says it cannot,
naming the models that can (those in play first, then ones you have a key for; the simulated
demo only when nothing real can); unknown, or only guessed from a name, goes ahead with a
one-line warning.

`refusal` checks every model a send goes to at once (a compare, a batch), with each
provider's size limits: one lane that cannot take the images refuses the whole send, before
anything is stored or sent, as the budget does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmtui.core.catalog.capabilities import capabilities, seeing
from llmtui.providers.base import ErrorKind, Notice, Remedy, StreamError, split_ref
from llmtui.providers.parts import IMAGE_LIMITS, Part, images

if TYPE_CHECKING:
    from llmtui.core.runtime import Runtime


def image_gate(runtime: Runtime, provider_id: str, kind: str, model: str,
               in_play: Sequence[str] = ()) -> StreamError | Notice | None:
    """A refusal (the model cannot see), a warning (nobody says, or only a guess), or None."""
    caps = capabilities(provider_id, kind, model)
    if caps.sees:
        return None
    if caps.vision is None and kind == "replicate":
        return None  # the adapter reads the model's own input schema, and refuses if no image
    if caps.vision is None or "vision" in caps.guessed:
        why = ("llmtui only guesses from its name that it does" if caps.vision
               else "whether it takes images is not known")
        return Notice(f"{provider_id}/{model}: {why}; sending the image anyway")
    others = able(runtime, in_play)
    can = f"; models that can: {', '.join(others)}" if others else ""
    return StreamError(ErrorKind.BAD_REQUEST,
                       f"{provider_id}/{model} takes no images ({caps.source}){can}",
                       remedy=Remedy.OTHER_MODEL)


def able(runtime: Runtime, in_play: Sequence[str] = ()) -> list[str]:
    """Models that take images, to suggest: in play first, then callable ones (blocking)."""
    from llmtui.core.keys import key_states
    from llmtui.core.starter import STARTER_MODELS

    entries = _catalog(runtime)
    listed = {e.provider for e in entries}
    # The models in play, and each unlisted provider's starter model (as the catalog shows it).
    extra = [*in_play, *(ref for pid, ref in STARTER_MODELS.items() if pid not in listed)]
    providers = [*(e.provider for e in entries), *(ref.split("/", 1)[0] for ref in extra)]
    try:
        ready = key_states(runtime, list(dict.fromkeys(providers)))
    except Exception:  # noqa: BLE001 - naming alternatives must not hide the refusal
        ready = {}
    found = [(e.ref, e.caps, ready.get(e.provider, False)) for e in entries]
    for ref in extra:
        try:
            provider_id, model = split_ref(ref)
            caps = capabilities(provider_id, runtime.spec(provider_id).kind, model)
        except Exception:  # noqa: BLE001 - its own preflight names a bad model
            continue
        found.append((ref, caps, ref in in_play or ready.get(provider_id, False)))
    return seeing(found, first=in_play)


def refusal(runtime: Runtime, refs: Sequence[str], parts: Sequence[Part]) -> StreamError | None:
    """Why these images cannot go to every one of `refs` (each lane that cannot, named), or
    None. Blocking (the catalog cache, the keyring for suggestions): call it in a thread."""
    pictures = images(parts)
    if not pictures:
        return None
    problems: list[str] = []
    for ref in dict.fromkeys(refs):
        try:
            provider_id, model = split_ref(ref)
            kind = runtime.spec(provider_id).kind
        except Exception:  # noqa: BLE001 - the lane's own preflight names a bad model or config
            continue
        limit = IMAGE_LIMITS.get(kind)
        too_large = limit.problem(pictures) if limit is not None else None
        if too_large:
            problems.append(f"{ref}: {too_large}")
            continue
        gate = image_gate(runtime, provider_id, kind, model, in_play=refs)
        if isinstance(gate, StreamError):
            problems.append(gate.message)
    if not problems:
        return None
    whole = " to any of the models" if len(set(refs)) > 1 else ""
    return StreamError(ErrorKind.BAD_REQUEST, f"{'; '.join(problems)} — nothing was sent{whole}",
                       remedy=Remedy.OTHER_MODEL)


def _catalog(runtime: Runtime) -> list[CatalogEntry]:
    from llmtui.core.catalog.build import cached_catalog

    try:
        return cached_catalog(runtime)
    except Exception:  # noqa: BLE001 - naming alternatives must not hide the refusal
        return []


if TYPE_CHECKING:
    from llmtui.core.catalog.entry import CatalogEntry
