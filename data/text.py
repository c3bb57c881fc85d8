"""Sentence splitting with character offsets, and the case folding that models see.

Offsets are end-exclusive indices into the original string, so ``text[s.start:s.end] == s.text`` always holds.
Boundaries come from ``sentencex`` (maintained by Wikimedia, rule based, fast) inside each line; a line break
always ends a sentence so that headlines without a final stop stand alone. Text that is mostly upper case (MUC
wire copy) is split on a case-folded copy, because abbreviation rules only fire on mixed-case text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sentencex

_LINE = re.compile(r"[^\n]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate (text decoded with ``surrogateescape``, or built by a program): no UTF-8 encoding exists."""
_UPPER_SHARE = 0.8


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``text`` equals ``document[start:end]``."""

    start: int
    end: int
    text: str


def is_shouting(text: str) -> bool:
    """True when at least 80% of the cased letters are upper case (and there are some)."""
    upper = sum(1 for c in text if c.isupper())
    lower = sum(1 for c in text if c.islower())
    return upper + lower >= 8 and upper / (upper + lower) >= _UPPER_SHARE


def fold_case(text: str) -> str:
    """Lower-case ``text`` one character at a time, never changing its length (so offsets stay valid)."""
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


def encodable(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, one character for one, so offsets stay valid: the
    sentence splitter and tokenizers (Rust, UTF-8 only) cannot take surrogates."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def model_text(text: str) -> str:
    """The form of a passage that models read: case-folded when it is shouting, else unchanged; never a lone
    surrogate."""
    text = encodable(text)
    return fold_case(text) if is_shouting(text) else text


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with end-exclusive character offsets; whitespace-only pieces are dropped."""
    basis = model_text(text)
    sentences: list[Sentence] = []
    for line in _LINE.finditer(basis):
        for bound in sentencex.get_sentence_boundaries("en", line.group()):
            start = line.start() + bound["start_index"]
            end = line.start() + bound["end_index"]
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                sentences.append(Sentence(start, end, text[start:end]))
    return sentences
