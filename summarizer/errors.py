"""Errors the library raises; the CLI turns each into one line and an exit code."""


class SummarizerError(Exception):
    """Base class: a problem a user can act on (no traceback needed)."""


class PromptError(SummarizerError):
    """A prompt file is missing, malformed, or rendered without a variable."""


class InputError(SummarizerError):
    """An input article cannot be read or is empty."""


class ConfigError(SummarizerError):
    """The provider or model configuration is invalid."""


class FixtureMissError(SummarizerError):
    """Replay found no recorded answer for a request."""


class ModelFileError(SummarizerError):
    """The local model file is missing, truncated or corrupted."""


class ProviderError(SummarizerError):
    """The model endpoint failed, or its answers never validated."""
