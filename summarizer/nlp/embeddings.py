"""Sentence vectors from wordllama's bundled static token embeddings (offline, 19 MB, no network).

``WordLlama.load()`` looks for its tokenizer in a folder the wheel does not
have and then tries a model hub; the inference object is built here from
the two files the wheel does ship.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_LOADING = threading.Lock()


@contextmanager
def _root_logging_kept() -> Iterator[None]:
    """Undo what an import does to the root logger: wordllama calls ``logging.basicConfig(level=INFO)`` when
    imported, which put every dependency's INFO lines (httpx's "HTTP Request: POST …") on the user's terminal.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


@lru_cache(maxsize=1)
def _model() -> Any:
    from safetensors import safe_open
    from tokenizers import Tokenizer

    with _root_logging_kept():
        from wordllama.inference import WordLlamaInference

    package = files("wordllama")
    with _LOADING, safe_open(str(package / WEIGHTS), framework="np") as weights:
        matrix = weights.get_tensor(next(iter(weights.keys())))
    return WordLlamaInference(matrix, Tokenizer.from_file(str(package / TOKENIZER)))


MAX_EMBEDDED_CHARS = 2_000  # a lead or a sentence; beyond this the vector no longer changes in any way that matters


def sentence_vectors(texts: Sequence[str]) -> np.ndarray:
    """One unit-length vector per text (rows), so a dot product is the cosine; each text's first
    ``MAX_EMBEDDED_CHARS`` characters are embedded (the tokenizer's memory grows with what it is given).
    """
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    return np.asarray(_model().embed([text[:MAX_EMBEDDED_CHARS] for text in texts], norm=True), dtype=np.float32)
