"""An article's sentences grouped into its paragraphs, for pages that show the text with every sentence an anchor."""

from __future__ import annotations

from summarizer.inputs.article import Article
from summarizer.text.sentences import Sentence


def paragraphs_of(article: Article) -> list[list[Sentence]]:
    """The article's sentences, grouped by the blank lines of its text."""
    groups: list[list[Sentence]] = []
    previous_end = 0
    for sentence in article.sentences:
        if not groups or "\n\n" in article.text[previous_end : sentence.start]:
            groups.append([])
        groups[-1].append(sentence)
        previous_end = sentence.end
    return groups
