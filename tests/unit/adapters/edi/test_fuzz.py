"""Damaged interchanges never crash the gateway: each is read, and accepted or refused clearly."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from hubport.adapters.edi.documents import decode
from hubport.adapters.edi.inbound import interpret
from hubport.adapters.edi.mutations import mutate
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from tests.unit.adapters.edi.messages import NUMBERS, coprar, line

SAMPLES = [
    path.read_text(encoding="utf-8")
    for path in sorted((Path(__file__).parents[3] / "data" / "edi").glob("*.edi"))
] + [coprar(*(line(number) for number in NUMBERS))]


@settings(max_examples=400, deadline=None)
@given(sample=st.sampled_from(SAMPLES), seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 3))
def test_damaged_interchange_is_read_and_judged_without_crashing(
    sample: str, seed: int, rounds: int
) -> None:
    rng = random.Random(seed)
    text = sample
    for _ in range(rounds):
        text, _kind = mutate(text, rng)
    interchange = read_interchange(text)
    problems = validate(interchange)
    for problem in problems:
        assert str(problem).strip()
    if not problems:
        for message in interchange.messages:
            _intent, found = interpret(decode(message), frozenset({"CNJGJ"}))
            assert all(str(problem).strip() for problem in found)
