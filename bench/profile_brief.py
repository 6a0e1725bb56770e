"""Where a brief's own CPU time goes, for seed-size articles, stage by stage.

Usage: python bench/profile_brief.py [--articles N] [--rounds R]

N distinct articles of 500 to 900 words (the CNN / Daily Mail evaluation
articles and the seeds, each made distinct by a last sentence naming its
copy) are briefed one after another with an in-process provider that
answers at once with a valid draft (headline and summary from the lead,
three key points by sentence number), so all the time measured is the
pipeline's own. cProfile with a CPU-time clock attributes the time to the
stage functions below (cumulative, so a stage includes what it calls) and
prints the table: milliseconds of CPU per article, median of R rounds. The
profiler slows every call; the last line is the whole brief's CPU time per
article measured without it, on other copies.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.inputs.loading import LoadedArticle, article_from_text  # noqa: E402
from summarizer.nlp.parses import forget_parses  # noqa: E402
from summarizer.nlp.pipeline import load_pipeline  # noqa: E402
from summarizer.providers.base import ModelRequest  # noqa: E402
from summarizer.runs.context import RunContext  # noqa: E402
from summarizer.runs.outcome import brief_loaded  # noqa: E402
from summarizer.settings import Settings  # noqa: E402
from summarizer.testing import FunctionProvider  # noqa: E402

# (label, file suffix, function name): cumulative CPU time of each.
STAGES = (
    ("whole brief", "runs/outcome.py", "brief_loaded"),
    ("sentence split", "inputs/article.py", "sentences"),
    ("sentence parses (spaCy, each sentence once)", "nlp/parses.py", "parse_sentences"),
    ("  the article's Doc joined from them", "nlp/parses.py", "article_doc"),
    ("names and quotations (incl. parses)", "nlp/analysis.py", "_analyse"),
    ("prompt rendering (Jinja)", "summarizer/prompts.py", "render"),
    ("answer validation (pydantic)", "summarizer/testing.py", "complete"),
    ("assembly (spans, speakers, dates)", "brief/assemble.py", "brief_from_draft"),
    ("grounding report", "brief/verify.py", "verify_brief"),
    ("  meaning checks", "brief/meaning.py", "meaning_report"),
    ("  article sentences as passages", "checks/passage.py", "passages_of"),
    ("  spaCy, every call", "spacy/language.py", "pipe"),
)


def seed_size_articles(count: int, copy: str = "") -> list[LoadedArticle]:
    """``count`` distinct real articles of about 500-900 words (``copy`` tells one set of copies from another)."""
    folders = [ROOT.parent / "shared/eval/cnndm", ROOT / "seeds"]
    texts = [path.read_text(encoding="utf-8") for folder in folders for path in sorted(folder.glob("*.txt"))]
    loaded = []
    for n in range(count):
        text = texts[n % len(texts)].rstrip() + f"\n\nThis is copy {n}{copy} of the article."
        loaded.append(LoadedArticle(source=f"a{n}", article=article_from_text(text, article_id=f"a{n}")))
    return loaded


def lead_answer(request: ModelRequest[Any]) -> dict[str, Any]:
    """A valid brief draft from the article's own sentences, as a good model would give."""
    sentences = request.validation_context["sentences"] if request.validation_context else []
    first = sentences[0].text if sentences else "The article."
    return {"headline": " ".join(first.split()[:10]), "summary": first, "key": [1, 2, 3][: len(sentences)], "quotes": []}


def brief_all(articles: list[LoadedArticle]) -> float:
    """Brief ``articles`` one after another; the CPU seconds it took."""
    provider = FunctionProvider(lead_answer)
    context = RunContext(settings=Settings(), provider=provider)
    recipe = context.brief_recipe(provider)
    started = time.process_time()
    for item in articles:
        forget_parses()  # every article's sentences are new to it, as a day's news mostly are
        outcome = brief_loaded(item, provider, recipe)
        assert outcome.ok, outcome.error
    return time.process_time() - started


def profile_round(articles: list[LoadedArticle], unprofiled: list[LoadedArticle]) -> tuple[dict[str, float], float]:
    """ms of CPU per article per stage (under cProfile, CPU clock), and per article without the profiler."""
    spent = brief_all(unprofiled) / len(unprofiled) * 1000
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    brief_all(articles)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    table = {}
    for label, suffix, name in STAGES:
        seconds = sum(v[3] for (file, _, function), v in stats.items() if file.endswith(suffix) and function == name)
        table[label] = seconds / len(articles) * 1000
    return table, spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    load_pipeline()
    rounds = []
    for round_number in range(options.rounds):
        profiled = seed_size_articles(options.articles, copy=f" of round {round_number}")
        rounds.append(profile_round(profiled, seed_size_articles(options.articles, copy=f" of plain round {round_number}")))
    words = statistics.median(len(item.article.text.split()) for item in seed_size_articles(options.articles) if item.article)
    print(f"{options.articles} articles (median {words:.0f} words), {options.rounds} rounds, CPU ms per article (median):")
    for label, _, _ in STAGES:
        print(f"  {label:<40} {statistics.median(r[0][label] for r in rounds):8.1f}")
    print(f"  {'whole brief, without the profiler':<40} {statistics.median(r[1] for r in rounds):8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
