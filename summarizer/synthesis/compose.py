"""From the model's prose to cited claims: every sentence it wrote is checked and cited by code, or dropped and listed.

- The overview, sentence by sentence, against every sentence the model was shown; when what holds is short,
  central sentences of articles it does not cite follow, verbatim.
- Each group's agreement (one small request each) against its group first, then the others (a sentence is
  never dropped for landing in the wrong slot); two or more of the group's
  articles must each support it on their own (its names, its numbers, and
  most of its content words), so that a sentence merged from two different
  statements is not kept as something they agree on.
- Each theme name against the groups it names, else all of them.
A sentence that repeats an earlier one (a small model loops) is dropped too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from summarizer.checks.support import JOINED, Support, find_support, holding_sentences, made_fact
from summarizer.nlp.features import SentenceFeatures, sentence_features
from summarizer.providers.base import FlaggedItem
from summarizer.synthesis.align import AlignedGroup
from summarizer.synthesis.draft import SynthesisDraft
from summarizer.synthesis.material import ArticleSentence, cited_claim
from summarizer.synthesis.schema import Claim
from summarizer.text.matching import fold
from summarizer.text.sentences import closes_sentence, ends_mid_clause, split_sentences

THEME_COVERAGE = 0.5  # a theme is a short name: half its words found is enough
FALLBACK_OVERVIEW_SENTENCES = 2
MIN_OVERVIEW_WORDS = 40  # fewer seldom say what a story is
LONG_STORY_ARTICLES = 5  # a story of this many articles or more ...
LONG_OVERVIEW_WORDS = 180  # ... needs this many words to carry it (120 to 200 asked; more recall nearer the top)
MAX_OVERVIEW_WORDS = 200
REPEAT_OVERLAP = 0.8  # content-word overlap at which a sentence says the same again


@dataclass
class Composed:
    """The model-phrased parts of a synthesis, cited by code, and what was dropped."""

    overview: Claim
    agreements: list[Claim] = field(default_factory=list)
    themes: list[Claim] = field(default_factory=list)
    removed: list[FlaggedItem] = field(default_factory=list)
    unverified: list[FlaggedItem] = field(default_factory=list)


def fallback_overview(groups: Sequence[AlignedGroup], leads: Sequence[ArticleSentence]) -> Claim:
    """The most central sentences, verbatim, when the model wrote no supported overview."""
    sentences = [group.seed for group in groups[:FALLBACK_OVERVIEW_SENTENCES]] or list(leads[:FALLBACK_OVERVIEW_SENTENCES])
    return cited_claim(" ".join(sentence.text for sentence in sentences), sentences)


def overview_words(articles: int) -> tuple[int, int]:
    """How long an overview should be (least, most words): a story of ``LONG_STORY_ARTICLES`` or more needs room."""
    return (
        (LONG_OVERVIEW_WORDS, MAX_OVERVIEW_WORDS) if articles >= LONG_STORY_ARTICLES else (MIN_OVERVIEW_WORDS, MAX_OVERVIEW_WORDS)
    )


def topped_up(
    kept_text: list[str],
    kept_sentences: list[ArticleSentence],
    groups: Sequence[AlignedGroup],
    leads: Sequence[ArticleSentence],
    articles: int = 1,
) -> Claim:
    """The overview's supported sentences, followed, while under the least length for the story (``overview_words``),
    by central sentences verbatim, never past the most.

    Articles' first sentences not yet cited come first (what each reports
    most), then the groups' seed sentences; a sentence that opens on a
    reference it does not resolve ("It said …", "That dialogue …") is
    passed over.
    """
    least, most = overview_words(articles)
    text, sentences = list(kept_text), list(kept_sentences)
    for sentence in [*leads, *(group.seed for group in groups)]:
        words = len(" ".join(text).split())
        if words >= least:
            break
        if sentence.article_id in {s.article_id for s in sentences} or opens_on_reference(sentence.text):
            continue
        if words + len(sentence.text.split()) > most:
            continue
        text.append(sentence.text)
        sentences.append(sentence)
    if not sentences:  # nothing of the model's held and every candidate was too long or a dangling reference
        return fallback_overview(groups, leads)
    return cited_claim(" ".join(text), sentences)


_REFERENCE_START = re.compile(
    r"^\W*(?:it|its|they|their|them|he|his|she|her|this|that|these|those|such|the latter|the former)\b", re.IGNORECASE
)


def opens_on_reference(text: str) -> bool:
    """Whether a sentence opens on a pronoun or demonstrative that points at something said before it."""
    return bool(_REFERENCE_START.match(text))


def compose(
    draft: SynthesisDraft | None,
    phrased: Sequence[str | None],
    groups: Sequence[AlignedGroup],
    leads: Sequence[ArticleSentence],
    cores: Sequence[str | None] = (),
) -> Composed:
    """Cite the overview, themes and each group's phrased agreement in the sentences shown; drop what has no support.

    ``phrased`` holds the model's sentence for each group (None where its call failed);
    ``cores`` the shared part code cut out of each group (``fusion``), which
    stands in, verbatim, for a group whose sentence from the model no two
    articles support, when two articles support the core.
    """
    pool = [sentence for group in groups for sentence in group.sentences] + list(leads)
    overview_sentences = [s.text.strip() for s in split_sentences(tidy(draft.overview)) if s.text.strip()] if draft else []
    agreements = [tidy(text).strip() for text in phrased if text is not None]
    slots = [index for index, text in enumerate(phrased) if text is not None]
    themes = [theme.text.strip() for theme in draft.themes] if draft else []
    features = sentence_features([*overview_sentences, *agreements, *themes])  # one parse for every sentence
    overview_features = features[: len(overview_sentences)]
    agreement_features = features[len(overview_sentences) : len(overview_sentences) + len(agreements)]
    theme_features = features[len(overview_sentences) + len(agreements) :]
    removed: list[FlaggedItem] = []
    unverified: list[FlaggedItem] = []
    return Composed(
        overview=_overview(draft, overview_sentences, overview_features, pool, groups, leads, removed, unverified),
        agreements=_agreements(agreements, agreement_features, slots, groups, cores, removed),
        themes=_themes(draft, themes, theme_features, groups, pool, removed),
        removed=removed,
        unverified=unverified,
    )


def _overview(
    draft: SynthesisDraft | None,
    sentences: Sequence[str],
    features: Sequence[SentenceFeatures],
    pool: Sequence[ArticleSentence],
    groups: Sequence[AlignedGroup],
    leads: Sequence[ArticleSentence],
    removed: list[FlaggedItem],
    unverified: list[FlaggedItem],
) -> Claim:
    """The overview's supported sentences, topped up with central ones; code's fallback when none holds.

    A sentence whose words one article holds but no one sentence of it says
    (a fusion within one article) is kept, cited, and listed in
    ``unverified``; one joined from sentences of different articles is dropped.
    """
    kept_text: list[str] = []
    kept_sentences: list[ArticleSentence] = []
    written: list[SentenceFeatures] = []  # the finished sentences so far, each once
    for text, feature in zip(sentences, features, strict=True):
        if unfinished(text):
            removed.append(FlaggedItem(field="overview", value=text, reason="it stops mid-sentence"))
            continue
        if _repeats(feature, written):
            removed.append(FlaggedItem(field="overview", value=text, reason="it repeats an earlier sentence"))
            continue
        if not kept_text and opens_on_reference(text):
            reason = "it opens on a reference to something not said before it"
            removed.append(FlaggedItem(field="overview", value=text, reason=reason))
            continue
        written.append(feature)
        support = find_support(text, feature, pool)
        problem = support.problem or made_fact(text, feature, support.sentences)
        if problem and problem.startswith(JOINED) and len({s.article_id for s in support.sentences}) == 1:
            unverified.append(FlaggedItem(field="overview", value=text, reason=f"not verified: {problem}"))
            problem = None
        if problem:
            removed.append(FlaggedItem(field="overview", value=text, reason=problem))
        else:
            kept_text.append(text)
            kept_sentences.extend(support.sentences)
    if kept_text:
        return topped_up(kept_text, kept_sentences, groups, leads, len({s.article_id for s in pool}))
    if draft is not None:
        reason = "no sentence of it is supported; the most central sentences stand in"
        removed.append(FlaggedItem(field="overview", value=draft.overview, reason=reason))
    return topped_up([], [], groups, leads, len({s.article_id for s in pool}))


def _agreements(
    agreements: Sequence[str],
    features: Sequence[SentenceFeatures],
    slots: Sequence[int],
    groups: Sequence[AlignedGroup],
    cores: Sequence[str | None],
    removed: list[FlaggedItem],
) -> list[Claim]:
    """Each phrased agreement cited in its own group, else another; code's core where no phrasing holds."""
    by_group: dict[int, Claim] = {}
    kept_features: list[SentenceFeatures] = []
    for index, (text, feature) in enumerate(zip(agreements, features, strict=True)):
        if unfinished(text):
            removed.append(FlaggedItem(field="agreements", value=text, reason="it stops mid-sentence"))
            continue
        if _repeats(feature, features[:index]):
            removed.append(FlaggedItem(field="agreements", value=text, reason="it repeats an earlier agreement"))
            continue
        own = slots[index]
        order = [own] + [n for n in range(len(groups)) if n != own]
        first_problem = None
        for number in order:
            if number in by_group:
                continue
            support = _agreement_support(text, feature, groups[number])
            if support.problem is None:
                by_group[number] = cited_claim(text, support.sentences)
                kept_features.append(feature)
                break
            first_problem = first_problem or support.problem
        else:
            removed.append(FlaggedItem(field="agreements", value=text, reason=first_problem or "no group left to support it"))
    for number, core in enumerate(cores):
        if core is None or number in by_group or number >= len(groups):
            continue
        core_feature = sentence_features([core])[0]
        support = _agreement_support(core, core_feature, groups[number])
        if support.problem is None and not _repeats(core_feature, kept_features):
            by_group[number] = cited_claim(core, support.sentences)
            kept_features.append(core_feature)
    return [by_group[number] for number in sorted(by_group)]


def _themes(
    draft: SynthesisDraft | None,
    themes: Sequence[str],
    features: Sequence[SentenceFeatures],
    groups: Sequence[AlignedGroup],
    pool: Sequence[ArticleSentence],
    removed: list[FlaggedItem],
) -> list[Claim]:
    """Each theme name cited in the groups it names, else in all that was shown; at most ``MAX_THEMES``, none a
    rewording of one kept before it (``REWORDING_OVERLAP`` of their content words shared).
    """
    composed: list[Claim] = []
    seen: set[str] = set()
    kept_words: list[frozenset[str]] = []
    for theme, text, feature in zip(draft.themes if draft else [], themes, features, strict=True):
        rewords = next(
            (i for i, words in enumerate(kept_words) if _shared_share(words, feature.lemmas) >= REWORDING_OVERLAP), None
        )
        if rewords is not None or len(composed) >= MAX_THEMES:
            why = f"rewords the theme '{composed[rewords].text}'" if rewords is not None else f"more than {MAX_THEMES} themes"
            removed.append(FlaggedItem(field="themes", value=text, reason=why))
            continue
        named = [groups[n - 1] for n in theme.groups if 0 < n <= len(groups)]
        support = find_support(text, feature, [s for group in named for s in group.sentences], THEME_COVERAGE)
        if support.problem:
            support = find_support(text, feature, pool, THEME_COVERAGE)
        if support.problem:
            removed.append(FlaggedItem(field="themes", value=text, reason=support.problem))
        elif fold(text) not in seen:
            seen.add(fold(text))
            composed.append(cited_claim(text, support.sentences))
            kept_words.append(feature.lemmas)
    return composed


MAX_THEMES = 5
REWORDING_OVERLAP = 0.5


def _shared_share(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared content words over the smaller set's: "tsunami aid" and "aid to tsunami victims" share all of one."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


_SPACED_INITIALS = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")


def tidy(text: str) -> str:
    """The model's text with initialisms it spaced out closed up again ("U. S." -> "U.S."), so names match."""
    return _SPACED_INITIALS.sub(r"\1.", text)


def unfinished(text: str) -> bool:
    """Whether a sentence the model wrote stops short: no closing punctuation, or on a word that cannot end one."""
    return ends_mid_clause(text) or not closes_sentence(text)


def _overlap(a: SentenceFeatures, b: SentenceFeatures) -> float:
    """Jaccard overlap of two sentences' content lemmas."""
    union = a.lemmas | b.lemmas
    return len(a.lemmas & b.lemmas) / len(union) if union else 1.0


def _repeats(feature: SentenceFeatures, earlier: Sequence[SentenceFeatures]) -> bool:
    """Whether the sentence says one of the ``earlier`` ones again (a small model loops)."""
    return any(_overlap(feature, other) >= REPEAT_OVERLAP for other in earlier)


def _agreement_support(text: str, feature: SentenceFeatures, group: AlignedGroup) -> Support:
    """The group's articles that each, on their own, support the claim; two or more are needed."""
    whole = find_support(text, feature, group.sentences)
    if whole.problem:
        return whole
    support = Support(tuple(holding_sentences(text, feature, group.sentences)))
    fact = made_fact(text, feature, support.sentences)
    if fact is not None:
        return Support((), fact)
    if len(support.article_ids) < 2:
        held = ", ".join(support.article_ids) or "none"
        return Support((), f"no two articles support it each on their own (holding it: {held}); an agreement needs two or more")
    return support
