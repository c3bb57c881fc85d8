"""HTML: article pages (main text found by trafilatura) and the HTML-to-text conversion that feed entries use
too. Parsers are imported on use."""
from __future__ import annotations

import re
from typing import Any, Iterator

from framewatch.io.records import DOCUMENT_FIELDS, Item, Problem, ReadOptions, Record, jsonable, text_problem

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table td th tr ul".split()
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (lxml's parser): block elements on their own lines, scripts dropped."""
    if "<" not in markup and "&" not in markup:
        pieces = [markup]
    else:
        import lxml.etree
        import lxml.html

        try:
            root = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return ""
        pieces = []

        def walk(element: Any) -> None:
            tag = element.tag if isinstance(element.tag, str) else ""
            skip = tag in ("script", "style", "template", "noscript") or not isinstance(element.tag, str)
            block = tag.lower() in _BLOCK_TAGS
            if block:
                pieces.append("\n")
            if not skip:
                if element.text:
                    pieces.append(element.text)
                for child in element:
                    walk(child)
            if block:
                pieces.append("\n")
            if element.tail:
                pieces.append(element.tail)

        walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def join_title(title: str, body: str) -> str:
    """The title, a blank line, then the body (the body alone when it already starts with the title)."""
    if title and body and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body or title


def read_html(data: bytes, source: str, record_id: str, options: ReadOptions) -> Iterator[Item]:
    """One record per page: the main text found by trafilatura (boilerplate dropped), its title first."""
    nbytes = len(data)
    if b"\x00" in data:
        yield Problem(source, None, "binary file (contains NUL bytes), expected HTML", record_id, nbytes)
        return
    if not data.strip():
        yield Problem(source, None, "empty input", record_id, nbytes)
        return
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=False)
    body = (document.text or "") if document is not None else ""
    title = ((document.title or "") if document is not None else "").strip()
    text = join_title(title, body.strip())
    problem = text_problem(text or None, options, "article text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    keep = options.keep_fields if options.keep_fields is not None else DOCUMENT_FIELDS
    values = {"title": title, "link": getattr(document, "url", None), "published": getattr(document, "date", None),
              "author": getattr(document, "author", None), "sitename": getattr(document, "sitename", None)}
    fields = {name: jsonable(values.get(name)) for name in keep}
    yield Record(record_id, text, source, None, fields, nbytes)
