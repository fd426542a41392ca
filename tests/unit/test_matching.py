from __future__ import annotations

import numpy as np
import pytest

from hadir.domain.errors import ContractMismatchError, ErrorCode
from hadir.face.embedder import l2_normalise
from hadir.face.matching import MatchDecision, TemplateIndex, Thresholds, verify
from hadir.face.types import Embedding, EmbeddingContract

CONTRACT = EmbeddingContract("m", "0" * 64, "p-v1", 4)
OTHER = EmbeddingContract("m", "0" * 64, "p-v2", 4)


def emb(*values: float, contract: EmbeddingContract = CONTRACT) -> Embedding:
    return Embedding(vector=l2_normalise(np.array(values, dtype=np.float32)), contract=contract)


def test_thresholds_decide_accept_review_reject() -> None:
    t = Thresholds(accept=0.6, review=0.5)
    assert t.decide(0.6) is MatchDecision.ACCEPT
    assert t.decide(0.55) is MatchDecision.REVIEW
    assert t.decide(0.49) is MatchDecision.REJECT
    with pytest.raises(ValueError):
        Thresholds(accept=0.4, review=0.5)


def test_verify_takes_the_best_template() -> None:
    probe = emb(1, 0, 0, 0)
    result = verify(probe, [emb(0, 1, 0, 0), emb(1, 0.1, 0, 0)], Thresholds(0.9, 0.8))
    assert result.best_template == 1
    assert result.similarity == pytest.approx(1 / np.sqrt(1.01), rel=1e-5)
    assert result.decision is MatchDecision.ACCEPT


def test_verify_without_templates_rejects() -> None:
    assert verify(emb(1, 0, 0, 0), [], Thresholds(0.5, 0.4)).decision is MatchDecision.REJECT


def test_different_contracts_are_never_compared() -> None:
    with pytest.raises(ContractMismatchError) as info:
        verify(emb(1, 0, 0, 0), [emb(1, 0, 0, 0, contract=OTHER)], Thresholds(0.5, 0.4))
    assert info.value.code is ErrorCode.CONTRACT_MISMATCH


def test_embedding_must_fit_its_contract() -> None:
    with pytest.raises(ValueError):
        Embedding(vector=np.zeros(3, np.float32), contract=CONTRACT)


def test_identify_finds_the_subject_and_rejects_strangers() -> None:
    index = TemplateIndex(CONTRACT)
    index.add("alice", emb(1, 0, 0, 0))
    index.add("alice", emb(0.9, 0.1, 0, 0))
    index.add("bob", emb(0, 1, 0, 0))
    t = Thresholds(accept=0.8, review=0.7)
    found = index.identify(emb(1, 0.05, 0, 0), t)
    assert found.subject_id == "alice"
    assert found.decision is MatchDecision.ACCEPT
    assert [c.subject_id for c in found.candidates] == ["alice", "bob"]
    stranger = index.identify(emb(0, 0, 1, 0), t)
    assert stranger.subject_id is None
    assert stranger.decision is MatchDecision.REJECT
    assert index.remove_subject("alice") == 2
    assert index.identify(emb(1, 0, 0, 0), t).subject_id is None


def naive_identify(
    rows: list[tuple[str, np.ndarray]], probe: np.ndarray
) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for subject, vector in rows:
        value = float(np.float32(vector @ probe))
        if value > best.get(subject, -2.0):
            best[subject] = value
    return sorted(best.items(), key=lambda kv: kv[1], reverse=True)


def test_identify_agrees_with_a_naive_loop_on_many_interleaved_subjects() -> None:
    rng = np.random.default_rng(11)
    contract = EmbeddingContract("m", "0" * 64, "p-v1", 8)
    index = TemplateIndex(contract)
    rows = []
    for _ in range(600):
        subject = f"s{int(rng.integers(0, 150))}"
        vector = l2_normalise(rng.standard_normal(8).astype(np.float32))
        rows.append((subject, vector))
        index.add(subject, Embedding(vector=vector, contract=contract))
    thresholds = Thresholds(accept=0.9, review=0.8)
    for probe in [rows[0][1], *(l2_normalise(rng.standard_normal(8)) for _ in range(20))]:
        got = index.identify(Embedding(vector=probe, contract=contract), thresholds, top=3)
        expected = naive_identify(rows, probe)[:3]
        assert [c.subject_id for c in got.candidates] == [s for s, _ in expected]
        assert [c.similarity for c in got.candidates] == pytest.approx([v for _, v in expected])
    removed = index.remove_subject(rows[0][0])
    assert removed == sum(1 for subject, _ in rows if subject == rows[0][0])
    assert len(index) == 600 - removed
    after = index.identify(Embedding(vector=rows[0][1], contract=contract), thresholds)
    assert rows[0][0] not in {c.subject_id for c in after.candidates}


def test_the_coarse_shortlist_decides_like_the_exact_search() -> None:
    from hadir.face.matching import EXACT, SearchPolicy

    rng = np.random.default_rng(11)
    contract = EmbeddingContract("m", "0" * 64, "p", 64)
    rows = rng.standard_normal((3000, 64)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    subjects = [f"s{i // 2}" for i in range(rows.shape[0])]  # two templates each
    policy = SearchPolicy(coarse_from=1000, coarse_dims=32, shortlist=128, sample_rows=1000)
    exact, coarse = TemplateIndex(contract, EXACT), TemplateIndex(contract, policy)
    for subject, row in zip(subjects, rows, strict=True):
        exact.add(subject, Embedding(row, contract))
        coarse.add(subject, Embedding(row, contract))
    thresholds = Thresholds(accept=0.6, review=0.45)
    accepted = 0
    for i in range(0, 3000, 37):
        noisy = rows[i] + rng.standard_normal(64).astype(np.float32) * 0.07
        probe = Embedding((noisy / np.linalg.norm(noisy)).astype(np.float32), contract)
        want, got = exact.identify(probe, thresholds), coarse.identify(probe, thresholds)
        assert (got.decision, got.subject_id) == (want.decision, want.subject_id)
        assert got.similarity == pytest.approx(want.similarity, abs=1e-6)
        assert got.candidates[0] == want.candidates[0]
        accepted += want.decision is MatchDecision.ACCEPT
    assert accepted > 60  # the probes really are enrolled people
    assert coarse.shortlisted and not exact.shortlisted
    stranger = rng.standard_normal(64).astype(np.float32)
    probe = Embedding(stranger / np.linalg.norm(stranger), contract)
    assert coarse.identify(probe, thresholds).decision is MatchDecision.REJECT
