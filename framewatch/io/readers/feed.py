"""RSS 2.0, Atom and RDF feeds: one record per entry (feedparser imported on use)."""
from __future__ import annotations

import io
import re
from typing import Iterator

from framewatch.io.readers.html import html_to_text, title_and_body
from framewatch.io.records import DOCUMENT_FIELDS, Item, Problem, ReadOptions, Record, jsonable, text_problem


_DECLARATION = re.compile(rb"""<!ENTITY\s+(%\s*)?[^\s<>%]+\s+("[^"]*"|'[^']*')\s*>""")
_ANY_DECLARATION = re.compile(rb"<!ENTITY[^>]*>")
_SHORT_VALUE = 8
"""An internal entity whose value is longer (with quotes) is dropped: a feed that declares ``&a;`` as 100 kB and
uses it 50,000 times would otherwise expand to 5 GB in feedparser's lenient parser ("quadratic blowup")."""
_WIDE_MARKS = tuple("<!ENTITY".encode(name) for name in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037"))


def defused(data: bytes) -> bytes | None:
    """``data`` with its dangerous entity declarations removed: parameter entities, external (SYSTEM or PUBLIC)
    ones and internal ones with a value over a few characters; short literals (``&#160;``) stay. None when the
    feed declares entities in an encoding that is not ASCII-compatible (UTF-16, UTF-32, EBCDIC), which is refused
    rather than rewritten. An undeclared entity is then left as text by feedparser, never fetched or expanded."""
    if any(mark in data for mark in _WIDE_MARKS):
        return None
    if b"<!ENTITY" not in data:
        return data

    def keep(match: "re.Match[bytes]") -> bytes:
        value = match.group(2)
        safe = match.group(1) is None and len(value) <= _SHORT_VALUE + 2 and b"%" not in value and \
            (b"&" not in value or re.fullmatch(rb"""["']&#x?[0-9a-fA-F]+;["']""", value))
        return match.group(0) if safe else b""

    data = _DECLARATION.sub(keep, data)
    return _ANY_DECLARATION.sub(lambda m: m.group(0) if _DECLARATION.fullmatch(m.group(0)) else b"", data)


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per RSS 2.0, Atom or RDF entry: its longest summary or content, HTML stripped, with its title
    (scored first; evidence in it carries ``"field": "title"``). Feed entries have no line numbers; problems say
    which entry.

    feedparser gets the bytes as a stream: given bytes it would first try them as a file name (a feed file holding
    ``/etc/passwd`` would read that file). Its strict parser (expat through SAX) has external entities switched off
    and expat's own limit on entity amplification, and feedparser drops every entity declaration that is not a
    plain literal, so neither external entities nor "billion laughs" are expanded. :func:`defused` drops long
    literals too (feedparser keeps them, and its lenient parser expands them without limit)."""
    import feedparser

    nbytes = len(data)
    cleaned = defused(data)
    if cleaned is None:
        yield Problem(source, None, "refused: the feed declares XML entities in a UTF-16, UTF-32 or EBCDIC encoding "
                                    "(entity declarations are only read, and defused, in ASCII-compatible feeds)",
                      nbytes=nbytes)
        return
    parsed = feedparser.parse(io.BytesIO(cleaned), resolve_relative_uris=False, sanitize_html=True)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            yield Problem(source, None, f"not a valid RSS/Atom feed ({reason})", nbytes=nbytes)
        elif parsed.get("version"):
            yield Problem(source, None, "empty input (a feed without entries)", nbytes=nbytes)
        else:
            yield Problem(source, None, "not an RSS or Atom feed", nbytes=nbytes)
        return
    error = parsed.get("bozo_exception")
    if parsed.get("bozo") and hasattr(error, "getLineNumber"):
        # the XML is broken; feedparser's lenient parse recovered what it could, and the rest may be lost.
        # (Its line numbers count a line it adds to the document, so none is given.)
        yield Problem(source, None, f"malformed XML ({error.getMessage()}); {len(parsed.entries)} entries recovered")
    keep = options.keep_fields if options.keep_fields is not None else DOCUMENT_FIELDS
    share, done = nbytes / len(parsed.entries), 0
    for number, entry in enumerate(parsed.entries, 1):
        size = int(number * share) - done
        done += size
        record_id = _string(entry.get("id")) or _string(entry.get("link")) or f"{source}#{number}"
        title = html_to_text(_string(entry.get("title")))
        bodies = [_string(c.get("value")) for c in entry.get("content", []) if hasattr(c, "get")]
        body = max((html_to_text(b) for b in bodies + [_string(entry.get("summary"))] if b), key=len, default="")
        scored_title, body = title_and_body(title, body)
        problem = text_problem((scored_title or "") + body or None, options, "title and text")
        if problem:
            yield Problem(source, None, f"entry {number}: {problem}", record_id, size)
            continue
        values = {"title": title, "link": entry.get("link"), "published": entry.get("published") or
                  entry.get("updated"), "feed": parsed.feed.get("title")}
        fields = {name: jsonable(values[name] if name in values else entry.get(name)) for name in keep}
        yield Record(record_id, body, source, None, fields, size, scored_title)


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""
