"""The embedded local model: llama.cpp in-process (xllamacpp) on loopback.

It reuses the OpenAI-compatible provider unchanged, so the local model goes
through the same openai + instructor + validation path as any endpoint. The
server starts on the first request and lives for the whole run (one model
load, never one per article); with one slot, llama.cpp keeps the previous
prompt's KV cache, so the shared system prompt is not re-evaluated.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from summarizer.errors import ConfigError, ModelFileError
from summarizer.providers.base import ModelRequest, ModelResult, OutputT
from summarizer.providers.model_file import (
    DEFAULT_MODEL,
    check_gguf_header,
    default_model_path,
    install_model,
    verify_model_file,
)
from summarizer.providers.openai_compat import OpenAICompatibleProvider
from summarizer.providers.policy import RequestPolicy
from summarizer.settings import DEFAULT_THREADS, LOCAL_CONTEXT_TOKENS

log = logging.getLogger(__name__)


class LocalProvider:
    """Runs a GGUF model in this process and serves it to the openai client."""

    name = "local"

    def __init__(
        self,
        *,
        model_dir: Path,
        model_path: Path | None = None,
        threads: int = DEFAULT_THREADS,
        context_tokens: int = LOCAL_CONTEXT_TOKENS,
        policy: RequestPolicy | None = None,
        speculative: str | None = None,
        install_if_missing: bool = True,
    ) -> None:
        """Check (or install) the model file now, so a missing or corrupted model fails before any work.

        ``policy.in_flight`` is the number of llama.cpp slots: requests it decodes together, each with its own context.
        """
        self.model_dir = model_dir
        self.model_path = Path(model_path) if model_path else None
        self.threads = threads
        self.context_tokens = context_tokens
        self.policy = policy or RequestPolicy.local()
        self.install_if_missing = install_if_missing
        if speculative not in (None, "ngram"):
            raise ConfigError(f"unknown speculative mode {speculative!r}; use 'ngram'")
        self.speculative = speculative
        self.model = self.model_path.stem if self.model_path else DEFAULT_MODEL.name
        self._server: Any = None
        self._client: OpenAICompatibleProvider | None = None
        self._starting = threading.Lock()
        self.model_file = self._resolve_model_file()
        self.endpoint = f"embedded:{self.model_file.name}"  # the loopback server's port changes from run to run

    def _resolve_model_file(self) -> Path:
        if self.model_path is not None:
            check_gguf_header(self.model_path)
            return self.model_path
        path = default_model_path(self.model_dir)
        if not path.exists():
            if not self.install_if_missing:
                raise ModelFileError(f"the local model is not installed at {path}; run `summarizer model install`")
            log.warning("the local model is not installed yet; installing it now (about 1.1 GB, once)")
            return install_model(self.model_dir, progress=log.info)
        verify_model_file(path)
        return path

    def start(self) -> None:
        """Load the model and start the loopback server (idempotent, and safe from several threads)."""
        with self._starting:
            self._start()

    def _start(self) -> None:
        if self._client is not None:
            return
        path = self.model_file
        try:
            import xllamacpp
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ConfigError(f"the local provider needs xllamacpp: {exc}") from exc
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = self.context_tokens * self.policy.in_flight  # llama.cpp divides the context among its slots
        params.n_parallel = self.policy.in_flight
        params.cpuparams.n_threads = self.threads
        params.cpuparams_batch.n_threads = self.threads
        params.cache_prompt = True
        params.warmup = False
        # llama.cpp logs every load step and request to stderr; the CLI's own
        # lines are the user's progress report, and errors come back over HTTP.
        params.verbosity = -1
        if self.speculative == "ngram":
            # Prompt-lookup speculation: drafts tokens by matching n-grams of the
            # context (names, copied phrases). Experimental: with the grammar on,
            # some answers came out different, and the seeds showed no clear gain.
            params.speculative.types = [xllamacpp.common_speculative_type.COMMON_SPECULATIVE_TYPE_NGRAM_SIMPLE]
        self._server = xllamacpp.Server(params)
        self._client = OpenAICompatibleProvider(
            model=self.model,
            base_url=self._server.listening_address + "/v1",
            context_tokens=self.context_tokens,
            policy=self.policy,
            name=self.name,
            compact_json_grammar=True,
        )

    def complete(self, request: ModelRequest[OutputT]) -> ModelResult[OutputT]:
        """Start the model if needed and answer through the OpenAI-compatible path."""
        self.start()
        assert self._client is not None
        result = self._client.complete(request)
        result.endpoint = self.endpoint
        return result

    def close(self) -> None:
        """Stop the server and free the model."""
        if self._client is not None:
            self._client.close()
        self._client = None
        self._server = None
