"""The OpenAPI 3.1 description of the JSON API, feeds and downloads (served as JSON and shown
to people on /api). Limits come from the code that enforces them, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from archive.channels import KINDS as CHANNEL_KINDS
from archive.editorial import VERDICTS
from index.query import (
    DEFAULT_PER_PAGE,
    KINDS,
    MAX_FILTER_CHARS,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
)
from index.search import EXPORT_LIMIT

# 1.2: the check answers 429 over its rate limit and lists `unchecked` claims; 1.3: `channels`
API_VERSION = "1.3.0"


def _parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


SEARCH_PARAMETERS: list[dict[str, Any]] = [
    _parameter(
        "q",
        "Kata kunci / query text. Plain words must all appear (any form of the same root); "
        '"exact phrase", -exclude, a OR b, opd:dishub, opd:"dinas perhubungan", judul:banjir '
        "(title only). Broken syntax is ignored with a notice. Empty: newest first.",
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
    ),
    _parameter(
        "sort",
        "relevance (BM25F, title weighted over body), newest or oldest (by published date).",
        {"type": "string", "enum": list(SORTS), "default": SORTS[0]},
    ),
    _parameter(
        "opd",
        "Only releases of this issuing agency (exact name, as listed in facets.opd).",
        {"type": "string", "maxLength": MAX_FILTER_CHARS},
    ),
    _parameter(
        "category",
        "Only releases with this category (exact label, as listed in facets.category).",
        {"type": "string", "maxLength": MAX_FILTER_CHARS},
    ),
    _parameter(
        "year",
        "Only releases published in this year (Malang time, WIB).",
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ),
    _parameter(
        "month",
        "Only releases published in this month, YYYY-MM (WIB).",
        {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
    ),
    _parameter(
        "from",
        "Published on or after this day, YYYY-MM-DD (WIB). Swapped with `to` if later.",
        {"type": "string", "format": "date"},
    ),
    _parameter(
        "to",
        "Published on or before this day, YYYY-MM-DD (WIB).",
        {"type": "string", "format": "date"},
    ),
    _parameter(
        "kind",
        "release (default), clarification (hoax clarifications) or all.",
        {"type": "string", "enum": list(KINDS), "default": KINDS[0]},
    ),
]

PAGING_PARAMETERS: list[dict[str, Any]] = [
    _parameter(
        "page",
        "Result page, from 1; larger values are clamped.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    ),
    _parameter(
        "per_page",
        "Results per page; clamped to the range.",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    ),
]

_DATE = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601 in WIB"}
_ERROR = {"$ref": "#/components/responses/Error"}


def _path_id(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1},
    }


def openapi_spec(server: str = "") -> dict[str, Any]:
    """The OpenAPI 3.1 document; `server` is this site's root URL."""
    release_id = _path_id("release_id", "Release id (as in /rilis/<id>).")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Saring API",
            "version": API_VERSION,
            "summary": "Search the archived official releases of the City of Malang.",
            "description": (
                "Cari rilis resmi Pemerintah Kota Malang yang diarsipkan Saring, lengkap dengan "
                "setiap versinya, dan bandingkan klaim dengan rilis resmi. Tanpa kunci API. / "
                "Search Saring's archive of the City of Malang's official releases and every "
                "version of them, and check claims against them. No API key. Dates are ISO "
                "8601 in WIB (UTC+07:00). Errors are JSON: "
                '{"error": {"code", "message", "detail"}}.'
            ),
            "license": {"name": "Open data; cite the archive link"},
        },
        "servers": [{"url": server or "/"}],
        "paths": {
            "/api/v1/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search releases: results, facets and paging",
                    "x-summary-id": "Cari rilis: hasil, facet dan halaman",
                    "parameters": SEARCH_PARAMETERS + PAGING_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "One page of results",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/api/v1/releases/{release_id}": {
                "get": {
                    "operationId": "getRelease",
                    "summary": "One archived release (latest version), versions, citation",
                    "x-summary-id": "Satu rilis arsip (versi terbaru), daftar versi, kutipan",
                    "parameters": [release_id],
                    "responses": {
                        "200": {
                            "description": "The release",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Release"}
                                }
                            },
                        },
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/releases/{release_id}/versions/{number}": {
                "get": {
                    "operationId": "getReleaseVersion",
                    "summary": "One stored version exactly as archived",
                    "x-summary-id": "Satu versi persis seperti diarsipkan",
                    "parameters": [release_id, _path_id("number", "Version number, from 1.")],
                    "responses": {
                        "200": {
                            "description": "The version",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Version"}
                                }
                            },
                        },
                        "404": _ERROR,
                    },
                }
            },
            "/api/v1/releases/{release_id}/diff": {
                "get": {
                    "operationId": "diffReleaseVersions",
                    "summary": "Word-level differences between two versions",
                    "x-summary-id": "Perbedaan kata demi kata antara dua versi",
                    "parameters": [
                        release_id,
                        _parameter(
                            "from",
                            "Older version number (default: the one before `to`).",
                            {"type": "integer", "minimum": 1},
                        ),
                        _parameter(
                            "to",
                            "Newer version number (default: the latest).",
                            {"type": "integer", "minimum": 1},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "The differences",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Diff"}
                                }
                            },
                        },
                        "400": _ERROR,
                        "404": _ERROR,
                    },
                }
            },
            "/cari.atom": {
                "get": {
                    "operationId": "searchFeed",
                    "summary": "Atom feed of a search: its 50 newest matches",
                    "x-summary-id": "Feed Atom sebuah pencarian: 50 hasil terbaru",
                    "description": "Same parameters as /api/v1/search; always newest first.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "An Atom 1.0 feed (RFC 4287)",
                            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/cari.csv": {
                "get": {
                    "operationId": "exportCsv",
                    "summary": f"Download up to {EXPORT_LIMIT} matches as CSV",
                    "x-summary-id": f"Unduh paling banyak {EXPORT_LIMIT} hasil sebagai CSV",
                    "description": (
                        "Same parameters and order as the search. Columns: id, title, opd, "
                        "published, modified, categories, status, kind, url, archive_url. Cells "
                        "that a spreadsheet would run as a formula start with an apostrophe. "
                        "Headers X-Total-Count and X-Exported-Count tell whether it was cut."
                    ),
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "CSV with a header row",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/cari.json": {
                "get": {
                    "operationId": "exportJson",
                    "summary": f"Download up to {EXPORT_LIMIT} matches as JSON",
                    "x-summary-id": f"Unduh paling banyak {EXPORT_LIMIT} hasil sebagai JSON",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "The export",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Export"}
                                }
                            },
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/api/v1/check": {
                "post": {
                    "operationId": "checkClaim",
                    "summary": "Compare a claim or forwarded message with the official record",
                    "x-summary-id": "Bandingkan klaim atau pesan berantai dengan rilis resmi",
                    "description": (
                        "Nothing sent here is stored. The verdict says what the official record "
                        "says (SUPPORTED, CONTRADICTED, NOT_FOUND); it never labels a rumour a "
                        "hoax. Only published clarifications carry such labels."
                    ),
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {"text": {"type": "string", "maxLength": 5000}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The check, overall and claim by claim",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Check"}
                                }
                            },
                        },
                        "400": _ERROR,
                        "413": _ERROR,
                        "429": _ERROR,
                    },
                }
            },
            "/api/v1/clarifications": {
                "get": {
                    "operationId": "listClarifications",
                    "summary": "Published clarifications of Diskominfo, newest first",
                    "x-summary-id": "Klarifikasi Diskominfo yang terbit, terbaru lebih dulu",
                    "parameters": [
                        _parameter(
                            "verdict",
                            "HOAKS, DISINFORMASI, MISINFORMASI, MENYESATKAN or FAKTA.",
                            {"type": "string"},
                        ),
                        _parameter("month", "Publication month, YYYY-MM.", {"type": "string"}),
                        *PAGING_PARAMETERS,
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of clarifications",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ClarificationList"}
                                }
                            },
                        },
                        "400": _ERROR,
                    },
                }
            },
            "/api/v1/clarifications/{slug}": {
                "get": {
                    "operationId": "getClarification",
                    "summary": "One published clarification with its revisions",
                    "x-summary-id": "Satu klarifikasi beserta riwayat revisinya",
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The clarification",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Clarification"}
                                }
                            },
                        },
                        "404": _ERROR,
                    },
                }
            },
            "/klarifikasi.atom": {
                "get": {
                    "operationId": "clarificationFeed",
                    "summary": "Atom feed of published clarifications",
                    "x-summary-id": "Feed Atom klarifikasi yang terbit",
                    "responses": {
                        "200": {
                            "description": "An Atom 1.0 feed",
                            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Store and index status",
                    "x-summary-id": "Status arsip dan indeks",
                    "responses": {
                        "200": {"description": "ok or degraded"},
                        "503": {"description": "The store cannot be read"},
                    },
                }
            },
        },
        "components": {
            "responses": {
                "Error": {
                    "description": "An error",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict[str, Any]:
    string_list = {"type": "array", "items": {"type": "string"}}
    facet = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "value": {"type": "string"},
                "count": {"type": "integer"},
                "selected": {"type": "boolean"},
            },
        },
    }
    return {
        "Error": {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "integer"},
                        "message": {"type": "string", "description": "In Indonesian"},
                        "detail": {"type": "string"},
                    },
                }
            },
        },
        "Hit": {
            "type": "object",
            "properties": {
                "id": {"type": "string", "description": "Release id; clarifications: k<n>"},
                "url": {"type": "string", "description": "Original URL (clarifications: path)"},
                "archive_url": {"type": "string", "description": "This archive's page"},
                "title": {"type": "string"},
                "opd": {"type": "string"},
                "published": _DATE,
                "modified": _DATE,
                "categories": string_list,
                "snippet": {
                    "type": "string",
                    "description": "HTML: escaped text, matched words in <mark>",
                },
                "status": {"type": "string", "enum": ["active", "removed"]},
                "kind": {"type": "string", "enum": ["release", "clarification"]},
                "score": {"type": "number", "description": "BM25F; 0 when sorted by date"},
            },
        },
        "SearchResponse": {
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "pages": {"type": "integer"},
                "sort": {"type": "string", "enum": list(SORTS)},
                "kind": {"type": "string", "enum": list(KINDS)},
                "filters": {"type": "object", "additionalProperties": {"type": "string"}},
                "notice": {"type": "string", "description": "Why the query was read differently"},
                "widened": {
                    "type": "boolean",
                    "description": "No document had every word; partial matches are shown",
                },
                "suggestion": {
                    "type": ["object", "null"],
                    "description": "Did you mean: corrected query with API and page links",
                    "properties": {
                        "q": {"type": "string"},
                        "url": {"type": "string"},
                        "html": {"type": "string"},
                    },
                },
                "facets": {
                    "type": "object",
                    "description": "Counts over all matches (not just this page)",
                    "properties": {
                        name: facet for name in ("opd", "category", "year", "month", "kind")
                    },
                },
                "links": {
                    "type": "object",
                    "properties": {
                        name: {"type": ["string", "null"]}
                        for name in ("self", "next", "prev", "html", "atom", "csv", "json")
                    },
                },
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            },
        },
        "Release": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "archive_url": {"type": "string"},
                "title": {"type": "string"},
                "opd": {"type": "string"},
                "source": {"type": "string"},
                "published": _DATE,
                "modified": _DATE,
                "first_seen": _DATE,
                "last_checked": _DATE,
                "status": {"type": "string", "enum": ["active", "removed"]},
                "removed_at": _DATE,
                "dateline": {"type": "string"},
                "author": {"type": "string", "description": "Closing initials, e.g. say/yon"},
                "categories": string_list,
                "tags": string_list,
                "paragraphs": string_list,
                "citation": {"type": "string", "description": "Plain text, ready to paste"},
                "versions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "number": {"type": "integer"},
                            "fetched_at": _DATE,
                            "hash": {"type": "string", "description": "SHA-256 of title+text"},
                            "title": {"type": "string"},
                            "url": {"type": "string"},
                        },
                    },
                },
                "related": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                "clarifications": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Version": {
            "type": "object",
            "properties": {
                "release_id": {"type": "integer"},
                "number": {"type": "integer"},
                "of": {"type": "integer"},
                "fetched_at": _DATE,
                "hash": {"type": "string"},
                "title": {"type": "string"},
                "published": _DATE,
                "modified": _DATE,
                "author": {"type": "string"},
                "dateline": {"type": "string"},
                "categories": string_list,
                "tags": string_list,
                "paragraphs": string_list,
                "archive_url": {"type": "string"},
                "citation": {"type": "string"},
            },
        },
        "Check": {
            "type": "object",
            "required": [
                "verdict", "confidence", "explanation", "evidence", "clarifications", "unchecked",
                "channels",
            ],  # fmt: skip
            "properties": {
                "verdict": {"enum": ["SUPPORTED", "CONTRADICTED", "NOT_FOUND"]},
                "confidence": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1,
                    "description": "The chance that the verdict is right; never 1.",
                },
                "basis": {
                    "enum": ["record", "clarification"],
                    "description": "clarification: a published clarification's label set the "
                    "verdict; record: the learned comparison with the releases did.",
                },
                "explanation": {
                    "type": "string",
                    "description": "In Indonesian, as the checker writes it (the /cek page says "
                    "it in the reader's language).",
                },
                "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                "claims": {"type": "array", "items": {"$ref": "#/components/schemas/ClaimCheck"}},
                "clarifications": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ClarificationMatch"},
                },
                "unchecked": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Claims of a long message left unchecked when the check's "
                    "time budget ran out (the first claim is always checked); with any, the "
                    "verdict is never SUPPORTED.",
                },
                "channels": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ChannelRemark"},
                    "description": "Remarks on the phone numbers, links, e-mail addresses and "
                    "@accounts of the text as sent, compared with the registry of the city's "
                    "official channels, and on a request for money on behalf of an official "
                    "(first, when present). Remarks never change the verdict.",
                },
                "regulations": {
                    "type": "array",
                    "description": "City regulations the text cites (Perwali, Perda, Keputusan "
                    "or Surat Edaran Wali Kota by number and year), each looked up in the JDIH "
                    "register Saring archives. not_found means only that the archived register, "
                    "which holds that kind for the cited year's range, does not list it; it "
                    "never changes the verdict.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "cited": {"type": "string"},
                            "kind": {"enum": ["perwal", "perda", "sk", "se"]},
                            "number": {"type": "string"},
                            "year": {"type": "integer"},
                            "state": {"enum": ["found", "not_found", "not_covered"]},
                            "title": {"type": "string"},
                            "status": {"type": "string"},
                            "url": {"type": "string"},
                            "name": {"type": "string"},
                            "register_years": {
                                "type": ["array", "null"],
                                "items": {"type": "integer"},
                            },
                        },
                    },
                },
            },
        },
        "ChannelRemark": {
            "type": "object",
            "required": ["status", "kind", "found", "value", "message", "official", "warnings"],
            "properties": {
                "status": {
                    "enum": ["official", "lookalike", "unknown", "impersonation"],
                    "description": "official: in the registry (a host also under an official "
                    "one, an e-mail address also on an official domain); lookalike: made to "
                    "look like an official channel; unknown: not in the registry; "
                    "impersonation: the text asks for money on behalf of an official or "
                    "through a number that is not official (the known impersonation pattern).",
                },
                "kind": {"enum": ["phone", "whatsapp", "email", "web", "account", "request"]},
                "found": {"type": "string", "description": "As the text writes it"},
                "value": {
                    "type": "string",
                    "description": "Normalised: +62... (short service numbers as digits), the "
                    "host in lower case without www., the address, the account without @",
                },
                "reason": {
                    "type": "string",
                    "description": "Why a look-alike looks alike: userinfo, subdomain, "
                    "separator, homoglyph, typo, name (hosts), similar (numbers), account, "
                    "platform, official_name (accounts), freemail (e-mail); official_domain, "
                    "shortener or transfer_request otherwise; empty when there is no more to say",
                },
                "platform": {"type": "string", "description": "An account's platform, if named"},
                "message": {"type": "string", "description": "The remark, in Indonesian"},
                "official": {
                    "type": "array",
                    "description": "The official channels shown beside it",
                    "items": {
                        "type": "object",
                        "properties": {
                            "kind": {"enum": list(CHANNEL_KINDS)},
                            "value": {"type": "string"},
                            "shown": {"type": "string"},
                            "owner": {"type": "string"},
                            "source_url": {"type": "string"},
                        },
                    },
                },
                "warnings": {
                    "type": "array",
                    "description": "The city's releases warning about the impersonation "
                    "pattern (impersonation remarks only)",
                    "items": {
                        "type": "object",
                        "properties": {
                            "release_id": {"type": "string", "pattern": "^[0-9]+$"},
                            "url": {"type": "string"},
                            "archive_url": {"type": "string"},
                            "title": {"type": "string"},
                            "opd": {"type": "string"},
                            "published": {"type": ["string", "null"], "format": "date-time"},
                        },
                    },
                },
            },
        },
        "ClaimCheck": {
            "type": "object",
            "properties": {
                "text": {"type": "string"},
                "verdict": {"enum": ["SUPPORTED", "CONTRADICTED", "NOT_FOUND"]},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "basis": {"enum": ["record", "clarification"]},
                "explanation": {"type": "string", "description": "In Indonesian"},
                "notes": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Warnings in Indonesian, e.g. evidence much older than the "
                    "claim's time.",
                },
                "facts": {"type": "array", "items": {"type": "object"}},
                "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
            },
        },
        "Evidence": {
            "type": "object",
            "properties": {
                "release_id": {
                    "type": "string",
                    "pattern": "^[0-9]+$",
                    "description": "The release's id in digits, as `id` in search results "
                    "(a string, unlike Release.id); /api/v1/releases/{release_id} takes it.",
                },
                "url": {"type": "string"},
                "archive_url": {"type": "string"},
                "title": {"type": "string"},
                "opd": {"type": "string"},
                "published": {"type": ["string", "null"], "format": "date-time"},
                "sentence": {"type": "string"},
                "document": {
                    "type": "string",
                    "description": "File name of the document (PDF, image) the release links "
                    "to that the sentence comes from; empty for the release's own text.",
                },
                "relation": {
                    "enum": ["supports", "contradicts", "refutes", "related"],
                    "description": "refutes: the sentence of a correction that denies the "
                    "rumour the claim repeats; a sentence that only describes what circulated "
                    "is never 'supports'.",
                },
                "differences": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "kind": {"type": "string"},
                            "claim": {"type": "string"},
                            "official": {"type": "string"},
                        },
                    },
                },
            },
        },
        "ClarificationMatch": {
            "type": "object",
            "description": "A published clarification the checked text matches, best first.",
            "properties": {
                "slug": {"type": "string"},
                "url": {"type": "string"},
                "title": {"type": "string"},
                "verdict": {"enum": list(VERDICTS)},
                "rumour": {"type": "string"},
                "summary": {"type": "string"},
                "published": {"type": ["string", "null"]},
                "score": {"type": "number", "description": "How closely the text matches, 0-1"},
                "stance": {
                    "enum": ["repeats", "opposes", "differs"],
                    "description": "repeats: the text tells the clarified rumour, and the label "
                    "sets the verdict; opposes: the text sides with the clarification against the "
                    "rumour, and gets the opposite verdict; differs: the text gives other "
                    "figures or dates than both, and the label decides nothing.",
                },
            },
        },
        "Clarification": {
            "type": "object",
            "required": ["slug", "url", "title", "verdict", "summary", "releases"],
            "properties": {
                "slug": {"type": "string"},
                "url": {"type": "string", "description": "The clarification's page"},
                "title": {"type": "string"},
                "verdict": {"enum": list(VERDICTS)},
                "rumour": {"type": "string", "description": "What circulated"},
                "summary": {"type": "string"},
                "published": _DATE,
                "updated": _DATE,
                "author": {"type": "string"},
                "releases": {
                    "type": "array",
                    "description": "The official releases it cites",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "url": {"type": "string"},
                            "title": {"type": "string"},
                            "archive_url": {"type": "string"},
                        },
                    },
                },
                "body": {"type": "string", "description": "Single clarification only"},
                "seen_on": {"type": "string"},
                "sightings": string_list,
                "revisions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "number": {"type": "integer"},
                            "kind": {"type": "string"},
                            "at": _DATE,
                            "note": {"type": "string"},
                        },
                    },
                },
            },
        },
        "ClarificationList": {
            "type": "object",
            "properties": {
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "pages": {"type": "integer"},
                "verdict": {"type": ["string", "null"]},
                "month": {"type": ["string", "null"]},
                "results": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Clarification"},
                },
            },
        },
        "Diff": {
            "type": "object",
            "properties": {
                "release_id": {"type": "integer"},
                "from": {"type": "integer"},
                "to": {"type": "integer"},
                "changed": {"type": "boolean"},
                "added_words": {"type": "integer"},
                "removed_words": {"type": "integer"},
                "title": {"$ref": "#/components/schemas/DiffPieces"},
                "paragraphs": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/DiffPieces"},
                },
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "from": {"type": "string"},
                            "to": {"type": "string"},
                        },
                    },
                },
            },
        },
        "DiffPieces": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "op": {"type": "string", "enum": ["equal", "insert", "delete"]},
                    "text": {"type": "string"},
                },
            },
        },
        "Export": {
            "type": "object",
            "properties": {
                "query": {"type": "object", "additionalProperties": True},
                "total": {"type": "integer"},
                "exported": {"type": "integer"},
                "truncated": {"type": "boolean"},
                "limit": {"type": "integer", "const": EXPORT_LIMIT},
                "notice": {"type": "string"},
                "exported_at": _DATE,
                "results": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "title": {"type": "string"},
                            "opd": {"type": "string"},
                            "published": _DATE,
                            "modified": _DATE,
                            "categories": string_list,
                            "status": {"type": "string"},
                            "kind": {"type": "string"},
                            "url": {"type": "string"},
                            "archive_url": {"type": "string"},
                        },
                    },
                },
            },
        },
    }
