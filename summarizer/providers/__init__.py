"""Model backends behind one interface: requests in, validated results out (never briefs).

``base`` (the interface and its data), ``budget`` (context sizes),
``factory`` (settings -> provider), ``openai_compat`` (any OpenAI-compatible
endpoint), ``local`` and ``model_file`` (the embedded model), ``replay`` and
``fixtures`` (recorded answers).
"""

from summarizer.providers.base import FlaggedItem, GenerationParams, ModelRequest, ModelResult, Provider, Usage
from summarizer.providers.factory import build_provider, provider_scope

__all__ = [
    "FlaggedItem",
    "GenerationParams",
    "ModelRequest",
    "ModelResult",
    "Provider",
    "Usage",
    "build_provider",
    "provider_scope",
]
