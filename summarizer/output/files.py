"""One brief per input, written to a folder (or rendered for standard output): what ``summarizer brief`` does."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from summarizer.files import write_atomic
from summarizer.inputs.loading import iter_articles
from summarizer.output.render import SUFFIXES, render_brief
from summarizer.providers.base import Provider
from summarizer.providers.factory import provider_scope
from summarizer.runs.batch import BriefOutcome, iter_briefs
from summarizer.runs.cache import BriefCache
from summarizer.settings import Settings, settings_for_call


def output_name(article_id: str, output_format: str) -> str:
    """The file name of an article's brief: ``<id>.brief.json`` or ``<id>.brief.md``."""
    return article_id + SUFFIXES[output_format]


def brief_files(
    inputs: Iterable[str | Path],
    *,
    output_dir: Path | None = None,
    output_format: str = "json",
    provider: Provider | None = None,
    settings: Settings | None = None,
    cache: BriefCache | None = None,
) -> Iterator[BriefOutcome]:
    """Brief every article in ``inputs``, one outcome at a time, writing each brief into ``output_dir``.

    Each outcome's ``output`` is the file written (None without an output
    folder: render ``outcome.brief`` yourself, e.g. to standard output). A
    failed input is an outcome with ``error`` set; the rest go on.
    """
    chosen = settings_for_call(settings, provider_given=provider is not None)
    with provider_scope(provider, chosen) as active:
        for outcome in iter_briefs(iter_articles(inputs), active, chosen, cache):
            if outcome.brief is not None and output_dir is not None:
                target = output_dir / output_name(outcome.brief.article_id, output_format)
                write_atomic(target, render_brief(outcome.brief, output_format))
                outcome.output = target
            yield outcome
