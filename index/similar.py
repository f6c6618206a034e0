"""Related documents ("more like this"): the releases that share a release's matter.

The key terms of a release (title and body, weighted against the whole collection with Whoosh's
Bo1 expansion model) are ranked over title and body with BM25F, each term boosted by its weight,
exactly as a search for them would be. Sharing a few common words ("tarif", "naik") is not
sharing the matter, so a candidate is kept only when the key terms it holds carry enough of
their total weight: MIN_SHARE_SAME_OPD of it (and MIN_SHARED_TERMS terms) from the same agency,
MIN_SHARE_OTHER_OPD from another one. Only releases come back (not clarifications), never the
release itself.
"""

from __future__ import annotations

from index.ranking import top_k
from index.results import Hit, hit_from_fields
from index.store import IndexMissing, SearchIndex
from index.syntax import TITLE_BOOST
from index.tables import tables_for

KEY_TERMS = 12
MIN_SHARED_TERMS = 2
MIN_SHARE_SAME_OPD = 0.25
MIN_SHARE_OTHER_OPD = 0.5
CANDIDATES = 4  # ranked candidates looked at per related release wanted


def similar(index: SearchIndex, doc_id: str, limit: int = 5, kind: str = "release") -> list[Hit]:
    """Up to `limit` documents of `kind` sharing the matter of document `doc_id` ([] if unknown)."""
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
            reader = searcher.reader()
            candidates = tables.filter_bits(kind=kind) & ~(1 << docnum)
            holding: dict[str, int] = {}  # key term -> documents holding it in title or body
            for name, term, _ in terms:
                holding[term] = holding.get(term, 0) | tables.postings(reader, name, term).bits
            anything = 0
            for bits in holding.values():
                anything |= bits
            ranked = top_k(tables, reader, terms, candidates & anything, limit * CANDIDATES)
            total = sum(weight for _, weight in key_terms)
            related = []
            for doc, score in ranked:
                fields = searcher.stored_fields(doc)
                shared = [weight for term, weight in key_terms if holding[term] >> doc & 1]
                same_opd = fields.get("opd", "") == stored.get("opd", "")
                if score > 0 and _shares_matter(len(shared), sum(shared) / total, same_opd):
                    related.append(hit_from_fields(fields, score))
                if len(related) == limit:
                    break
            return related
    except IndexMissing:
        return []


def _shares_matter(shared_terms: int, share: float, same_opd: bool) -> bool:
    """Whether a candidate holding `shared_terms` key terms with `share` of their weight is on
    the same matter."""
    if shared_terms < MIN_SHARED_TERMS:
        return False
    return share >= (MIN_SHARE_SAME_OPD if same_opd else MIN_SHARE_OTHER_OPD)
