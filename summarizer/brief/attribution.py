"""Who said a quotation: a speaker counts only where the article attributes the quote to them.

The article attributes a quote to a speaker when the speaker is named in the
quote's sentence or in the sentence before or after it ("…," said Ma
Xiaotian; Ma Xiaotian said: "…"; "…," he said, after a sentence naming
him). Being named somewhere else in the article is not enough. A speaker
written in full by the model but by one part of the name in that window
("Piao said" for Piao Jianyi, "Schriver told" for Randall Schriver) counts
when the full name is in the article too; titles do not count as names.
"""

from __future__ import annotations

import re

from summarizer.inputs.article import Article
from summarizer.text.matching import occurs_in

NEIGHBOURS = 1  # sentences on each side of the quote's sentence that may name its speaker
_TITLES = frozenset(
    """mr mrs ms miss dr prof sir lord lady gen lt col maj capt sgt adm cmdr gov sen rep pres president minister
    secretary chief general colonel captain officer official spokesman spokeswoman spokesperson the of and""".split()
)


def attribution_window(article: Article, sentence: int) -> str:
    """The text of sentence ``sentence`` and its neighbours, with instruction-like sentences left out."""
    support = article.grounding_text
    around = [s for s in article.sentences if abs(s.number - sentence) <= NEIGHBOURS]
    return "\n".join(support[s.start : s.end] for s in around)


def attributed(speaker: str, article: Article, sentence: int) -> bool:
    """Whether the article attributes the quote in ``sentence`` to ``speaker``."""
    window = attribution_window(article, sentence)
    if occurs_in(speaker, window):
        return True
    parts = _name_parts(speaker)
    if parts is None or not occurs_in(speaker, article.grounding_text):
        return False
    return any(occurs_in(part, window) for part in (parts[0], parts[-1]))


def _name_parts(speaker: str) -> list[str] | None:
    """A person's name without titles, in 2 or 3 capitalised parts; None for anything else.

    "Lt-Gen Ma Xiaotian" -> [Ma, Xiaotian]; "South Korean Foreign Ministry
    official" -> None (a description, not a name: it must be written in full
    near the quote). Only the first and last part (the family name, in
    either order) may stand for the whole name.
    """
    words = [word for word in re.split(r"[\s-]+", speaker.strip()) if word]
    parts = [word for word in words if word.strip(".").casefold() not in _TITLES]
    if not 2 <= len(parts) <= 3 or not all(word[0].isupper() for word in words if word.casefold() not in _TITLES):
        return None
    if any(word[0].islower() and word.casefold() not in _TITLES for word in words):
        return None
    return [part for part in parts if len(part.strip(".")) > 1] or None


def unattributed_reason(speaker: str, article: Article) -> str:
    """Why ``speaker`` is not the attributed speaker of a quote."""
    if occurs_in(speaker, article.grounding_text):
        return f"the article does not attribute this quote to {speaker} (not named in its sentence or the ones beside it)"
    if occurs_in(speaker, article.text):
        return f"{speaker} is named only in a sentence that gives instructions to the model"
    return f"{speaker} is not named in the article"
