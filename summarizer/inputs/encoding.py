"""Bytes to text: trust the bytes over the label.

A page's declared charset (its Content-Type header, else its ``<meta>``) is
used when the bytes decode with it and are not evidently something else.
Two cases are caught, both common on the web:

* the bytes do not decode with the declared charset (cp1252 bytes under a
  UTF-8 label): the encoding is detected from the bytes (charset-normalizer);
* a single-byte label (latin-1, cp1252) on bytes that are valid UTF-8 with
  non-ASCII characters: they are UTF-8 ("ZÃ¼rich" would be the result of
  believing the label). Legacy text that happens to be valid UTF-8 is
  vanishingly rare.

When the detector finds several single-byte encodings equally plausible
(short texts fit cp1250 or cp775 as well as cp1252: "naïve" became "naďve"),
windows-1252 is preferred, as the WHATWG encoding standard does for
undeclared legacy Western pages. What was decided, when it was not the
label, is returned as a note for the article's metadata.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from summarizer.errors import InputError

_FILE_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""", re.IGNORECASE)
_UTF8_FAMILY = ("utf-8", "utf-8-sig")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
PREFERRED_LEGACY = "cp1252"
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, the codec used, and a note when the bytes overruled (or replaced) the label."""

    text: str
    encoding: str
    note: str | None = None


def decode_text(data: bytes, source: str) -> str:
    """A local file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file, not text")
    for encoding in _FILE_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{source}: cannot decode the text")  # pragma: no cover - latin-1 decodes anything


def declared_charset(body: bytes, header_charset: str | None) -> str | None:
    """The charset a page declares: its Content-Type header's, else a ``<meta>`` or XML declaration near its top."""
    if header_charset:
        return header_charset
    head = body[:_SNIFF_BYTES]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec(name: str | None) -> str | None:
    """The Python codec of a charset label, or None when the label is unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(data: bytes) -> tuple[str, str]:
    """(text, codec) as the bytes suggest, with windows-1252 first among equally plausible single-byte codecs."""
    import charset_normalizer  # imported lazily: only pages with a wrong or missing label need it

    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return data.decode(PREFERRED_LEGACY, errors="replace"), PREFERRED_LEGACY
    least_chaos = min(match.chaos for match in matches)
    plausible = [match for match in matches if match.chaos <= least_chaos]
    legacy = _strict(data, PREFERRED_LEGACY)
    # The detector lists one of several codecs that decode the bytes to the same text (cp1250 for cp1252's "Zürich").
    if legacy is not None and any(_codec(m.encoding) == PREFERRED_LEGACY or str(m) == legacy for m in plausible):
        return legacy, PREFERRED_LEGACY
    return str(plausible[0]), _codec(plausible[0].encoding) or plausible[0].encoding


def decode_page(body: bytes, header_charset: str | None = None) -> DecodedText:
    """A fetched page's text, its label checked against its bytes (see the module docstring)."""
    if body.startswith(codecs.BOM_UTF8):
        return DecodedText(body.decode("utf-8-sig"), "utf-8")
    if body.startswith(_UTF16_BOMS):
        return DecodedText(body.decode("utf-16", errors="replace"), "utf-16")
    label = declared_charset(body, header_charset)
    codec = _codec(label)
    as_utf8 = _strict(body, "utf-8")
    if codec is not None:
        text = _strict(body, codec)
        if text is not None:
            if codec not in _UTF8_FAMILY and as_utf8 is not None and not body.isascii():
                return DecodedText(as_utf8, "utf-8", f"decoded as UTF-8: the bytes are UTF-8, though labelled {label}")
            return DecodedText(text, codec)
    if label is None:
        why = "no charset declared"
    elif codec is None:
        why = f"the label {label!r} is unknown"
    else:
        why = f"not valid {label} as labelled"
    if as_utf8 is not None:
        return DecodedText(as_utf8, "utf-8", None if label is None else f"decoded as UTF-8 ({why})")
    text, found = _detected(body)
    return DecodedText(text, found, f"decoded as {found}, detected from the bytes ({why})")
