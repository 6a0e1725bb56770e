"""Prompt-evaluation and generation speed of one brief request under llama.cpp parameter variants.

Usage: python bench/llama_params.py [VARIANT...]   (default: all; needs the local model installed)

Each variant loads the model afresh, sends the brief request of seed 003
(about 1,060 prompt tokens, nothing cached) with max_tokens=60, and prints
llama.cpp's own timings: prompt tokens/s and generated tokens/s. This is how
the provider's defaults were checked; none of the variants was faster.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openai
import xllamacpp

from summarizer.brief.pipeline import build_brief_request
from summarizer.inputs.loading import load_article
from summarizer.providers.model_file import default_model_path
from summarizer.settings import Settings

VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "flash_attn_off": {"flash_attn_type": 0},
    "flash_attn_on": {"flash_attn_type": 1},
    "ubatch_256": {"n_ubatch": 256},
    "ubatch_1024": {"n_ubatch": 1024},
    "kv_cache_q8": {
        "cache_type_k": xllamacpp.ggml_type.GGML_TYPE_Q8_0,
        "cache_type_v": xllamacpp.ggml_type.GGML_TYPE_Q8_0,
        "flash_attn_type": 1,
    },
    "no_polling": {"poll": 0},
}


def _params(changes: dict[str, Any]) -> Any:
    params = xllamacpp.CommonParams()
    params.model.path = str(default_model_path(Settings.from_env().model_dir))
    params.n_ctx, params.n_parallel, params.warmup, params.verbosity = 8192, 1, False, -1
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    for name, value in changes.items():
        if name == "poll":
            params.cpuparams.poll = params.cpuparams_batch.poll = value
        else:
            setattr(params, name, value)
    return params


def main(names: list[str]) -> int:
    request = build_brief_request(load_article(Path("seeds/003_3aad753bc744b282.txt")))
    for name in names or list(VARIANTS):
        server = xllamacpp.Server(_params(VARIANTS[name]))
        client = openai.OpenAI(base_url=server.listening_address + "/v1", api_key="none")
        reply = client.chat.completions.create(model="local", messages=request.messages, max_tokens=60, temperature=0)
        timings = (reply.model_extra or {})["timings"]
        print(
            f"{name:<15} prompt {timings['prompt_n']} tok at {timings['prompt_per_second']:.1f} tok/s | "
            f"generation {timings['predicted_n']} tok at {timings['predicted_per_second']:.1f} tok/s",
            flush=True,
        )
        client.close()
        del server
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
