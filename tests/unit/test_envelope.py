"""A write answers its envelope without a marshmallow dump: the same JSON as the schema's."""

from __future__ import annotations

import json
from datetime import date

from service.domain.events import RecordedEvent
from service.domain.hashing import envelope_hash
from service.schemas.common import EnvelopeSchema
from service.store.event_reads import event_envelope, stored_envelope


def test_event_envelope_is_the_envelope_schema_dump_and_hashes_the_same():
    event = RecordedEvent(
        id="0b5e5a52-4c55-4ad3-9d3c-7f2f0c1a9e11",
        position=7,
        stream="swap/2026-02-05",
        stream_version=1,
        type="swap.completed",
        schema_version=1,
        occurred_on=date(2026, 2, 5),
        date_precision="day",
        recorded_at="2026-02-05T14:03:11.123456Z",
        recorded_by="newsroom",
        data={"sides": [{"party": "UA", "received": 157, "civilians": 7}], "mediators": ["AE"]},
        sources=(
            {
                "url": "https://example.org/a",
                "publisher": "Reuters «World»",
                "published_on": "2026-02-05",
                "quote": 'said "157"',
            },
        ),
        prev_hash="0" * 64,
        hash="",
    )
    envelope = event_envelope(event)
    assert envelope == EnvelopeSchema().dump(event)
    assert json.loads(json.dumps(envelope)) == envelope  # JSON types only
    assert envelope_hash(envelope) == envelope_hash(stored_envelope(envelope))
