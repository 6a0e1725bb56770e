"""Article and model text as inert Markdown: no raw HTML, no links, no structure of its own.

Every value a template prints passes through ``markdown_safe`` once (Jinja's
``finalize``):

* newlines and control characters fold to spaces, so a title cannot start a
  heading, list or fence on a line of its own; a character that would open a
  block at the start of a value (``#``, ``-``, ``+``, ``*``, ``~``, a
  backtick, ``1.``) is escaped, since values follow ``- `` or ``## ``;
* ``<``, ``>`` and an ``&`` that would start an entity become entities (so
  ``<script>`` shows as text in every renderer, CommonMark or not); ``[``,
  ``]``, backticks and backslashes are backslash-escaped, so ``[text](url)``
  is not a link;
* addresses in running text (``https://…``, ``www.…``, ``javascript:…``)
  become code spans: readable and copyable, never clickable.

``markdown_link`` shows an address field (an article's URL) as an autolink
when it is a plain ``http(s)`` address and as a code span otherwise;
``markdown_code`` prints a value as a code span. Our own marks (``Markup``)
are left as they are.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ADDRESS = re.compile(r"(?i)\b(?:(?:https?|ftp|file|javascript|vbscript|data|mailto):|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_ESCAPED = re.compile(r"([\\\[\]`])")
# What opens a block at the start of a line: a heading, a list item, a thematic break (a fence's backticks and a
# quote's ">" are escaped everywhere). "0.0000", "-5" and "#1" open nothing and are left as they are.
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|(?:[-*_][ \t]*){3,}$)")
_PLAIN_HTTP = re.compile(r"(?i)^https?://[^\s<>`]+$")


def single_line(text: str) -> str:
    """``text`` on one line: newlines and control characters folded to single spaces (its own spaces kept)."""
    return _CONTROL.sub(" ", text)


def _inert_text(text: str) -> str:
    text = _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _ESCAPED.sub(r"\\\1", text)


def markdown_code(value: object) -> Markup:
    """``value`` as a code span (on one line), fenced with more backticks than it holds."""
    text = single_line(str(value)).strip()
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return Markup(f"{fence}{padded}{fence}")


def markdown_link(value: object) -> Markup:
    """An address field: a plain ``http(s)`` address as an autolink, anything else as a code span."""
    text = single_line(str(value)).strip()
    return Markup(f"<{text}>") if _PLAIN_HTTP.match(text) else markdown_code(text)


def markdown_heading(marks: object) -> Markup:
    """A template's own heading marks (``##``, ``###``), printed as they are; anything else is refused."""
    text = str(marks)
    if not re.fullmatch(r"#{1,6}", text):
        raise ValueError(f"not heading marks: {text!r}")
    return Markup(text)


def markdown_safe(value: object) -> object:
    """Article or model text as inert Markdown (see the module docstring); other values and ``Markup`` unchanged."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    text = single_line(value)
    pieces: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        pieces.append(_inert_text(text[last : match.start()]))
        pieces.append(str(markdown_code(match.group(0))))
        last = match.end()
    pieces.append(_inert_text(text[last:]))
    safe = "".join(pieces)
    return _no_block_start(safe)


def _no_block_start(safe: str) -> str:
    """A value follows "- " or "## " in the templates: a block marker at its start is escaped (its leading spaces dropped)."""
    stripped = safe.lstrip(" ")
    if _BLOCK_START.match(stripped):
        return re.sub(r"^(\d{1,9})([.)])", r"\1\\\2", stripped) if stripped[0].isdigit() else "\\" + stripped
    if stripped.startswith("~~~"):
        return "&#126;" + stripped[1:]
    return safe
