"""Per-generation tables that make searching a large index fast in pure Python.

Whoosh walks posting lists one Python call per document, which is fine for ten hits but not for
the whole-result-set work a journalist's search needs (totals, facet counts, date order) on
100,000 releases. One `Tables` object per index generation therefore keeps:

- document sets as bitsets (Python ints: bit n = document number n). Intersections, unions,
  differences and counts (`int.bit_count`) then run in C over 12.5 kB per 100,000 documents.
- facet values (OPD, category, month, kind) as bitsets, so counting a facet is one AND and one
  popcount per value;
- the documents in published order, with prefix bitsets for date ranges;
- each document's title and body length (for BM25F, see `index.ranking`);
- a bounded LRU cache of decoded posting lists (ids, term frequencies, the set of documents,
  and a "champion list" of the documents where the term weighs most), warmed in the
  background with the most frequent terms when a generation is first searched;
- a bounded LRU cache of position lists (every posting's positions as deltas in one flat
  array), also warmed with the most frequent terms, so an exact phrase is checked on its
  candidates without reading and unpickling Whoosh's posting blocks again.

A table is keyed by the segments it was read from (ids and deletion counts), so every commit
gets a new key and the next search builds new tables. Document numbers are only meaningful for
the reader a table was built from. A process holds the newest generation's tables, and an older
one's only while a request or a warming thread still uses them, so memory does not grow with
commits. What a single segment holds (facet bitsets, decoded posting lists, its terms) never
changes once written, so it is cached by segment id, dropped once no generation in use has the
segment, and a new generation reads only the segments its commit wrote. The new generation also
takes over the previous one's decoded lists (`Tables.inherit`): a commit appends a segment or
merges the last few, so each list keeps its part in the leading segments both share and reads
only the rest, on first use or in the background, instead of warming again from scratch. Nothing
here is seen outside index/.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import threading
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, chain, compress, repeat
from operator import not_
from typing import Any

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.whoosh_internals import (
    field_lengths,
    generation_key,
    segment_id,
    segment_positions,
    segment_postings,
)

log = logging.getLogger(__name__)

_POSTINGS_BUDGET = 8_000_000  # decoded postings kept per generation (about 80 MB)
WARM_POSTINGS = 6_000_000  # postings of the most frequent terms decoded ahead of searches
# Only terms in at least this many documents are warmed: a shorter list decodes at search time
# in about a millisecond, while walking thousands of short lists ahead costs seconds of CPU in
# every worker after every commit (bench/stress.py with an ingest running).
WARM_MIN_POSTINGS = 1000
_PHRASE_CACHE = 256
_POSITIONS_BUDGET = 20_000_000  # postings plus positions kept per generation (about 60 MB)
WARM_POSITIONS = 14_000_000  # of those, decoded ahead of phrase searches for the frequent terms
_DATE_STEP = 2048  # documents between two prefix bitsets of the date order
CHAMPIONS = 300  # documents kept per term, by weight, for the top-k shortcut

# Positions of the set bits in each byte value, for turning a bitset into document numbers.
_BYTE_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]

# BM25F parameters, as Whoosh's default weighting uses them.
K1 = 1.2
B = 0.75


def bits_of(ids: Iterable[int], size: int) -> int:
    """A bitset holding `ids` (`size` is a hint: the buffer grows for larger numbers)."""
    buffer = bytearray((size + 7) // 8)
    for doc in ids:
        byte = doc >> 3
        if byte >= len(buffer):
            buffer.extend(bytes(byte - len(buffer) + 1))
        buffer[byte] |= 1 << (doc & 7)
    return int.from_bytes(buffer, "little")


def ids_of(bits: int) -> list[int]:
    """The document numbers in a bitset, ascending."""
    found: list[int] = []
    if bits:
        raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        for index, value in enumerate(raw):
            if value:
                base = index << 3
                found.extend(base + bit for bit in _BYTE_BITS[value])
    return found


class Membership:
    """Fast `doc in bits` for one bitset (a bytes view; one lookup is a few operations)."""

    def __init__(self, bits: int, size: int) -> None:
        self._raw = bits.to_bytes((size + 7) // 8 + 1, "little")

    def __contains__(self, doc: int) -> bool:
        return bool(self._raw[doc >> 3] >> (doc & 7) & 1)


@dataclass
class Postings:
    """One decoded posting list: documents, term frequencies and the heaviest documents."""

    ids: array  # document numbers, ascending (deleted documents included)
    tfs: array  # term frequency per posting
    bits: int
    name: str = ""  # the field
    term: str = ""
    # Filled in by Tables.champions when the top-k shortcut first needs them:
    champions: list[int] | None = None  # posting indexes of the heaviest postings
    champion_bits: int = 0  # the champions' documents
    cutoff: float = 0.0  # the largest weight outside the champions (0 when all are in)


@dataclass
class Facet:
    """One categorical field: its values and, for each, the bitset of its documents."""

    values: list[str] = field(default_factory=list)
    bits: dict[str, int] = field(default_factory=dict)


class Tables:
    """The lookup tables of one index generation (see the module docstring)."""

    def __init__(self, reader: IndexReader, key: tuple) -> None:
        self.key = key
        self.size = reader.doc_count_all()
        live_ids = sorted(reader.all_doc_ids())
        self.live = bits_of(live_ids, self.size)
        self.facets = {
            name: self._read_facet(reader, field_name)
            for name, field_name in (
                ("opd", "opd"),
                ("category", "categories"),
                ("month", "month"),
                ("kind", "kind"),
            )
        }
        self._read_dates(reader, live_ids)
        self.lengths = {name: field_lengths(reader, name, self.size) for name in ("title", "body")}
        self.average_length = {
            name: (reader.field_length(name) / self.size if self.size else 0.0) or 1.0
            for name in self.lengths
        }
        self._cache_lock = threading.Lock()
        self._postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._postings_held = 0
        self._phrases: OrderedDict[tuple, int] = OrderedDict()
        self._positions: OrderedDict[tuple[str, str], PositionList] = OrderedDict()
        self._positions_held = 0
        self._vocabulary: frozenset[str] | None = None
        # What each segment is, in reader order: (segment id, documents), None on the public path.
        self.segments = _segments_of(reader)
        # Lists taken over from the previous generation (`inherit`), finished on first use or by
        # `warm`: valid for the documents below `_carried_documents`, the leading
        # `_carried_segments` segments that both generations share.
        self._carried_postings: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._carried_positions: OrderedDict[tuple[str, str], PositionList] = OrderedDict()
        self._carried_segments = 0
        self._carried_documents = 0
        self.fully_warmed = False  # the frequent terms are in (here or in an inherited table)
        self._warming = False
        self.warmed = threading.Event()  # set once `warm` has finished
        self.superseded = threading.Event()  # set when a newer generation's tables are built

    # Facets and filters -----------------------------------------------------------------------

    def _read_facet(self, reader: IndexReader, name: str) -> Facet:
        """A facet's values and their documents, put together from each segment's (cached)."""
        facet = Facet()
        if name not in reader.schema:
            return facet
        merged: dict[str, int] = {}
        for leaf, offset in reader.leaf_readers():
            for value, bits in _segment_facet(leaf, name).items():
                merged[value] = merged.get(value, 0) | (bits << offset)
        for value in sorted(merged):  # the lexicon's order
            facet.values.append(value)
            facet.bits[value] = merged[value] & self.live
        return facet

    def count(self, docs: int) -> dict[str, list[tuple[str, int]]]:
        """Facet counts over a bitset: opd, category and kind by count, year and month by date."""
        counts = {
            name: [(value, (docs & bits).bit_count()) for value, bits in facet.bits.items()]
            for name, facet in self.facets.items()
        }
        counts = {name: [(v, n) for v, n in pairs if n] for name, pairs in counts.items()}
        years: dict[str, int] = {}
        for value, n in counts["month"]:
            years[value[:4]] = years.get(value[:4], 0) + n
        return {
            "opd": sorted(counts["opd"], key=lambda pair: (-pair[1], pair[0])),
            "category": sorted(counts["category"], key=lambda pair: (-pair[1], pair[0])),
            "year": sorted(years.items(), reverse=True),
            "month": sorted(counts["month"], reverse=True),
            "kind": sorted(counts["kind"], key=lambda pair: (-pair[1], pair[0])),
        }

    def filter_bits(
        self,
        *,
        opd: str = "",
        category: str = "",
        year: int | None = None,
        month: str = "",
        kind: str = "",
        start: int | None = None,
        end: int | None = None,
    ) -> int:
        """The live documents passing every given filter (`start`/`end`: published keys)."""
        bits = self.live
        if opd:
            bits &= self.facets["opd"].bits.get(opd, 0)
        if category:
            bits &= self.facets["category"].bits.get(category, 0)
        if month:
            bits &= self.facets["month"].bits.get(month, 0)
        if year is not None:
            prefix = f"{year:04d}-"
            in_year = 0
            for value, month_bits in self.facets["month"].bits.items():
                if value.startswith(prefix):
                    in_year |= month_bits
            bits &= in_year
        if kind:
            bits &= self.facets["kind"].bits.get(kind, 0)
        if start is not None or end is not None:
            low = 0 if start is None else bisect.bisect_left(self.date_keys, start)
            high = len(self.date_keys) if end is None else bisect.bisect_right(self.date_keys, end)
            bits &= self._date_range_bits(low, high)
        return bits

    # Dates ------------------------------------------------------------------------------------

    def _read_dates(self, reader: IndexReader, live_ids: list[int]) -> None:
        dated: list[tuple[int, int]] = []
        undated: list[int] = []
        values = _published_values(reader)
        for doc in live_ids:
            value = values(doc)
            if value:
                dated.append((value, doc))
            else:
                undated.append(doc)
        dated.sort()
        self.by_date = [doc for _, doc in dated]  # oldest first, ties by document number
        self.date_keys = [value for value, _ in dated]
        self.undated = undated
        self.position = {doc: place for place, doc in enumerate(self.by_date)}
        self.date_prefix: list[int] = []  # bits of by_date[: i * _DATE_STEP]
        buffer = bytearray((self.size + 7) // 8)
        for place, doc in enumerate(self.by_date):
            if place % _DATE_STEP == 0:
                self.date_prefix.append(int.from_bytes(buffer, "little"))
            buffer[doc >> 3] |= 1 << (doc & 7)
        self.date_prefix.append(int.from_bytes(buffer, "little"))  # the whole order

    def _date_range_bits(self, low: int, high: int) -> int:
        """Bits of by_date[low:high], from prefix bitsets plus at most two partial steps."""
        if high <= low:
            return 0
        first = -(-low // _DATE_STEP)  # first step boundary at or after low
        last = high // _DATE_STEP
        if first >= last:
            return bits_of(self.by_date[low:high], self.size)
        middle = self._prefix(last) ^ self._prefix(first)
        edges = self.by_date[low : first * _DATE_STEP] + self.by_date[last * _DATE_STEP : high]
        return middle | bits_of(edges, self.size)

    def _prefix(self, step: int) -> int:
        if step * _DATE_STEP >= len(self.by_date):
            return self.date_prefix[-1]
        return self.date_prefix[step]

    def in_date_order(self, docs: int, count: int, newest: bool) -> list[int]:
        """The first `count` documents of a bitset by published date; undated ones come last."""
        if count <= 0 or not docs:
            return []
        total = docs.bit_count()
        if total * 16 < len(self.by_date):  # few: sort them
            chosen = ids_of(docs)
            position = self.position
            dated = sorted(
                (d for d in chosen if d in position), key=position.__getitem__, reverse=newest
            )
            return (dated + [d for d in chosen if d not in position])[:count]
        member = Membership(docs, self.size)
        picked: list[int] = []
        for doc in reversed(self.by_date) if newest else self.by_date:
            if doc in member:
                picked.append(doc)
                if len(picked) >= count:
                    return picked
        picked.extend(doc for doc in self.undated if doc in member)
        return picked[:count]

    # Posting lists ----------------------------------------------------------------------------

    def postings(self, reader: IndexReader, name: str, term: str) -> Postings:
        """The decoded posting list of a term (cached), empty when the term is unknown."""
        key = (name, term)
        with self._cache_lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
            carried = self._carried_postings.pop(key, None)
        if carried is not None:
            return self._keep_postings(key, self._extend_postings(reader, carried))
        ids, tfs = decode_postings(reader, name, term)
        found = Postings(ids=ids, tfs=tfs, bits=bits_of(ids, self.size), name=name, term=term)
        return self._keep_postings(key, found)

    def _keep_postings(self, key: tuple[str, str], found: Postings) -> Postings:
        with self._cache_lock:
            if key not in self._postings:
                self._postings[key] = found
                self._postings_held += len(found.ids)
                while self._postings_held > _POSTINGS_BUDGET and len(self._postings) > 1:
                    _, dropped = self._postings.popitem(last=False)
                    self._postings_held -= len(dropped.ids)
        return found

    def positions(self, reader: IndexReader, name: str, term: str) -> PositionList:
        """The positions of a term in every document holding it (cached), for phrases."""
        key = (name, term)
        with self._cache_lock:
            found = self._positions.get(key)
            if found is not None:
                self._positions.move_to_end(key)
                return found
            carried = self._carried_positions.pop(key, None)
        if carried is not None:
            found = self._extend_positions(reader, carried, name, term)
        else:
            found = decode_position_list(reader, name, term)
        return self._keep_positions(key, found)

    def _keep_positions(self, key: tuple[str, str], found: PositionList) -> PositionList:
        with self._cache_lock:
            if key not in self._positions:
                self._positions[key] = found
                self._positions_held += found.size
                while self._positions_held > _POSITIONS_BUDGET and len(self._positions) > 1:
                    _, dropped = self._positions.popitem(last=False)
                    self._positions_held -= dropped.size
        return found

    # Carrying lists over from the previous generation --------------------------------------

    def inherit(self, previous: Tables) -> None:
        """Take over the decoded lists of `previous` (the generation this one replaces) instead
        of decoding them again.

        Both generations number the documents of their shared leading segments alike (a commit
        appends a segment, a merge replaces some of the last ones), so each list's part in those
        segments stays right; the rest is read from this generation's other segments when the
        list is first used, or by `warm`. `previous` is left without the lists: it only serves
        the requests still running on it, which decode again what they need.
        """
        count, documents = _shared_segments(previous.segments, self.segments)
        if not documents:
            return
        with previous._cache_lock:
            if previous._carried_postings or previous._carried_positions:  # valid only below
                count = min(count, previous._carried_segments)
                documents = min(documents, previous._carried_documents)
            postings, positions = previous._postings, previous._positions
            postings.update(previous._carried_postings)
            positions.update(previous._carried_positions)
            previous._postings, previous._positions = OrderedDict(), OrderedDict()
            previous._carried_postings, previous._carried_positions = OrderedDict(), OrderedDict()
            previous._postings_held = previous._positions_held = 0
        with self._cache_lock:
            self._carried_postings, self._carried_positions = postings, positions
            self._carried_segments, self._carried_documents = count, documents
            self.fully_warmed = previous.fully_warmed

    def _extend_postings(self, reader: IndexReader, carried: Postings) -> Postings:
        """A list of the previous generation cut to the shared segments and completed from this
        generation's other segments (new arrays: the previous generation may still read its own).
        """
        limit = self._carried_documents
        cut = bisect.bisect_left(carried.ids, limit)
        ids, tfs = carried.ids[:cut], carried.tfs[:cut]
        bits = carried.bits & ((1 << limit) - 1) if cut < len(carried.ids) else carried.bits
        for leaf, offset in reader.leaf_readers()[self._carried_segments :]:
            leaf_ids, leaf_tfs = _segment_postings(leaf, carried.name, carried.term, True)
            if leaf_ids:
                ids.extend(array("i", [doc + offset for doc in leaf_ids]))
                tfs.extend(leaf_tfs)
                bits |= bits_of(leaf_ids, leaf.doc_count_all()) << offset
        return Postings(ids=ids, tfs=tfs, bits=bits, name=carried.name, term=carried.term)

    def _extend_positions(
        self, reader: IndexReader, carried: PositionList, name: str, term: str
    ) -> PositionList:
        """The positions of the previous generation cut to the shared segments and completed
        from this generation's other segments."""
        cut = bisect.bisect_left(carried.ids, self._carried_documents)
        found = PositionList(
            ids=carried.ids[:cut],
            offsets=carried.offsets[: cut + 1],
            deltas=carried.deltas[: carried.offsets[cut]],
        )
        for leaf, offset in reader.leaf_readers()[self._carried_segments :]:
            for block, lists in segment_positions(leaf, name, term):
                _append_positions(found, block, lists, offset)
        return found

    def _finish_carried(self, reader: IndexReader) -> int:
        """Complete every list still carried from the previous generation (stopping once a
        newer generation has tables); how many postings that gave."""
        done = 0
        while not self.superseded.is_set():
            with self._cache_lock:
                postings = positions = None
                if self._carried_postings:
                    key, postings = self._carried_postings.popitem(last=False)
                elif self._carried_positions:
                    key, positions = self._carried_positions.popitem(last=False)
                else:
                    break
            if postings is not None:
                done += len(self._keep_postings(key, self._extend_postings(reader, postings)).ids)
            else:
                self._keep_positions(key, self._extend_positions(reader, positions, *key))
        return done

    def claim_warming(self) -> bool:
        """True once per table: the caller should then run `warm` (in the background)."""
        with self._cache_lock:
            if self._warming:
                return False
            self._warming = True
            return True

    def warm(self, reader: IndexReader, budget: int | None = None) -> int:
        """Decode the posting lists of the most frequent title and body terms ahead of time.

        Long posting lists are the expensive ones to decode (~0.7 us a posting) and belong to
        the words people search most, so a search after warming rarely decodes anything big.
        Lists shorter than WARM_MIN_POSTINGS are left to the searches that need them, and
        warming stops early once a newer generation has tables (its own warming takes over).
        Returns how many postings were decoded; sets `warmed` when done.
        """
        budget = WARM_POSTINGS if budget is None else budget
        try:
            decoded = self._finish_carried(reader)
            if self.fully_warmed:  # the lists of the previous generation were warm: nothing new
                return decoded
            frequent = frequent_terms(reader, list(self.lengths), WARM_MIN_POSTINGS)
            for frequency, name, term in frequent:
                if decoded + frequency > min(budget, _POSTINGS_BUDGET) or self.superseded.is_set():
                    break
                postings = self.champions(self.postings(reader, name, term))
                decoded += len(postings.ids)
            # The frequent terms are also the ones whose positions are slow to read, and
            # common pairs of them are what phrase searches ask for most.
            positioned = 0
            for frequency, name, term in frequent:
                if (
                    positioned + frequency > (WARM_POSITIONS if budget else 0)
                    or self.superseded.is_set()
                ):
                    break
                positioned += self.positions(reader, name, term).size
            self.fully_warmed = budget > 0 and not self.superseded.is_set()
            return decoded
        finally:
            self.warmed.set()

    def champions(self, postings: Postings) -> Postings:
        """Fill in a posting list's champion list and cut-off weight (once), and return it."""
        if postings.champions is not None:
            return postings
        ids, tfs = postings.ids, postings.tfs
        lengths = self.lengths.get(postings.name)
        if lengths is not None and len(ids) > CHAMPIONS:
            average = self.average_length[postings.name]
            weights = [
                tf / (tf + K1 * (1 - B) + K1 * B * lengths[doc] / average)
                for doc, tf in zip(ids, tfs, strict=True)
            ]
            chosen = heapq.nlargest(CHAMPIONS, range(len(ids)), key=weights.__getitem__)
            picked = set(chosen)
            cutoff = max((w for i, w in enumerate(weights) if i not in picked), default=0.0)
        else:
            chosen, cutoff = list(range(len(ids))), 0.0
        postings.champion_bits = bits_of((ids[i] for i in chosen), self.size)
        postings.cutoff = cutoff
        postings.champions = chosen  # set last: it marks the list as ready
        return postings

    def vocabulary(self, reader: IndexReader, names: Iterable[str]) -> frozenset[str]:
        """Every term of the given fields (once per generation, from each segment's terms,
        which are read once per segment), for spelling checks."""
        if self._vocabulary is None:
            fields = tuple(name for name in names if name in reader.schema)
            parts = [_segment_terms(leaf, fields) for leaf, _offset in reader.leaf_readers()]
            self._vocabulary = parts[0] if len(parts) == 1 else frozenset().union(*parts)
        return self._vocabulary

    def phrase_bits(self, key: tuple, compute) -> int:
        """A cached bitset for a phrase clause (`compute()` gives its document numbers)."""
        with self._cache_lock:
            if key in self._phrases:
                self._phrases.move_to_end(key)
                return self._phrases[key]
        bits = bits_of(compute(), self.size)
        with self._cache_lock:
            self._phrases[key] = bits
            while len(self._phrases) > _PHRASE_CACHE:
                self._phrases.popitem(last=False)
        return bits


@dataclass
class PositionList:
    """Every posting's positions of one term in one field, as deltas in one flat array."""

    ids: array  # document numbers, ascending (deleted documents included)
    offsets: array  # posting i's position deltas are deltas[offsets[i] : offsets[i + 1]]
    deltas: array  # two bytes a delta, four if any is 65536 or more

    @property
    def size(self) -> int:
        """What this list holds, in postings plus positions (for the cache budget)."""
        return len(self.ids) + len(self.deltas)


def decode_position_list(reader: IndexReader, name: str, term: str) -> PositionList:
    """The positions of a term in field `name` over every segment of the reader, read a block
    at a time by `index.whoosh_internals.segment_positions`."""
    found = PositionList(ids=array("i"), offsets=array("I", [0]), deltas=array("H"))
    for leaf, offset in reader.leaf_readers():
        for block, lists in segment_positions(leaf, name, term):
            _append_positions(found, block, lists, offset)
    return found


def _append_positions(
    found: PositionList, block: list[int], lists: list[list[int]], offset: int
) -> None:
    """Add one block of a segment (its document numbers and their position deltas) at the end
    of `found`, the segment's documents numbered from `offset`."""
    found.ids.extend([doc + offset for doc in block] if offset else block)
    flat = list(chain.from_iterable(lists))
    if found.deltas.typecode == "H" and max(flat, default=0) > 0xFFFF:
        found.deltas = array("I", found.deltas)
    found.deltas.extend(flat)
    found.offsets.extend(accumulate(map(len, lists), initial=found.offsets.pop()))


def phrase_docs(
    reader: IndexReader,
    name: str,
    terms: list[str],
    candidates: int,
    position_list: Callable[[str], PositionList] | None = None,
) -> list[int]:
    """Documents of bitset `candidates` where `terms` follow one another in field `name`.

    The same documents as Whoosh's `Phrase(name, terms)` among the candidates (tests compare
    the two). `position_list(term)` gives a term's positions (`Tables.positions` caches them;
    by default they are decoded). The rarest term's positions are taken per candidate; every
    other term is streamed past them, and a document drops out as soon as no start is left
    (and, for the last term, is kept as soon as one start is confirmed).
    """
    if position_list is None:

        def position_list(term: str) -> PositionList:
            return decode_position_list(reader, name, term)

    unique = {term: position_list(term) for term in dict.fromkeys(terms)}
    lists = [unique[term] for term in terms]
    order = sorted(range(len(terms)), key=lambda index: len(lists[index].ids))
    first = order[0]
    count = candidates.bit_count()
    docs, deltas = _candidate_positions(lists[first], candidates, count)
    others = [_candidate_positions(lists[index], candidates, count) for index in order[1:]]
    if all(their_docs == docs for their_docs, _ in others):
        # Every candidate holds every term (as when the candidates are the documents with all
        # the terms): walk the terms side by side, in C.
        starts: Iterator[set[int]] = map(set, map(accumulate, deltas))
        for step, (index, (_, their_deltas)) in enumerate(zip(order[1:], others, strict=True), 2):
            back = repeat((index - first).__rsub__)  # this term's position -> the rarest's
            shifted = map(map, back, map(accumulate, their_deltas))
            if step < len(order):
                starts = map(set.intersection, starts, shifted)
            else:
                return list(compress(docs, map(not_, map(set.isdisjoint, starts, shifted))))
        return list(compress(docs, starts))  # one term

    # document -> the rarest term's position deltas, later -> the phrase starts still possible
    in_play: dict[int, Any] = dict(zip(docs, deltas, strict=True))
    pairs = zip(order[1:], others, strict=True)
    for step, (index, (their_docs, their_deltas)) in enumerate(pairs, 2):
        last = step == len(order)
        back = (index - first).__rsub__  # a position of this term -> the rarest term's
        survivors: dict[int, Any] = {}
        get = in_play.get
        for doc, these in zip(their_docs, their_deltas, strict=True):
            starts = get(doc)
            if starts is None:
                continue
            if not isinstance(starts, set):
                starts = set(accumulate(starts))
            if last:
                if not starts.isdisjoint(map(back, accumulate(these))):
                    survivors[doc] = True
            else:
                starts = starts.intersection(map(back, accumulate(these)))
                if starts:
                    survivors[doc] = starts
        in_play = survivors
    return sorted(in_play)


def _candidate_positions(
    positions: PositionList, wanted: int, count: int
) -> tuple[list[int], Iterator[Sequence[int]]]:
    """The documents of `positions` that bitset `wanted` holds (`count`: how many it holds),
    ascending, and lazily each one's position deltas."""
    ids = positions.ids
    if count * 4 < len(ids):  # few wanted: look each one up
        picked = []
        for doc in ids_of(wanted):
            at = bisect.bisect_left(ids, doc)
            if at < len(ids) and ids[at] == doc:
                picked.append(at)
    else:
        raw = wanted.to_bytes((wanted.bit_length() + 7) // 8 + 1, "little")
        size = len(raw) * 8
        picked = [at for at, doc in enumerate(ids) if doc < size and raw[doc >> 3] >> (doc & 7) & 1]
    offsets = positions.offsets
    starts = map(offsets.__getitem__, picked)
    ends = map(offsets.__getitem__, map((1).__add__, picked))
    return (
        list(map(ids.__getitem__, picked)),
        map(positions.deltas.__getitem__, map(slice, starts, ends)),
    )


def posting_ids(reader: IndexReader, name: str, term: str | bytes) -> list[int]:
    """Document numbers holding `term` in field `name` (deleted ones included), ascending."""
    return list(decode_postings(reader, name, term, with_frequencies=False)[0])


def decode_postings(
    reader: IndexReader, name: str, term: str | bytes, with_frequencies: bool = True
) -> tuple[array, array]:
    """(document numbers, term frequencies) of a term over every segment of the reader.

    Each segment's list is decoded once and kept (see `_segment_postings`): a commit adds a
    segment or merges a few, so the next generation decodes only those.
    """
    ids = array("i")
    tfs = array("f")
    for leaf, offset in reader.leaf_readers():
        leaf_ids, leaf_tfs = _segment_postings(leaf, name, term, with_frequencies)
        ids.extend(array("i", [doc + offset for doc in leaf_ids]) if offset else leaf_ids)
        tfs.extend(leaf_tfs)
    return ids, tfs


class _SegmentCache:
    """What was read from single segments, by a key that starts with the segment id: a written
    segment never changes, so an entry stays right until it is dropped, least recently used
    first, once the entries' weights add up to more than `budget`. Thread-safe."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple, value: Any, weight: int = 1) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (value, weight)
            self._held += weight
            while self._held > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._held -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._held = 0

    def retain(self, segments: set[str]) -> None:
        """Drop the entries of every segment not in `segments` (merged away or replaced)."""
        with self._lock:
            for key in [key for key in self._entries if key[0] not in segments]:
                _, weight = self._entries.pop(key)
                self._held -= weight

    def __iter__(self) -> Iterator[tuple]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)


# Posting lists of single segments: weight = postings, about 32 MB in all.
_segment_lists = _SegmentCache(budget=4_000_000)


def _segment_postings(
    leaf: IndexReader, name: str, term: str | bytes, with_frequencies: bool
) -> tuple[array, array]:
    """(document numbers, term frequencies) of a term in one segment, by the segment's own
    numbers; cached by segment id, since a written segment never changes (deletions are kept
    apart from it and masked by callers)."""
    segment = segment_id(leaf)
    if segment is None:
        return segment_postings(leaf, name, term, with_frequencies)
    key = (segment, name, term, with_frequencies)
    found = _segment_lists.get(key)
    if found is None:
        found = segment_postings(leaf, name, term, with_frequencies)
        _segment_lists.put(key, found, len(found[0]) + 1)  # + 1: absent terms are kept too
    return found


def _segments_of(reader: IndexReader) -> tuple[tuple[str, int], ...] | None:
    """(segment id, documents) of each segment of the reader, in its order; None when some
    segment has no id (an empty index, or the public path of `index.whoosh_internals`)."""
    found = []
    for leaf, _offset in reader.leaf_readers():
        segment = segment_id(leaf)
        if segment is None:
            return None
        found.append((segment, leaf.doc_count_all()))
    return tuple(found)


def _shared_segments(
    older: tuple[tuple[str, int], ...] | None, newer: tuple[tuple[str, int], ...] | None
) -> tuple[int, int]:
    """(how many leading segments two generations share, how many documents those hold):
    documents below that count have the same numbers in both."""
    count = documents = 0
    for before, after in zip(older or (), newer or (), strict=False):
        if before != after:
            break
        count += 1
        documents += after[1]
    return count, documents


def frequent_terms(
    reader: IndexReader, names: Iterable[str], min_frequency: int
) -> list[tuple[int, str, str]]:
    """(document frequency, field, term) of the terms in at least `min_frequency` documents
    (deleted ones included), most frequent first.

    Counted segment by segment: one pass over each segment's own terms, where the reader of a
    multi-segment index would look every term up in every segment. An index of fewer documents
    than `min_frequency` has no such term and is not read at all.
    """
    if reader.doc_count_all() < min_frequency:
        return []
    counts: dict[tuple[str, bytes], int] = {}
    for leaf, _offset in reader.leaf_readers():
        for name in names:
            if name not in leaf.schema:
                continue
            for raw, info in leaf.iter_field(name):
                counts[name, raw] = counts.get((name, raw), 0) + info.doc_frequency()
    frequent = [
        (count, name, raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        for (name, raw), count in counts.items()
        if count >= min_frequency
    ]
    frequent.sort(reverse=True)
    return frequent


# The tables of the newest generation, and by key every generation's that something still uses
# (a request running on an older reader, a warming thread): an older generation's tables go as
# soon as nothing holds them, so a process keeps one generation's lists, not one per commit.
_current: Tables | None = None
_tables: weakref.WeakValueDictionary[tuple, Tables] = weakref.WeakValueDictionary()
_lock = threading.Lock()
# Facet bitsets of single segments, by (segment id, field): a commit adds a segment or merges a
# few, so the tables of the next generation read only those instead of every segment again.
_segment_facets = _SegmentCache(budget=256)


# Every term of some fields in single segments, by (segment id, fields), for `Tables.vocabulary`.
_segment_vocabularies = _SegmentCache(budget=64)


def _segment_terms(leaf: IndexReader, fields: tuple[str, ...]) -> frozenset[str]:
    """Every term of `fields` in one segment (cached by segment id)."""
    segment = segment_id(leaf)
    key = (segment, fields) if segment is not None else None
    found = _segment_vocabularies.get(key) if key is not None else None
    if found is None:
        found = frozenset(
            raw.decode("utf-8") if isinstance(raw, bytes) else raw
            for name in fields
            if name in leaf.schema
            for raw in leaf.lexicon(name)
        )
        if key is not None:
            _segment_vocabularies.put(key, found)
    return found


def _segment_facet(leaf: IndexReader, name: str) -> dict[str, int]:
    """{value: bitset of the segment's own document numbers (deleted ones included)}."""
    segment = segment_id(leaf)
    key = (segment, name) if segment is not None else None
    found = _segment_facets.get(key) if key is not None else None
    if found is not None:
        return found
    size = leaf.doc_count_all()
    found = {}
    if name in leaf.schema:
        for raw in leaf.lexicon(name):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
            found[value] = bits_of(posting_ids(leaf, name, raw), size)
    if key is not None:
        _segment_facets.put(key, found)
    return found


def tables_for(searcher: Searcher) -> Tables:
    """The Tables of the searcher's generation, built on first use and then cached."""
    global _current
    reader = searcher.reader()
    key = generation_key(reader)
    with _lock:
        tables = _tables.get(key)
        if tables is None:
            tables = Tables(reader, key)
            previous, _current = _current, tables
            if previous is not None:
                previous.superseded.set()
                tables.inherit(previous)
            _tables[key] = tables
            del previous  # an older generation's tables go once its last request ends
            _drop_gone_segments()
        return tables


def _drop_gone_segments() -> None:
    """Forget what was read from segments that no generation in use has any more."""
    kept = {segment for tables in _tables.values() for segment, _ in tables.segments or ()}
    for cache in (_segment_facets, _segment_lists, _segment_vocabularies):
        cache.retain(kept)


def warm_in_background(
    claimed: Tables, open_searcher: Callable[[], AbstractContextManager[Searcher]]
) -> None:
    """Warm the tables of the current generation in a daemon thread, once per generation.

    `claimed` are the tables whose `claim_warming` the caller won. `open_searcher` opens a
    searcher of the same index (SearchIndex.searcher): the thread reads through its own reader,
    and if that already sees a newer generation, warms its tables only if it can claim them.
    """

    def run() -> None:
        try:
            with open_searcher() as searcher:
                tables = tables_for(searcher)
                if tables is claimed or tables.claim_warming():
                    tables.warm(searcher.reader())
        except Exception:  # warming is an optimisation; searches work without it
            log.warning("warming the search tables failed", exc_info=True)

    threading.Thread(target=run, name="saring-warm-tables", daemon=True).start()


def forget_tables() -> None:
    """Drop every cached table (benchmarks use this to time a cold start)."""
    global _current
    with _lock:
        _current = None
        _tables.clear()
    for cache in (_segment_facets, _segment_lists, _segment_vocabularies):
        cache.clear()


def _published_values(reader: IndexReader) -> Callable[[int], int]:
    """doc number -> raw `published` column value, 0 when the document has no date.

    Read segment by segment: Whoosh's multi-segment column reader skips segments without the
    column (every document in them undated) and then maps document numbers to the wrong
    segment, handing an undated release a made-up date.
    """
    segments = []
    for leaf, offset in reader.leaf_readers():
        if leaf.has_column("published"):
            segments.append((offset, leaf.column_reader("published", translate=False)))
    starts = [offset for offset, _ in segments]

    def value(doc: int) -> int:
        place = bisect.bisect_right(starts, doc) - 1
        if place < 0:
            return 0
        offset, column = segments[place]
        local = doc - offset
        return column[local] if local < len(column) else 0

    return value


def date_key(searcher: Searcher, moment: datetime) -> int:
    """The `published` column value of a naive-UTC datetime, for `filter_bits(start=, end=)`."""
    return searcher.schema["published"].to_column_value(moment)
