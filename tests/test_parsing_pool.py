"""Articles parsed in worker processes give the same briefs, in the same order, as parsed in one process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from summarizer.inputs.loading import LoadedArticle, article_from_text
from summarizer.providers.base import ModelRequest
from summarizer.runs.context import RunContext
from summarizer.runs.engines import process_pool as parsing
from summarizer.runs.many_inputs import iter_briefs
from summarizer.settings import Settings
from summarizer.testing import FunctionProvider

DATA = Path(__file__).parent / "data"


def _articles(copy: str) -> list[LoadedArticle]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((DATA / "cnndm").glob("*.txt"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted((DATA / "M000").glob("*.txt"))]
    return [
        LoadedArticle(source=f"a{n}", article=article_from_text(text + f"\n\nThis is copy {n}{copy}.", article_id=f"a{n}"))
        for n, text in enumerate(texts * 3)
    ]


def _answer(request: ModelRequest[Any]) -> dict[str, Any]:
    sentences = request.validation_context["sentences"] if request.validation_context else []
    quotes = [1] if request.validation_context and request.validation_context["quotes"] else []
    lead = " ".join(sentences[0].text.split()[:12])
    return {"headline": lead, "summary": sentences[0].text[:300], "key": [1, 2], "quotes": quotes}


def _briefs(processes: int, copy: str) -> list[str]:
    provider = FunctionProvider(_answer)
    context = RunContext(settings=Settings(concurrency=8, processes=processes), provider=provider)
    outcomes = list(iter_briefs(_articles(copy), provider, context))
    assert all(outcome.ok for outcome in outcomes), [outcome.error for outcome in outcomes if not outcome.ok]
    return [outcome.brief.model_dump_json(exclude={"generated_at"}) for outcome in outcomes if outcome.brief]


@pytest.fixture
def prepared_in_pool(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the articles whose parse came back from a worker process."""
    counted: list[int] = []
    keep = parsing._keep

    def counting(articles: Any, prepared: Any) -> None:
        counted.append(len(articles))
        keep(articles, prepared)

    monkeypatch.setattr(parsing, "_keep", counting)
    return counted


def test_a_pool_of_processes_briefs_as_one_process_does(prepared_in_pool: list[int]) -> None:
    one = _briefs(processes=1, copy=" (one process)")
    assert prepared_in_pool == []
    pooled = _briefs(processes=2, copy=" (one process)")  # the same texts: parsed again, in the workers
    assert sum(prepared_in_pool) > 0, "no batch was parsed in a worker process"
    assert len(pooled) == len(one) > parsing_batches_needed()
    assert pooled == one


def parsing_batches_needed() -> int:
    """More articles than one batch: the pool starts only for a second one."""
    from summarizer.nlp.analysis import PARSE_BATCH

    return PARSE_BATCH


def test_a_worker_that_fails_leaves_its_articles_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "prepare", _failing_prepare)
    assert _briefs(processes=2, copy=" (failing workers)") == _briefs(processes=1, copy=" (failing workers)")


def _failing_prepare(articles: Any) -> Any:
    raise RuntimeError("worker fell over")
