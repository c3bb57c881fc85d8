"""HTML: article pages (main text found by trafilatura) and the HTML-to-text conversion that feed entries use
too. Parsers are imported on use."""
from __future__ import annotations

import re
from typing import Any, Iterator

from framewatch.io.records import (DOCUMENT_FIELDS, Item, Problem, ReadOptions, Record, clean_text, jsonable,
                                   text_problem)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table td th tr ul".split()
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def _fragment_parser() -> Any:
    """lxml's HTML parser, set up for hostile input: no network, no huge trees (libxml2's depth and size limits
    stay on), no processing instructions. An HTML parser reads no DTD and expands no declared entities, so
    neither external entities nor "billion laughs" apply."""
    global _PARSER
    if _PARSER is None:
        import lxml.html

        _PARSER = lxml.html.HTMLParser(no_network=True, huge_tree=False, remove_pis=True, remove_comments=True,
                                       default_doctype=False, collect_ids=False)
    return _PARSER


_PARSER: Any = None


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (lxml's parser): block elements on their own lines, scripts dropped."""
    if "<" not in markup and "&" not in markup:
        pieces = [markup]
    else:
        import lxml.etree
        import lxml.html

        try:
            root = lxml.html.fragment_fromstring(markup, create_parent="div", parser=_fragment_parser())
        except (lxml.etree.LxmlError, ValueError):
            return ""
        pieces = []
        # depth first, without recursion (a deeply nested page must not exhaust the stack): ("open", element)
        # emits its text and schedules its children, then ("close", element) its closing break and tail
        stack: list[tuple[str, Any]] = [("open", root)]
        while stack:
            step, element = stack.pop()
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            block = tag in _BLOCK_TAGS
            if step == "close":
                if block:
                    pieces.append("\n")
                if element.tail:
                    pieces.append(element.tail)
                continue
            if block:
                pieces.append("\n")
            stack.append(("close", element))
            skip = tag in ("script", "style", "template", "noscript") or not isinstance(element.tag, str)
            if not skip:
                if element.text:
                    pieces.append(element.text)
                stack.extend(("open", child) for child in reversed(element))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def title_and_body(title: str, body: str) -> tuple[str | None, str]:
    """The title to score before the body, and the body: no title when there is none or the body already starts
    with it (a page whose text repeats its headline); the body may be empty when there is a title."""
    if title and not body.startswith(title):
        return title, body
    return None, body


def read_html(data: bytes, source: str, record_id: str, options: ReadOptions) -> Iterator[Item]:
    """One record per page: the main text found by trafilatura (boilerplate dropped) with its title (scored
    first; evidence in it carries ``"field": "title"``)."""
    nbytes = len(data)
    if b"\x00" in data:
        yield Problem(source, None, "binary file (contains NUL bytes), expected HTML", record_id, nbytes)
        return
    if not data.strip():
        yield Problem(source, None, "empty input", record_id, nbytes)
        return
    import trafilatura

    document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=False)
    body = clean_text(((document.text or "") if document is not None else "").strip())
    title = clean_text(((document.title or "") if document is not None else "").strip())
    scored_title, body = title_and_body(title, body)
    problem = text_problem((scored_title or "") + body or None, options, "article text")
    if problem:
        yield Problem(source, None, problem, record_id, nbytes)
        return
    keep = options.keep_fields if options.keep_fields is not None else DOCUMENT_FIELDS
    values = {"title": title, "link": getattr(document, "url", None), "published": getattr(document, "date", None),
              "author": getattr(document, "author", None), "sitename": getattr(document, "sitename", None)}
    fields = {name: jsonable(values.get(name)) for name in keep}
    yield Record(record_id, body, source, None, fields, nbytes, scored_title)
