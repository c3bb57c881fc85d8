"""RSS 2.0, Atom and RDF feeds: one record per entry (feedparser imported on use)."""
from __future__ import annotations

from typing import Iterator

from framewatch.io.readers.html import html_to_text, join_title
from framewatch.io.records import DOCUMENT_FIELDS, Item, Problem, ReadOptions, Record, jsonable, text_problem


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """One record per RSS 2.0, Atom or RDF entry: its title, a blank line, then its longest summary or content,
    HTML stripped. Feed entries have no line numbers; problems say which entry."""
    import feedparser

    nbytes = len(data)
    parsed = feedparser.parse(data)
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
        record_id = entry.get("id") or entry.get("link") or f"{source}#{number}"
        title = html_to_text(entry.get("title", ""))
        bodies = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
        body = max((html_to_text(b) for b in bodies if b), key=len, default="")
        text = join_title(title, body)
        problem = text_problem(text or None, options, "title and text")
        if problem:
            yield Problem(source, None, f"entry {number}: {problem}", str(record_id), size)
            continue
        values = {"title": title, "link": entry.get("link"), "published": entry.get("published") or
                  entry.get("updated"), "feed": parsed.feed.get("title")}
        fields = {name: jsonable(values[name] if name in values else entry.get(name)) for name in keep}
        yield Record(str(record_id), text, source, None, fields, size)
