"""The prompt library: one TOML file per prompt, rendered with Jinja2.

A prompt file holds ``id``, ``version``, ``description``, ``system`` and
``user`` templates, optionally worked ``[[examples]]`` (sent as earlier
user/assistant turns, before the real input), and optionally ``fix``: the follow-up message that names
what failed the grounding checks and asks for a corrected answer. Rendering uses ``StrictUndefined``, so a template that
names a variable the caller did not pass is an error, never an empty string.
Bump ``version`` whenever the meaning of a prompt changes: it is part of the
fixture key, so recorded answers to the old prompt stop matching.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from summarizer.errors import PromptError
from summarizer.files import content_hash


def _neutralise_markup(value: Any) -> Any:
    """Every interpolated value, with ``<`` and ``>`` as entities: article text cannot open or close the prompt's tags."""
    if isinstance(value, str):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attribute(value: Any) -> str:
    """A value placed inside an attribute's double quotes: its own double quotes become ``&quot;``."""
    return str(value).replace('"', "&quot;")


# Values are not HTML-escaped (quotes and ampersands in news text stay as they are,
# so the model reads them plainly); only the characters that could forge the prompt's
# own markup are neutralised.
_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_neutralise_markup
)
_ENV.filters["attr"] = _attribute


@lru_cache(maxsize=64)
def _compiled(source: str) -> jinja2.Template:
    """A template compiled once (compiling is most of the cost of rendering a prompt)."""
    return _ENV.from_string(source)


@dataclass(frozen=True)
class Prompt:
    """A prompt template with its identity."""

    id: str
    version: str
    description: str
    system: str
    user: str
    path: Path
    fix: str | None = None
    examples: tuple[tuple[str, str], ...] = ()

    @property
    def digest(self) -> str:
        """A hash of the prompt's text (templates and worked examples): an edited prompt is another prompt."""
        return content_hash([self.id, self.version, self.system, self.user, self.fix, list(self.examples)], 16)

    def render_fix(self, **variables: Any) -> dict[str, str]:
        """Render the follow-up message that asks the model to fix named problems."""
        if self.fix is None:
            raise PromptError(f"prompt {self.id!r} v{self.version} has no 'fix' template")
        try:
            return {"role": "user", "content": _compiled(self.fix).render(**variables)}
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {self.id!r} v{self.version}: {exc}") from exc

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Render the chat messages; a missing variable raises ``PromptError``."""
        try:
            shots = [
                message
                for user, assistant in self.examples
                for message in ({"role": "user", "content": user}, {"role": "assistant", "content": assistant})
            ]
            return [
                {"role": "system", "content": _compiled(self.system).render(**variables)},
                *shots,
                {"role": "user", "content": _compiled(self.user).render(**variables)},
            ]
        except jinja2.UndefinedError as exc:
            raise PromptError(f"prompt {self.id!r} v{self.version}: {exc}") from exc


def packaged_prompts_dir() -> Path:
    """Where the prompt files that ship with the package are.

    An installed wheel carries them as ``summarizer/prompts``; a source
    checkout has them at ``prompts/``. (``Settings.prompts_dir`` chooses
    another directory.)
    """
    packaged = Path(str(resources.files("summarizer"))) / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "prompts"


def _parse(path: Path) -> Prompt:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PromptError(f"cannot read prompt file {path}: {exc}") from exc
    required = ("id", "version", "system", "user")
    missing = [key for key in required if not isinstance(data.get(key), str)]
    if missing:
        raise PromptError(f"prompt file {path} lacks {', '.join(missing)}")
    unknown = set(data) - {*required, "description", "fix", "examples"}
    if unknown:
        raise PromptError(f"prompt file {path} has unknown keys: {', '.join(sorted(unknown))}")
    return Prompt(
        id=data["id"],
        version=data["version"],
        description=data.get("description", ""),
        system=data["system"],
        user=data["user"],
        path=path,
        fix=data.get("fix"),
        examples=_examples(data.get("examples", []), path),
    )


def _examples(raw: object, path: Path) -> tuple[tuple[str, str], ...]:
    """Worked examples: ``[[examples]]`` tables with literal ``user`` and ``assistant`` text."""
    if not isinstance(raw, list) or not all(
        isinstance(item, dict) and set(item) == {"user", "assistant"} and all(isinstance(v, str) for v in item.values())
        for item in raw
    ):
        raise PromptError(f"prompt file {path}: each [[examples]] needs exactly a 'user' and an 'assistant' string")
    return tuple((item["user"], item["assistant"]) for item in raw)


@lru_cache(maxsize=8)
def _load_all(directory: Path) -> dict[str, Prompt]:
    prompts: dict[str, Prompt] = {}
    for path in sorted(directory.glob("*.toml")):
        prompt = _parse(path)
        if prompt.id in prompts:
            raise PromptError(f"prompt id {prompt.id!r} is defined twice ({prompts[prompt.id].path}, {path})")
        prompts[prompt.id] = prompt
    return prompts


def list_prompts(directory: Path | None = None) -> list[Prompt]:
    """All prompts in the library, sorted by id."""
    return sorted(_load_all(directory or packaged_prompts_dir()).values(), key=lambda p: p.id)


def get_prompt(prompt_id: str, directory: Path | None = None) -> Prompt:
    """The prompt with this id; ``PromptError`` if there is none."""
    prompts = _load_all(directory or packaged_prompts_dir())
    if prompt_id not in prompts:
        known = ", ".join(sorted(prompts)) or "none"
        raise PromptError(f"no prompt with id {prompt_id!r} (known: {known})")
    return prompts[prompt_id]
