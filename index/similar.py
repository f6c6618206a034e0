"""Related documents ("more like this"): the releases whose key words best match one release.

The key terms of a release (title and body, weighted against the whole collection with Whoosh's
Bo1 expansion model) are ranked over title and body with BM25F, each term boosted by its weight,
exactly as a search for them would be. Only releases come back (not clarifications), never the
release itself.
"""

from __future__ import annotations

from index.ranking import top_k
from index.search import TITLE_BOOST, Hit, hit_from_fields
from index.store import IndexMissing, SearchIndex
from index.tables import tables_for

KEY_TERMS = 12


def similar(index: SearchIndex, doc_id: str, limit: int = 5, kind: str = "release") -> list[Hit]:
    """Up to `limit` documents of `kind` most like the document `doc_id` ([] if unknown)."""
    if limit < 1:
        return []
    try:
        with index.searcher() as searcher:
            docnum = searcher.document_number(id=str(doc_id))
            if docnum is None:
                return []
            stored = searcher.stored_fields(docnum)
            text = f"{stored.get('title', '')}\n\n{stored.get('body', '')}"
            key_terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS)
            if not key_terms:
                return []
            terms = [("title", term, TITLE_BOOST * weight) for term, weight in key_terms]
            terms += [("body", term, weight) for term, weight in key_terms]
            tables = tables_for(searcher)
            candidates = tables.filter_bits(kind=kind) & ~(1 << docnum)
            anything = 0
            for name, term, _ in terms:
                anything |= tables.postings(searcher.reader(), name, term).bits
            ranked = top_k(tables, searcher.reader(), terms, candidates & anything, limit)
            return [
                hit_from_fields(searcher.stored_fields(doc), score)
                for doc, score in ranked
                if score > 0
            ]
    except IndexMissing:
        return []
