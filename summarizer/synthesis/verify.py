"""Check a synthesis (every citation's evidence in the article it cites), or any brief or synthesis JSON."""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.brief.schema import ArticleBrief, ItemCheck
from summarizer.brief.verify import check_brief, passage_check
from summarizer.errors import InputError
from summarizer.inputs.article import Article
from summarizer.synthesis.schema import Synthesis


def check_synthesis(synthesis: Synthesis, articles: Sequence[Article]) -> list[ItemCheck]:
    """Every citation's evidence must be found in the article it cites."""
    by_id = {article.id: article for article in articles}
    checks: list[ItemCheck] = []
    for claim in synthesis.claims():
        for citation in claim.citations:
            article = by_id.get(citation.article_id)
            if article is None:
                checks.append(
                    ItemCheck(
                        kind="citation", value=citation.article_id, verdict="unverified", reason="the cited article was not given"
                    )
                )
            elif citation.evidence:
                check = passage_check("evidence", citation.evidence, article.text)
                checks.append(check.model_copy(update={"value": f"{citation.article_id}: {citation.evidence}"}))
    return checks


def check_result(data: dict[str, object], articles: Sequence[Article]) -> list[ItemCheck]:
    """Check a brief or a synthesis given as parsed JSON (ours, or any JSON in our schema).

    A brief is checked against the article with its ``article_id`` (or the
    only article given); a synthesis against the articles it cites.
    """
    if "key_points" in data:
        brief = ArticleBrief.model_validate(data)
        matching = [article for article in articles if article.id == brief.article_id]
        if not matching and len(articles) == 1:
            matching = list(articles)
        if not matching:
            raise InputError(f"no article with id {brief.article_id!r} among the articles given")
        return check_brief(brief, matching[0])
    if "themes" in data:
        return check_synthesis(Synthesis.model_validate(data), articles)
    raise InputError("not a brief or a synthesis (no 'key_points' or 'themes')")
