"""One spaCy parse per sentence, shared by everything that reads an article.

Every sentence is parsed on its own (the checks read who acts and what a
number counts, and the small parser labels subjects better out of context),
and kept: an article's names and quotations read the same parses, joined
into one ``Doc`` that covers the article's text exactly (the text between
sentences is tokenized, not parsed), so an article is parsed once, not once
whole and again sentence by sentence.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy

from summarizer.nlp.pipeline import PARSING, load_pipeline
from summarizer.text.sentences import Sentence

SENTENCES_KEPT = 4096  # over a hundred articles' sentences: every brief in flight and a batch parsed ahead (~10 KB each)
SENTENCE_BATCH = 64
_parsed: OrderedDict[str, Any] = OrderedDict()
_NO_TENSOR = numpy.zeros((0, 0), dtype="float32")


def parse_sentences(texts: Sequence[str]) -> list[Any]:
    """Each text parsed on its own (one ``nlp.pipe`` batch for those not parsed before), in order."""
    nlp = load_pipeline()
    ready = [_parsed.get(text) for text in texts]  # parses made ahead are read without waiting for a batch parsing
    if all(doc is not None and doc.vocab is nlp.vocab for doc in ready):
        return ready
    with PARSING:
        missing = list(dict.fromkeys(text for text in texts if not _kept(text, nlp)))
        if missing:
            for text, doc in zip(missing, nlp.pipe(missing, batch_size=SENTENCE_BATCH), strict=True):
                _keep(text, doc)
        found = []
        for text in texts:
            if not _kept(text, nlp):  # pushed out by this very batch (more sentences than are kept): parse it again
                _keep(text, nlp(text))
            found.append(_parsed[text])
        return found


def _kept(text: str, nlp: Any) -> bool:
    """Whether ``text`` has a parse made by this pipeline (one loaded again has a vocabulary of its own)."""
    doc = _parsed.get(text)
    return doc is not None and doc.vocab is nlp.vocab


def forget_parses() -> None:
    """Drop every kept parse (a benchmark measuring parses of new text calls it)."""
    with PARSING:
        _parsed.clear()


def _keep(text: str, doc: Any) -> None:
    doc.tensor = _NO_TENSOR  # tok2vec's output, half a kept parse's memory: nothing reads it once parsed
    _parsed[text] = doc
    _parsed.move_to_end(text)
    while len(_parsed) > SENTENCES_KEPT:
        _parsed.popitem(last=False)


def article_doc(text: str, sentences: Sequence[Sentence]) -> Any:
    """One ``Doc`` over all of ``text``: each sentence's own parse, and between them the text tokenized only.

    Its text is ``text`` exactly, so character offsets are the article's.
    """
    from spacy.tokens import Doc

    docs = parse_sentences([text[sentence.start : sentence.end] for sentence in sentences])
    tokenizer = load_pipeline().make_doc  # the parses' pipeline: parse_sentences parses again for a new one
    pieces, at = [], 0
    for sentence, doc in zip(sentences, docs, strict=True):
        if sentence.start > at:
            pieces.append(tokenizer(text[at : sentence.start]))
        pieces.append(doc)
        at = sentence.end
    if at < len(text):
        pieces.append(tokenizer(text[at:]))
    if not pieces:
        return tokenizer(text)
    # The parses' tensors are left out: the text between sentences has none, and nothing reads them.
    return Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor", "user_data"])  # type: ignore[call-arg]
