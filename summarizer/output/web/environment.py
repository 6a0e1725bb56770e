"""The Jinja2 environment for HTML: every value escaped by autoescape, links only to http(s) addresses, citations as links."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from summarizer.synthesis.schema import Citation, Claim

# No script may run and nothing may be fetched: styles are inline, images only data: URIs.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CitationLink = Callable[[int, int | None], str]


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) address, else None (never a ``javascript:`` or ``data:`` link)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def web_environment(numbers: dict[str, int], link: CitationLink) -> jinja2.Environment:
    """The HTML environment: ``numbers`` maps article ids to source numbers; ``link(n, sentence)`` is a passage's href.

    Filters: ``cite`` (a claim's or citation list's sources as links to their
    passages, each with the passage as its tooltip), ``http_url``, ``passage_href``.
    """
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("summarizer.output", "templates/web"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def cite(value: Claim | list[Citation] | Citation) -> Markup:
        citations = value.citations if isinstance(value, Claim) else value if isinstance(value, list) else [value]
        links = []
        for citation in dict.fromkeys((c.article_id, c.sentence, c.evidence or "") for c in citations):
            number = numbers.get(citation[0])
            if number is None:
                continue
            links.append(
                Markup('<a class="cite" href="{}" title="{}">[{}]</a>').format(link(number, citation[1]), citation[2], number)
            )
        return Markup("").join(links)

    environment.filters["cite"] = cite
    environment.filters["http_url"] = http_url
    environment.globals["passage_href"] = link
    environment.globals["csp"] = CONTENT_SECURITY_POLICY
    return environment
