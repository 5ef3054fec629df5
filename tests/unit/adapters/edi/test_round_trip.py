"""Every outbound type reads back to the document it was written from, with correct counts."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hubport.adapters.edi.documents import Document, decode
from hubport.adapters.edi.outbound import Envelope, write_interchange
from hubport.adapters.edi.outbox import OUTBOUND_TYPES
from hubport.adapters.edi.syntax import read_interchange
from hubport.adapters.edi.validation import validate
from tests.unit.adapters.edi.strategies import documents

ENVELOPE = Envelope("HUBPORT", "CRCT", "77", datetime(2026, 12, 1, 20, 0))


@pytest.mark.parametrize("message_type", OUTBOUND_TYPES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_written_message_reads_back_to_its_document(message_type: str, data: st.DataObject) -> None:
    written = data.draw(st.lists(documents(message_type), min_size=1, max_size=3))
    numbered = [
        Document(**{**document.__dict__, "reference": f"M{index}"})
        for index, document in enumerate(written)
    ]
    text = write_interchange(ENVELOPE, numbered)
    interchange = read_interchange(text)
    assert validate(interchange) == []
    assert [decode(message) for message in interchange.messages] == numbered
    for message in interchange.messages:
        assert message.segments[-1].get(0) == str(len(message.segments))
        assert message.segments[-1].get(1) == message.reference
    assert interchange.segments[-1].elements == ((str(len(numbered)),), ("77",))
