"""The exception tree, and validation errors put in plain words. The CLI turns each into one line and an exit code, in one place.

* ``SetupError`` (exit 2): the run cannot start or go on at all (a bad
  option, a missing or corrupted model, a broken prompt or template). It is
  raised once, before or instead of any per-article work, never caught per
  article.
* ``RunError`` (exit 1): one input, one model call or one synthesis group
  failed; it is recorded for that input and the others go on.
"""

import re

from pydantic import ValidationError

_PYDANTIC_NOISE = re.compile(r"\s*\[type=.*$|\s*For further information visit \S+|\b(?:Value|Assertion) error, ", re.MULTILINE)
MAX_LISTED_ERRORS = 3


def plain_error_message(message: str) -> str:
    """A validator's message without pydantic's internals (``Value error,``, ``[type=…]``, documentation links)."""
    return _PYDANTIC_NOISE.sub("", message).strip()


def plain_validation_error(exc: ValidationError) -> str:
    """What failed validation, in plain words: ``where: why`` for the first few errors."""
    parts = []
    for error in exc.errors()[:MAX_LISTED_ERRORS]:
        where = ".".join(str(part) for part in error["loc"])
        message = plain_error_message(error["msg"])
        parts.append(f"{where}: {message}" if where else message)
    more = exc.error_count() - MAX_LISTED_ERRORS
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


class SummarizerError(Exception):
    """Base class: a problem a user can act on (no traceback needed).

    ``spent`` is what a failed model request had already cost (the providers'
    ``Usage``: attempts, tokens, seconds), when the error comes from one, so
    the run log records failed requests as they were.
    """

    spent: object | None = None


class SetupError(SummarizerError):
    """The configuration, a prompt, a template or the model file is unusable: nothing can run."""


class RunError(SummarizerError):
    """One input or one model call failed; the rest of the run goes on.

    ``transient``: the failure may not happen again (rate limits, 5xx,
    time-outs, dropped connections, answers cut off or not JSON), so the
    input gets a second pass at the end of the run.
    """

    transient: bool = False


class UsageError(SetupError):
    """A command's arguments cannot be used as given (a file that is not a brief, say)."""


class ConfigError(SetupError):
    """The provider or model configuration is invalid."""


class PromptError(SetupError):
    """A prompt file is missing, malformed, or rendered without a variable."""


class ModelFileError(SetupError):
    """The local model file is missing, truncated or corrupted."""


class EndpointError(SetupError):
    """The model endpoint cannot be reached at all: no request of this run got an answer."""


class EndpointRefusedError(SetupError):
    """The endpoint refused the run itself: a wrong key (401), no permission (403), no such model or path (404)."""


class TemplateError(SetupError):
    """An output template is missing or does not render."""


class InputError(RunError):
    """An input article cannot be read or is empty."""


class OutputError(RunError):
    """An output file could not be written."""


class FixtureMissError(RunError):
    """Replay found no recorded answer for a request."""


class ProviderError(RunError):
    """The model endpoint failed, or its answers never validated."""
