"""The learned verdict: stance of official sentences, the shipped model, corrections that refute
a rumour, published clarifications that decide, and WhatsApp wrappers that change nothing.

Releases are loaded through the real ingest path into a real index (the demo data, which carries
the corpus releases, the correction releases written for Saring and the corpus clarifications).
"""

from __future__ import annotations

import json
import math
import random
import re
from datetime import datetime

import pytest

from index.store import WIB
from tests.demo import demo_site
from verify.check import Verdict, check_text, prepare, rank
from verify.devset import read_claims
from verify.features import claim_features
from verify.model import (
    MODEL_PATH,
    ModelError,
    VerdictModel,
    calibrated,
    load_model,
    model_from_json,
)
from verify.stance import is_correction, sentence_stance

DAY = datetime(2026, 12, 1, 12, tzinfo=WIB)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    # many checks from one address here
    for application in demo_site(tmp_path_factory, "verdict", CHECK_RATE_LIMIT=""):
        assert application.config["DEMO_LOADED"] > 180
        yield application


@pytest.fixture(scope="module")
def index(demo_app):
    return demo_app.extensions["saring"].index


def check(index, text, **options):
    return check_text(index, text, now=DAY, **options)


# -- stance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Beredar pesan berantai yang menyebut Pasar Besar akan dibongkar total.",
        "Warga mengaku ditarik ongkos Rp15 ribu oleh sopir angkot.",
        "Unggahan itu dibuat seolah-olah berasal dari akun resmi Pemkot.",
        "Pemkot Malang membantah kabar bahwa tarif parkir naik.",
        "Informasi tersebut tidak benar dan menyesatkan.",
        # a later sentence that goes on telling what the message said, or what its sender did
        "Pesan itu juga memuat perintah agar pedagang segera mengosongkan los.",
        "Poster tersebut menyebut parade dipindah ke Jalan Ijen.",
        "Setelah itu pelaku meminta transfer dengan dalih mendesak.",
    ],
)
def test_sentences_that_relay_a_rumour_or_a_complaint_are_not_official(sentence):
    assert not sentence_stance(sentence).official


@pytest.mark.parametrize(
    "sentence, denies",
    [
        ("Tarif angkot untuk penumpang umum tetap Rp5 ribu.", False),
        ("Kasus DBD tersebar di 57 kelurahan.", False),
        ("Layanan cetak ulang KTP tidak dipungut biaya.", True),
        ("Dinkes memastikan tidak ada siswa yang dirawat.", True),
        ("Video itu merupakan rekaman lama banjir di Kota Batu.", False),
        ("Wali Kota meminta warga memilah sampah dari rumah.", False),
    ],
)
def test_plain_statements_and_plain_denials_are_official(sentence, denies):
    stance = sentence_stance(sentence)
    assert stance.official
    assert stance.denies is denies


def test_a_release_is_a_correction_when_its_headline_or_a_sentence_denies():
    quiet = sentence_stance("Tarif tetap Rp5 ribu.")
    assert is_correction("Dishub Luruskan Kabar Tarif Angkot Naik", [quiet])
    assert is_correction("Tarif Angkot", [quiet, sentence_stance("Kabar itu hoaks.")])
    assert not is_correction("Tarif Angkot Tetap Rp5 Ribu", [quiet])


# -- the shipped model ------------------------------------------------------------------------


def test_the_shipped_model_is_small_valid_boosted_trees_that_credit_their_data():
    assert MODEL_PATH.stat().st_size < 20_000_000
    model = load_model()
    assert model.trees and all(len(round_trees) == 3 for round_trees in model.trees)
    assert model.classes == ("SUPPORTED", "CONTRADICTED", "NOT_FOUND")
    assert len(model.features) >= 30 and model.max_confidence < 1.0
    assert "IndoNLI" in model.meta["data"]["credit"]
    assert "CC BY-SA 4.0" in model.meta["data"]["credit"]
    # calling a contradicted claim SUPPORTED costs more than any other mistake
    assert model.costs["SUPPORTED"]["CONTRADICTED"] > model.costs["CONTRADICTED"]["SUPPORTED"]
    probabilities = model.probabilities({})
    assert sum(probabilities.values()) == pytest.approx(1.0)


def _score_gap(model: VerdictModel, x: list[float]) -> float:
    """Class 0's score less class 1's, read back from the probabilities."""
    p = model.probabilities(dict(zip(model.features, x, strict=True)))
    return math.log(p[model.classes[0]] / p[model.classes[1]]) * model.temperature


def test_a_tree_is_walked_left_at_or_below_the_threshold_and_right_above():
    # feature 1 <= 0.5 -> node 1 (a further split on feature 0), else leaf 4
    tree = ((1.0, 0.5, 1.0, 4.0), (0.0, 2.0, 2.0, 3.0), (-1.0,), (1.0,), (3.0,))
    model = VerdictModel(("A", "B", "C"), ("f0", "f1"), (0.0, 0.0, 0.0),
                         ((tree, ((0.0,),), ((0.0,),)),))  # fmt: skip
    assert _score_gap(model, [0.0, 0.5]) == pytest.approx(-1.0)
    assert _score_gap(model, [2.5, 0.5]) == pytest.approx(1.0)
    assert _score_gap(model, [0.0, 0.51]) == pytest.approx(3.0)


def test_the_shipped_model_adds_up_every_trees_leaf_as_the_file_describes():
    model = load_model()

    def walk(tree, x):  # the file's own description: left at or below the threshold
        node = tree[0]
        while len(node) == 4:
            node = tree[int(node[2]) if x[int(node[0])] <= node[1] else int(node[3])]
        return node[0]

    generator = random.Random(20261203)
    for _ in range(50):
        x = [generator.choice([0.0, 1.0, generator.random(), generator.random() * 5])
             for _ in model.features]  # fmt: skip
        scores = [base + sum(walk(round_trees[k], x) for round_trees in model.trees)
                  for k, base in enumerate(model.baseline)]  # fmt: skip
        assert _score_gap(model, x) == pytest.approx(scores[0] - scores[1], abs=1e-9)


def test_more_evidence_of_a_difference_never_makes_the_shipped_model_more_supportive():
    model = load_model()
    covered = {"official_cov": 1.0, "plain_cov": 1.0, "sentence_cov": 1.0, "relevance": 0.9,
               "release_cov": 1.0, "bigram_cov": 1.0, "run_share": 1.0}  # fmt: skip
    agreeing = model.probabilities(covered)
    differing = model.probabilities({**covered, "numbers_claimed": 0.5, "numbers_diff": 1.0,
                                     "diff_in_best": 1.0})  # fmt: skip
    assert differing["SUPPORTED"] < agreeing["SUPPORTED"]
    assert differing["CONTRADICTED"] > agreeing["CONTRADICTED"]


def test_the_decision_weighs_the_cost_of_a_wrong_supported():
    model = load_model()
    unsure = {"SUPPORTED": 0.45, "CONTRADICTED": 0.40, "NOT_FOUND": 0.15}
    assert model.decide(unsure) != "SUPPORTED"
    sure = {"SUPPORTED": 0.97, "CONTRADICTED": 0.02, "NOT_FOUND": 0.01}
    assert model.decide(sure) == "SUPPORTED"
    assert model.confidence(sure, "SUPPORTED") <= model.max_confidence < 1.0


def test_the_costs_hold_a_likely_supported_claim_back_but_never_turn_it_into_contradicted():
    model = load_model()
    # Calling this SUPPORTED risks a contradicted claim; CONTRADICTED would be cheaper in
    # expectation than NOT_FOUND under some costs, but it is the least likely answer of the two.
    likely = {"SUPPORTED": 0.70, "CONTRADICTED": 0.21, "NOT_FOUND": 0.09}
    assert model.decide(likely) in {"SUPPORTED", "NOT_FOUND"}
    risky = {"SUPPORTED": 0.50, "CONTRADICTED": 0.45, "NOT_FOUND": 0.05}
    assert model.decide(risky) == "NOT_FOUND"
    contradicted = {"SUPPORTED": 0.20, "CONTRADICTED": 0.70, "NOT_FOUND": 0.10}
    assert model.decide(contradicted) == "CONTRADICTED"


def test_confidence_is_the_calibrated_chance_of_being_right():
    model = load_model()
    # every verdict has a map fitted on held-out answers
    assert set(model.calibration) == set(model.classes)
    for verdict in model.classes:
        shown = [
            model.confidence({**{c: 0.0 for c in model.classes}, verdict: p}, verdict)
            for p in (0.2, 0.4, 0.6, 0.8, 0.99)
        ]
        assert shown == sorted(shown), verdict  # a likelier verdict is never shown as less sure
        assert all(0.0 < c <= model.max_confidence for c in shown)
    assert calibrated(0.3, None) == 0.3
    assert calibrated(0.3, (1.0, 0.0)) == pytest.approx(0.3)
    assert calibrated(0.3, (1.0, 1.0)) > 0.3  # a positive intercept raises it


def test_a_malformed_model_file_is_refused_with_a_clear_error():
    good = load_model().to_json()
    assert model_from_json(json.loads(json.dumps(good))) == load_model()
    for broken in (
        {**good, "baseline": good["baseline"][:2]},
        {**good, "trees": [round_trees[:2] for round_trees in good["trees"]]},
        {**good, "trees": [[[[0, 0.5, 0, 0]]] * 3]},  # a split that points back at itself
        {**good, "trees": [[[[len(good["features"]), 0.5, 1, 2], [0.1], [0.2]]] * 3]},
        {**good, "trees": [[[]] * 3]},
        {**good, "temperature": 0},
        {**good, "calibration": {"HOAKS": [1.0, 0.0]}},
        {**good, "calibration": {"SUPPORTED": ["a", 0.0]}},
        {key: value for key, value in good.items() if key != "features"},
    ):
        with pytest.raises(ModelError):
            model_from_json(broken)


# -- fixed claims on the demo data --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("Tarif angkot umum di Kota Malang naik jadi Rp10 ribu.", Verdict.CONTRADICTED),
        ("Banjir setinggi 50 cm merendam Jalan Soekarno-Hatta dan Jalan Borobudur.",
         Verdict.NOT_FOUND),
        ("Pemkot Malang membangun kereta gantung dari Alun-alun Tugu ke Stadion Gajayana.",
         Verdict.NOT_FOUND),
    ],
)  # fmt: skip
def test_fixed_claims_get_the_verdict_the_record_gives(index, text, verdict):
    assert check(index, text, with_clarifications=False).verdict is verdict


def test_the_fares_the_record_states_are_read_as_agreeing_with_it(index):
    """Likeliest SUPPORTED; the cost of a wrong SUPPORTED may hold it back to NOT_FOUND (the
    shipped model does, at P(SUPPORTED) 0.69 against P(CONTRADICTED) 0.24), never to
    CONTRADICTED."""
    result = check(
        index,
        "Tarif angkot umum di Kota Malang tetap Rp5 ribu dan pelajar Rp3 ribu.",
        with_clarifications=False,
    )
    (claim,) = result.claims
    assert max(claim.probabilities, key=claim.probabilities.get) == "SUPPORTED"
    assert claim.probabilities["SUPPORTED"] > 0.6, claim.probabilities
    assert result.verdict in {Verdict.SUPPORTED, Verdict.NOT_FOUND}


def test_a_rumour_a_correction_denies_is_contradicted_and_the_denial_comes_first(index):
    result = check(
        index,
        "Info grup: mulai 1 Oktober 2025 Pasar Besar Malang dibongkar, semua pedagang wajib "
        "pindah!!",
        with_clarifications=False,
    )
    assert result.verdict is Verdict.CONTRADICTED
    first = result.evidence[0]
    assert first.relation == "refutes"
    assert sentence_stance(first.sentence).denies
    # the sentence that describes the rumour is never shown as support
    assert all(
        e.relation != "supports" for e in result.evidence if sentence_stance(e.sentence).reports
    )


def test_no_machine_verdict_is_certain(index):
    for text in (
        "Tarif angkot umum di Kota Malang tetap Rp5 ribu.",
        "Tarif angkot umum di Kota Malang naik jadi Rp10 ribu.",
        "Ada kereta gantung di Alun-alun Tugu.",
    ):
        result = check(index, text)
        assert 0.0 < result.confidence < 1.0
        assert all(0.0 < c.confidence < 1.0 for c in result.claims)


# -- published clarifications decide ----------------------------------------------------------


def test_a_published_hoaks_label_decides_and_is_shown_above_the_verdict(demo_app, index):
    text = "Pasar Besar Malang dibongkar total Januari 2026"
    result = check(index, text)
    assert result.verdict is Verdict.CONTRADICTED
    assert result.basis == "clarification"
    assert result.clarifications and result.clarifications[0]["verdict"] == "HOAKS"
    # nothing is shown as support for a claim the record (here: its label) contradicts
    assert all(e.relation != "supports" for e in result.evidence)
    client = demo_app.test_client()
    form = client.get("/cek").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    page = client.post("/cek", data={"text": text, "csrf_token": token}).get_data(as_text=True)
    label = page.index('class="verdict verdict-hoaks"')
    verdict = page.index('class="record-verdict record-')
    assert label < verdict  # the published label comes first
    assert "record-verdict record-supported" not in page


def test_the_api_reports_the_basis_and_the_refutes_relation_is_documented(demo_app):
    client = demo_app.test_client()
    body = client.post("/api/v1/check", json={"text": "Tarif angkot naik jadi Rp15 ribu"})
    data = body.get_json()
    assert data["basis"] in {"record", "clarification"}
    assert all("notes" in claim and "basis" in claim for claim in data["claims"])
    spec = client.get("/api/v1/openapi.json").get_json()
    relation = spec["components"]["schemas"]["Evidence"]["properties"]["relation"]
    assert "refutes" in relation["enum"]


# -- time ---------------------------------------------------------------------------------------


def test_a_person_in_an_office_they_did_not_hold_then_is_a_difference(index):
    result = check(
        index,
        "Wali Kota Malang Sutiaji meresmikan Koperasi Merah Putih pada Juli 2025.",
        with_clarifications=False,
    )
    offices = [d for e in result.evidence for d in e.differences if d["kind"] == "office"]
    assert result.verdict is Verdict.CONTRADICTED
    assert offices and "Wahyu Hidayat" in offices[0]["official"]


def test_evidence_much_older_than_the_time_the_claim_speaks_of_is_flagged(index):
    result = check(
        index,
        "Mulai bulan depan tarif angkot umum di Kota Malang Rp5 ribu.",
        with_clarifications=False,
    )
    if result.verdict is not Verdict.NOT_FOUND:
        assert any("tahun sebelum" in note for c in result.claims for note in c.notes)


# -- WhatsApp wrappers ----------------------------------------------------------------------------

FRAMES = [
    "Katanya {}",
    "Kata Pak Wali, {}",
    "Infonya {} 😱🙏",
    "Assalamualaikum bapak ibu, {} Sebarkan ke teman2!!",
    "Info dari grup sebelah: {} Mohon dicek kebenarannya.",
    "Dengar-dengar {}, hati-hati ya",
]


def test_wrapping_any_development_claim_never_changes_its_verdict(index):
    """Metamorphic: every development claim, wrapped three ways, keeps its verdict."""
    claims = read_claims()
    assert len(claims) >= 450
    changed = []
    for number, claim in enumerate(claims):
        text = claim["text"].strip()
        plain = check(index, text, with_clarifications=False).verdict
        for offset in range(3):
            frame = FRAMES[(number + offset * 2) % len(FRAMES)]
            wrapped = check(index, frame.format(text), with_clarifications=False).verdict
            if wrapped is not plain:
                changed.append((claim["id"], frame, plain, wrapped))
    assert changed == []


def test_a_negated_claim_saying_what_a_denial_says_is_not_likened_to_the_rumour(index):
    def features(text: str) -> tuple[dict[str, float], list]:
        prepared = prepare(index, text, now=DAY, with_clarifications=False)
        (only,) = prepared.claims
        ranked = rank(only.comparisons)
        return claim_features(only.view, ranked), ranked

    agreeing, ranked = features("Awal Maret 2025 Dinkes bilang Kota Malang belum KLB DBD")
    assert any(c.correction and c.rumour_coverage > 0.3 for c in ranked[:2])
    assert agreeing["negation_match"] == 1.0
    assert agreeing["rumour_cov"] == agreeing["close_correction"] == 0.0
    rumour, _ = features("Awal Maret 2025 Kota Malang sudah berstatus KLB DBD")
    assert max(rumour["rumour_cov"], rumour["close_correction"]) > 0.3
