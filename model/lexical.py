"""The lexical model: TF-IDF word n-grams and hashed character n-grams into one logistic regression per label.

Fast on a CPU and easy to inspect. Weights are stored as safetensors (IDF vectors, coefficients, intercepts)
and the word vocabulary as JSON, so a saved model never needs pickle. Character n-grams are hashed by
:class:`HashedCharNgrams`, a numpy-only featurizer that works on a whole batch at once (no Python loop per text
or per character), so they need no vocabulary at all.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
from safetensors.numpy import load_file, save_file

from framewatch.data.taxonomy import LABELS
from framewatch.data.text import model_text

from .base import WEIGHTS_NAME, FramingClassifier, ModelFormatError, register

if TYPE_CHECKING:  # scikit-learn and scipy are imported only to fit: scoring is numpy, and needs neither installed
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

VOCAB_NAME = "vocab.json"

_SEP = "\x00"
"""Joins the texts of a batch; a text's own NUL characters are read as spaces."""
_BATCH, _BATCH_CHARS = 4096, 1 << 20
"""Texts featurised together, at most this many and (unless one text is longer) this many characters: enough
to amortise numpy's per-call overhead, few enough to keep the per-character arrays small."""

# 64-bit hashing constants: the polynomial base (FNV-1a's 64-bit prime, odd) and MurmurHash3's fmix64 finaliser.
_BASE = np.uint64(0x100000001B3)
_SEED = np.uint64(0xCBF29CE484222325)
_MIX1, _MIX2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_S32, _S33 = np.uint64(32), np.uint64(33)
_SPACE = 0x20
# Unicode white space (``str.isspace``, which is also what ``re``'s ``\s`` and ``str.split`` use) above 0x20;
# 0x09-0x0D and 0x1C-0x20 are tested as two ranges.
_HIGH_SPACES = np.array([0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000],
                        dtype=np.uint32)


def fold_join(texts: Sequence[str]) -> str:
    """The case-folded texts (``model_text(t).lower()``) joined by NUL, which no text then contains.

    One ``str.lower`` call on the joined batch equals lower-casing each text, except for the context-dependent
    final sigma, so batches holding a ``Σ`` take the exact per-text path.
    """
    joined = _SEP.join(texts)
    if texts and joined.count(_SEP) != len(texts) - 1:
        texts = [t.replace(_SEP, " ") for t in texts]
        joined = _SEP.join(texts)
    if "Σ" in joined:
        return _SEP.join(model_text(t).lower() for t in texts)
    return joined.lower()


def _chunks(texts: Sequence[str]) -> list[tuple[int, int]]:
    """``(start, end)`` slices of ``texts`` that are featurised together."""
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    bounds, start = [], 0
    while start < len(texts):
        before = int(ends[start - 1]) if start else 0
        end = min(start + _BATCH, int(np.searchsorted(ends, before + _BATCH_CHARS, side="right")))
        bounds.append((start, max(end, start + 1)))
        start = max(end, start + 1)
    return bounds


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 fmix64, in place: spreads every input bit over the high bits the buckets are taken from."""
    h ^= h >> _S33
    h *= _MIX1
    h ^= h >> _S33
    h *= _MIX2
    h ^= h >> _S33
    return h


def _codes(joined: str) -> np.ndarray:
    """Code points of NUL-joined texts, NUL-padded at both ends, white space runs collapsed to one space and
    white space next to a text boundary removed: each text then reads ``\\0text\\0``, the NULs standing in
    for the padding spaces of ``char_wb``."""
    codes = np.frombuffer((_SEP + joined + _SEP).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    space = ((codes - np.uint32(0x09)) <= 4) | ((codes - np.uint32(0x1C)) <= 4)  # uint32 wraps below the range
    high = np.flatnonzero(codes >= 0x85)
    if len(high):
        space[high] = np.isin(codes[high], _HIGH_SPACES)
    blank = space | (codes == 0)
    drop = space.copy()
    drop[1:] &= blank[:-1]  # keep the first of a white space run, and none right after a boundary
    if drop.any():
        keep = ~drop
        codes, space = codes[keep], space[keep]
    drop = space[:-1] & (codes[1:] == 0)  # a single space left before a boundary
    if drop.any():
        keep = np.append(~drop, True)
        codes, space = codes[keep], space[keep]
    if (codes[space] != _SPACE).any():
        codes = codes.copy()
        codes[space] = _SPACE
    return codes


def _text_index(codes: np.ndarray) -> np.ndarray:
    """For each position of :func:`_codes` output, the index of the text it belongs to (a boundary NUL counts
    for the text after it)."""
    return np.cumsum(codes == 0) - 1


def _distinct(keys: list[np.ndarray], n_texts: int, n_columns: int, key_type: type) -> tuple[np.ndarray, ...]:
    """Group ``row * n_columns + column`` keys: CSR ``indptr``, and the columns and counts of distinct keys."""
    if not keys:
        return np.zeros(n_texts + 1, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    ordered = np.sort(np.concatenate(keys))
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=len(ordered))
    distinct = ordered[starts]
    rows = distinct // key_type(n_columns)
    columns = (distinct - rows * key_type(n_columns)).astype(np.int32)
    indptr = np.searchsorted(rows, np.arange(n_texts + 1, dtype=key_type)).astype(np.int32)
    return indptr, columns, counts


def _key_type(n_texts: int, n_columns: int) -> type:
    return np.uint32 if n_texts * n_columns <= 2 ** 32 else np.uint64


class Rows:
    """Sparse rows in CSR form (``indptr``, ``columns``, ``data``) with the one product scoring needs, so scoring
    runs on numpy alone; :meth:`to_scipy` gives the ``scipy.sparse`` matrix that fitting uses."""

    def __init__(self, indptr: np.ndarray, columns: np.ndarray, data: np.ndarray, n_columns: int) -> None:
        self.indptr, self.columns, self.data, self.n_columns = indptr, columns, data, n_columns

    def dot(self, dense: np.ndarray, step: int = 64) -> np.ndarray:
        """``self @ dense`` for an (n_columns, k) array: per row, the weighted sum of the rows of ``dense``.

        Rows are taken ``step`` at a time so the gathered rows of ``dense`` stay in cache: 3.5× faster than one
        pass over the batch, 3× slower than scipy's C loop, and without scipy in the scoring install.
        """
        n_rows = len(self.indptr) - 1
        out = np.zeros((n_rows, dense.shape[1]), dtype=np.float32)
        for first in range(0, n_rows, step):
            last = min(n_rows, first + step)
            low, high = self.indptr[first], self.indptr[last]
            gathered = dense[self.columns[low:high]]
            gathered *= self.data[low:high, None]
            starts = self.indptr[first:last + 1] - low
            filled = np.flatnonzero(np.diff(starts))  # a row is a run of entries: sum each run
            if len(filled):
                out[first + filled] = np.add.reduceat(gathered, starts[:-1][filled], axis=0)
        return out

    def to_scipy(self) -> "sp.csr_matrix":
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.columns, self.indptr), shape=(len(self.indptr) - 1, self.n_columns))


def _count_matrix(parts: tuple[np.ndarray, ...], n_texts: int, n_columns: int) -> "sp.csr_matrix":
    indptr, columns, counts = parts
    return Rows(indptr, columns, counts.astype(np.float32), n_columns).to_scipy()


class HashedCharNgrams:
    """Counts of hashed character n-grams, computed for a whole batch with numpy.

    Parameters
    ----------
    ngram_range : (min_n, max_n), the n-gram lengths counted.
    n_features : number of hash buckets (columns), at most 2**31.

    Texts are case-folded (``model_text(t).lower()``), white space runs collapse to one space, and each text is
    padded with a space at both ends, so word-initial and word-final n-grams exist. As in sklearn's ``char_wb``,
    an n-gram never spans two words: a space may only be its first or last character. N-grams never span two
    texts, so a text's features do not depend on the batch it is scored in.

    The hash of an n-gram is a polynomial over its code points in uint64 arithmetic, finalised with
    MurmurHash3's fmix64; the bucket is taken from its high 32 bits (``(h >> 32) * n_features >> 32``). It is
    pure arithmetic, so it does not depend on ``PYTHONHASHSEED``, the platform or the numpy version.
    """

    def __init__(self, ngram_range: Sequence[int] = (2, 5), n_features: int = 2 ** 18) -> None:
        min_n, max_n = (int(n) for n in ngram_range)
        if not 1 <= min_n <= max_n:
            raise ValueError(f"char_ngram_range must satisfy 1 <= min_n <= max_n, found {tuple(ngram_range)}")
        if not 1 <= int(n_features) <= 2 ** 31:
            raise ValueError(f"n_char_features must be between 1 and 2**31, found {n_features}")
        self.min_n, self.max_n, self.n_features = min_n, max_n, int(n_features)

    def bucket(self, ngram: str) -> int:
        """The column of one n-gram, written with spaces for the padding (``" ab"``, ``"b "``)."""
        h = np.array([_SEED], dtype=np.uint64)
        for code in np.frombuffer(ngram.encode("utf-32-le", "surrogatepass"), dtype="<u4"):
            h = h * _BASE + np.uint64(code)
        return int(self._buckets(h)[0])

    def _buckets(self, h: np.ndarray) -> np.ndarray:
        return ((_mix(h) >> _S32) * np.uint64(self.n_features)) >> _S32

    def count(self, texts: Sequence[str]) -> "sp.csr_matrix":
        """(n, n_features) float32 CSR matrix of n-gram counts, sorted indices (needs scipy)."""
        import scipy.sparse as sp

        texts = list(texts)
        parts = []
        for start, end in _chunks(texts):
            chunk = texts[start:end]
            parts.append(_count_matrix(self.count_codes(_codes(fold_join(chunk)), len(chunk)),
                                       len(chunk), self.n_features))
        if not parts:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        return sp.vstack(parts, format="csr") if len(parts) > 1 else parts[0]

    def count_codes(self, codes: np.ndarray, n_texts: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """CSR ``(indptr, columns, counts)`` of the texts encoded by :func:`_codes`, sorted by column per row."""
        boundary = codes == 0
        blank = boundary | (codes == _SPACE)
        n_codes = len(codes)
        # every (text, bucket) pair becomes one integer key, so one sort groups and orders them all
        key_type = _key_type(n_texts, self.n_features)
        rows = _text_index(codes) if rows is None else rows
        row_key = rows.astype(key_type) * key_type(self.n_features)
        symbols = codes.astype(np.uint64)
        symbols[boundary] = _SPACE
        h = np.full(n_codes, _SEED, dtype=np.uint64)
        interior = None  # interior[i]: a blank at positions i+1 .. i+n-2 of the window starting at i
        keys = []
        for n in range(1, self.max_n + 1):
            m = n_codes - n + 1
            if m <= 0:
                break
            h = h[:m] * _BASE + symbols[n - 1:n - 1 + m]
            if n == 1:
                valid = ~boundary
            elif n == 2:
                valid = ~(boundary[:m] & boundary[1:m + 1])  # an empty text is two adjacent boundaries
            else:
                interior = blank[n - 2:n - 2 + m] if interior is None else interior[:m] | blank[n - 2:n - 2 + m]
                valid = ~interior
            if n < self.min_n:
                continue
            at = np.flatnonzero(valid)
            keys.append(row_key[at] + self._buckets(h[at]).astype(key_type))
        return _distinct(keys, n_texts, self.n_features, key_type)


_WORD_CHARS: np.ndarray | None = None
_POWER_TABLES = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))
_POWER_CACHE = 1 << 22
_BASE_INVERSE = np.uint64(pow(int(_BASE), -1, 2 ** 64))


def _word_chars() -> np.ndarray:
    """Table over all code points: True where ``re``'s ``\\w`` matches (sklearn's token pattern), built once."""
    global _WORD_CHARS
    if _WORD_CHARS is None:
        every = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
        table = np.zeros(0x110000, dtype=bool)
        for match in re.finditer(r"\w+", every):
            table[match.start():match.end()] = True
        _WORD_CHARS = table
    return _WORD_CHARS


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``BASE**k`` and ``BASE**-k`` modulo 2**64 for k < n (at least), kept for later calls up to a size."""
    global _POWER_TABLES
    tables = _POWER_TABLES  # one read: another thread may replace it meanwhile
    if len(tables[0]) < n:
        size = max(n, min(2 * len(tables[0]), _POWER_CACHE))
        powers, inverse = np.ones(size, dtype=np.uint64), np.ones(size, dtype=np.uint64)
        np.cumprod(np.full(size - 1, _BASE, dtype=np.uint64), out=powers[1:])  # uint64 products wrap: mod 2**64
        np.cumprod(np.full(size - 1, _BASE_INVERSE, dtype=np.uint64), out=inverse[1:])
        tables = (powers, inverse)
        if size <= _POWER_CACHE:
            _POWER_TABLES = tables
    return tables


def _segment_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``sum(codes[k] * BASE**(end - 1 - k) for k in range(start, end))`` mod 2**64 for every segment at once.

    A prefix sum of ``codes[k] * BASE**-k`` gives each segment's sum, which ``BASE**(end - 1)`` shifts into place
    (``BASE`` is odd, hence invertible modulo 2**64). The hash of ``a + " " + b`` is then
    ``hash(a) * BASE**(len(b) + 1) + 32 * BASE**len(b) + hash(b)``, which builds word n-grams from words.
    """
    powers, inverse = _powers(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * inverse[:len(codes)], out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * powers[ends - 1]


class HashedWordNgrams:
    """Counts of a fixed word n-gram vocabulary, computed for a whole batch with numpy.

    Parameters
    ----------
    ngram_range : (min_n, max_n) of the word n-grams.
    vocabulary : the n-grams (tokens joined by one space), in column order, e.g. a fitted ``TfidfVectorizer``'s.

    Tokens are maximal runs of ``\\w`` characters, as sklearn's ``(?u)\\b\\w+\\b``, and an n-gram is n consecutive
    tokens of one text, so the counts equal ``CountVectorizer(lowercase=False, vocabulary=...)`` on case-folded
    text. N-grams and vocabulary terms are matched by a 64-bit polynomial hash (:func:`_segment_hashes`) in an
    open hash table instead of Python strings in a dict; ``exact`` is False when two vocabulary terms share a hash,
    and the caller then falls back to sklearn.
    """

    def __init__(self, ngram_range: Sequence[int], vocabulary: Sequence[str]) -> None:
        self.min_n, self.max_n = (int(n) for n in ngram_range)
        self.n_features = len(vocabulary)
        if vocabulary:
            codes = np.frombuffer(_SEP.join(vocabulary).encode("utf-32-le", "surrogatepass"), dtype="<u4")
            bounds = np.flatnonzero(codes == 0)
            starts = np.concatenate([[0], bounds + 1])
            ends = np.concatenate([bounds, [len(codes)]])
            hashes = _segment_hashes(codes, starts, ends)
        else:
            hashes = np.zeros(0, dtype=np.uint64)
        self.exact = len(np.unique(hashes)) == len(hashes)
        # an open hash table, CSR style: the terms of slot s are entries slot_start[s] .. slot_start[s + 1] - 1
        self.slot_bits = max(4, int(self.n_features).bit_length() + 2)  # at most 1 term per 4 slots on average
        slots = self._slots(hashes)
        order = np.argsort(slots, kind="stable")
        self.hashes, self.columns = hashes[order], order.astype(np.int32)
        self.slot_start = np.searchsorted(slots[order], np.arange(2 ** self.slot_bits + 1)).astype(np.int32)

    def _slots(self, hashes: np.ndarray) -> np.ndarray:
        return (_mix(hashes.copy()) >> np.uint64(64 - self.slot_bits)).astype(np.int64)

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in ``hashes`` found in the vocabulary, their columns)."""
        slots = self._slots(hashes)
        entry, end = self.slot_start[slots], self.slot_start[slots + 1]
        pending = np.flatnonzero(entry < end)
        entry, end = entry[pending], end[pending]
        found, columns = [], []
        while len(pending):  # one pass per entry of the fullest slot probed, a handful at most
            hit = self.hashes[entry] == hashes[pending]
            found.append(pending[hit])
            columns.append(self.columns[entry[hit]])
            entry += 1
            more = ~hit & (entry < end)
            pending, entry, end = pending[more], entry[more], end[more]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        return np.concatenate(found), np.concatenate(columns)

    def count_codes(self, codes: np.ndarray, n_texts: int, rows: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
        """CSR ``(indptr, columns, counts)`` of the texts encoded by :func:`_codes`, sorted by column per row."""
        key_type = _key_type(n_texts, max(self.n_features, 1))
        word = _word_chars()[codes]  # the first and last codes are boundaries, never word characters
        starts = np.flatnonzero(word[1:] & ~word[:-1]) + 1
        ends = np.flatnonzero(word[:-1] & ~word[1:]) + 1
        if not len(starts) or not self.n_features:
            return _distinct([], n_texts, self.n_features, key_type)
        powers, _ = _powers(len(codes) + 2)
        rows = (_text_index(codes) if rows is None else rows)[starts]
        lengths = ends - starts
        word_hashes = gram = _segment_hashes(codes, starts, ends)
        keys = []
        for n in range(1, self.max_n + 1):
            m = len(word_hashes) - n + 1
            if m <= 0:
                break
            if n > 1:
                last = lengths[n - 1:n - 1 + m]
                gram = gram[:m] * powers[last + 1] + np.uint64(_SPACE) * powers[last] + word_hashes[n - 1:n - 1 + m]
            if n < self.min_n:
                continue
            if n == 1:
                found, columns = self.lookup(gram)
            else:
                at = np.flatnonzero(rows[:m] == rows[n - 1:n - 1 + m])  # n-grams within one text
                found, columns = self.lookup(gram[at])
                found = at[found]
            keys.append(rows[found].astype(key_type) * key_type(self.n_features) + columns.astype(key_type))
        return _distinct(keys, n_texts, self.n_features, key_type)


def _tfidf(parts: tuple[np.ndarray, ...], idf: np.ndarray, n_texts: int) -> Rows:
    """Sublinear tf times IDF, each row L2-normalised: ``TfidfVectorizer``'s transform of grouped counts."""
    indptr, columns, counts = parts
    data = (np.log(counts.astype(np.float32)) + np.float32(1.0)) * idf[columns]
    lengths = np.diff(indptr)
    if len(data):
        squares = np.add.reduceat(np.square(data), np.minimum(indptr[:-1], len(data) - 1), dtype=np.float64)
        squares[lengths == 0] = 0.0  # reduceat reads one entry for an empty row
        norms = np.sqrt(squares).astype(np.float32)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, lengths)
    return Rows(indptr, columns, data, len(idf))


@register
class LexicalClassifier(FramingClassifier):
    """TF-IDF word 1–2-grams and hashed character 2–5-grams → one-vs-rest logistic regression.

    Parameters
    ----------
    word_ngram_range : n-gram range of the word block (``\\b\\w+\\b`` tokens).
    char_ngram_range : n-gram range of the character block (n-grams within words, as sklearn's ``char_wb``).
    max_word_features : word vocabulary cap, which bounds model size.
    n_char_features : number of hash buckets for character n-grams (columns of the character block).
    min_df : minimum document frequency of a kept word n-gram or character bucket (rarer buckets get IDF 0).
    C : inverse regularisation strength of each logistic regression.
    class_weight : ``"balanced"`` reweights the rare positives of each label; ``None`` does not.
    threshold : initial decision threshold for every label (training may tune them per label).

    Notes
    -----
    Texts are read case-folded (``model_text(t).lower()``). Both blocks use sublinear tf (``1 + ln(count)``)
    times smooth IDF (``ln((1 + n) / (1 + df)) + 1``) and are L2-normalised separately, as two
    ``TfidfVectorizer`` s side by side would be.

    Why own featurizers instead of scikit-learn's: ``bench/lexical_featurizer.py`` measures them on the same 20,000
    corpus passages in one run. Character n-grams: :class:`HashedCharNgrams` (rolling hashes over a batch's code
    points in numpy, no Python loop per text or character) 153,700 passages/s against ``HashingVectorizer``
    (``char_wb``, 2-5) 11,800/s, 13× faster; word n-grams: :class:`HashedWordNgrams` 424,000/s against
    ``TfidfVectorizer.transform`` 65,800/s and ``HashingVectorizer`` 84,100/s, 5× faster. The word vocabulary is
    still chosen by ``TfidfVectorizer`` in ``fit`` (and saved, so it stays inspectable); character n-grams need
    no vocabulary (one IDF per bucket), at the price of rare n-grams sharing buckets.

    The previous sentence (the context of a pair) is not used: n-grams of the passage alone carry its cues.
    """

    model_type = "lexical"

    def __init__(
        self,
        *,
        word_ngram_range: Sequence[int] = (1, 2),
        char_ngram_range: Sequence[int] = (2, 5),
        max_word_features: int = 60000,
        n_char_features: int = 2 ** 18,
        min_df: int = 2,
        C: float = 4.0,
        class_weight: str | None = "balanced",
        threshold: float = 0.5,
    ) -> None:
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.max_word_features = max_word_features
        self.n_char_features = n_char_features
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold

    # ----------------------------------------------------------------------------------- features

    def _word_vectorizer(self, vocabulary: list[str] | None = None) -> "TfidfVectorizer":
        from sklearn.feature_extraction.text import TfidfVectorizer

        # texts arrive case-folded by fold_join, so the vectoriser itself does not lower-case
        return TfidfVectorizer(
            analyzer="word", ngram_range=tuple(self.word_ngram_range), token_pattern=r"(?u)\b\w+\b",
            lowercase=False, sublinear_tf=True, dtype=np.float32, min_df=self.min_df,
            max_features=self.max_word_features,
            vocabulary=None if vocabulary is None else {term: i for i, term in enumerate(vocabulary)},
        )

    def _set_word_vocabulary(self, vocabulary: list[str], idf: np.ndarray) -> None:
        self.char_ngrams_ = HashedCharNgrams(self.char_ngram_range, self.n_char_features)
        self.word_vocabulary_ = vocabulary
        self.word_idf_ = np.asarray(idf, dtype=np.float32)
        self.word_ngrams_ = HashedWordNgrams(self.word_ngram_range, vocabulary)
        self.sklearn_words_ = None
        if not self.word_ngrams_.exact:  # two terms share a 64-bit hash: let sklearn match strings instead
            self.sklearn_words_ = self._word_vectorizer(vocabulary)
            self.sklearn_words_.idf_ = self.word_idf_

    def _blocks(self, texts: Sequence[str], word: bool = True, char: bool = True) -> list[Rows]:
        """The word and/or character TF-IDF blocks of one chunk of texts (see :func:`_chunks`)."""
        n = len(texts)
        joined = fold_join(texts)
        codes = _codes(joined)
        rows = _text_index(codes)
        blocks = []
        if word and self.sklearn_words_ is None:
            blocks.append(_tfidf(self.word_ngrams_.count_codes(codes, n, rows), self.word_idf_, n))
        elif word:
            matrix = self.sklearn_words_.transform(joined.split(_SEP))
            blocks.append(Rows(matrix.indptr, matrix.indices, matrix.data, matrix.shape[1]))
        if char:
            blocks.append(_tfidf(self.char_ngrams_.count_codes(codes, n, rows), self.char_idf_, n))
        return blocks

    def word_features(self, texts: Sequence[str]) -> "sp.csr_matrix":
        """(n, n_words) L2-normalised TF-IDF rows of the word n-grams (fitted models; needs scipy)."""
        return self._stack(texts, word=True)

    def char_features(self, texts: Sequence[str]) -> "sp.csr_matrix":
        """(n, n_char_features) L2-normalised TF-IDF rows of the hashed character n-grams (fitted models; needs
        scipy)."""
        return self._stack(texts, word=False)

    def _stack(self, texts: Sequence[str], word: bool) -> "sp.csr_matrix":
        import scipy.sparse as sp

        self._check_fitted()
        texts = list(texts)
        parts = [self._blocks(texts[start:end], word=word, char=not word)[0].to_scipy()
                 for start, end in _chunks(texts)]
        width = len(self.word_vocabulary_) if word else self.n_char_features
        return sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, width), dtype=np.float32)

    # ----------------------------------------------------------------------------------- fit and score

    def fit(self, X: Sequence[str | tuple[str, str]], y: np.ndarray,
            sample_weight: np.ndarray | None = None) -> "LexicalClassifier":
        """Fit the word vocabulary, both IDF vectors and one logistic regression per label on texts (or
        ``(context, text)`` pairs, whose context is ignored) and an (n, n_labels) 0/1 matrix ``y``."""
        import scipy.sparse as sp
        from sklearn.linear_model import LogisticRegression

        from .base import as_inputs

        texts, _ = as_inputs(X)
        char_ngrams = HashedCharNgrams(self.char_ngram_range, self.n_char_features)
        if self.class_weight not in (None, "balanced"):
            raise ValueError(f"class_weight must be None or 'balanced', found {self.class_weight!r}")
        y = np.asarray(y)
        if y.shape != (len(texts), len(LABELS)):
            raise ValueError(f"y has shape {y.shape}, expected ({len(texts)}, {len(LABELS)})")
        folded, char_counts = [], []
        for start, end in _chunks(texts):
            chunk = texts[start:end]
            joined = fold_join(chunk)
            folded.extend(joined.split(_SEP))
            char_counts.append(char_ngrams.count_codes(_codes(joined), len(chunk)))
        vectorizer = self._word_vectorizer()
        word = vectorizer.fit_transform(folded)
        self._set_word_vocabulary(sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get), vectorizer.idf_)
        df = np.bincount(np.concatenate([columns for _, columns, _ in char_counts]), minlength=self.n_char_features)
        idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
        idf[df < self.min_df] = 0.0  # as min_df drops rare words: buckets too rare to learn from are left out
        self.char_idf_ = idf.astype(np.float32)
        char = sp.vstack([_tfidf(counts, self.char_idf_, len(counts[0]) - 1).to_scipy() for counts in char_counts],
                         format="csr")
        X = sp.hstack([word, char], format="csr")
        coef = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
        intercept = np.zeros(len(LABELS), dtype=np.float32)
        for column in range(len(LABELS)):
            target = y[:, column]
            if target.min() == target.max():  # a label with one class only: constant score
                intercept[column] = 10.0 if target[0] else -10.0
                continue
            regression = LogisticRegression(C=self.C, class_weight=self.class_weight, solver="liblinear", max_iter=200)
            regression.fit(X, target, sample_weight=sample_weight)
            coef[column] = regression.coef_[0]
            intercept[column] = regression.intercept_[0]
        self._set_weights(coef, intercept)
        self._init_state()
        self.thresholds_[:] = self.threshold
        return self

    def _set_weights(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef_, self.intercept_ = coef, intercept
        n_word = len(self.word_vocabulary_)
        # (n_features, n_labels) C-contiguous blocks: what the sparse-times-dense product reads row by row
        self.word_coef_ = np.ascontiguousarray(coef[:, :n_word].T)
        self.char_coef_ = np.ascontiguousarray(coef[:, n_word:].T)

    def _logits(self, texts: list[str], contexts: list[str]) -> np.ndarray:
        logits = np.empty((len(texts), len(LABELS)), dtype=np.float32)
        for start, end in _chunks(texts):
            word, char = self._blocks(texts[start:end])
            logits[start:end] = word.dot(self.word_coef_) + char.dot(self.char_coef_) + self.intercept_
        return logits

    # ----------------------------------------------------------------------------------- persistence

    def _save_weights(self, directory: Path) -> None:
        (directory / VOCAB_NAME).write_text(json.dumps({"word": self.word_vocabulary_}, ensure_ascii=False),
                                            encoding="utf-8")
        save_file(
            {
                "word_idf": self.word_idf_.astype(np.float32),
                "char_idf": self.char_idf_.astype(np.float32),
                "coef": self.coef_.astype(np.float32),
                "intercept": self.intercept_.astype(np.float32),
            },
            str(directory / WEIGHTS_NAME),
            metadata={"model_type": self.model_type},
        )

    def _load_weights(self, directory: Path, config: dict[str, Any]) -> None:
        try:
            vocabularies = json.loads((directory / VOCAB_NAME).read_text(encoding="utf-8"))
            tensors = load_file(str(directory / WEIGHTS_NAME))
        except FileNotFoundError as error:
            raise ModelFormatError(f"{directory}: missing {Path(error.filename).name}") from None
        for key in ("word_idf", "char_idf", "coef", "intercept"):
            if key not in tensors:
                raise ModelFormatError(f"{directory / WEIGHTS_NAME}: missing tensor {key!r}")
        vocabulary = vocabularies.get("word")
        if not isinstance(vocabulary, list) or len(tensors["word_idf"]) != len(vocabulary):
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: word_idf length does not match {VOCAB_NAME}")
        if len(tensors["char_idf"]) != self.n_char_features:
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: char_idf has {len(tensors['char_idf'])} entries, "
                                   f"expected n_char_features = {self.n_char_features}")
        n_features = len(vocabulary) + self.n_char_features
        if tensors["coef"].shape != (len(LABELS), n_features):
            raise ModelFormatError(f"{directory / WEIGHTS_NAME}: coef shape {tensors['coef'].shape}, expected "
                                   f"({len(LABELS)}, {n_features})")
        self._set_word_vocabulary(vocabulary, tensors["word_idf"])
        self.char_idf_ = tensors["char_idf"]
        self._set_weights(tensors["coef"], tensors["intercept"])
