"""A restore remembers the sources it found sound (``schemas.stored``): a repeat skips the
load, but a source that differs in any field, or holds anything but text, is loaded again."""

from __future__ import annotations

from typing import Any

import pytest

from service.schemas import stored
from service.schemas.fields import URL_MESSAGE

SOUND = {"url": "https://www.reuters.com/world/swap/", "publisher": "Reuters", "title": "Swap"}


def envelope(*sources: Any) -> dict[str, Any]:
    return {
        "type": "statement.made",
        "schema_version": 1,
        "date_precision": "day",
        "sources": list(sources),
        "data": {"speaker": "Zelensky", "party": "UA", "summary": "Talks go on"},
    }


@pytest.fixture(autouse=True)
def forget_sound_sources():
    stored._SOUND_SOURCES.clear()
    yield
    stored._SOUND_SOURCES.clear()


def problem(*sources: Any) -> str | None:
    return stored.envelope_problem(envelope(*sources), lambda _id: None)


def test_a_sound_source_is_remembered_and_passes_again():
    assert problem(SOUND) is None
    assert tuple(sorted(SOUND.items())) in stored._SOUND_SOURCES
    assert problem(dict(SOUND)) is None


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"url": "javascript:alert(1)"}, f"sources.0.url: {URL_MESSAGE}"),
        ({"title": "Swap\x0b"}, "sources.0.title: Must not contain control characters"),
        ({"extra": "field"}, "sources.0.extra: Unknown field."),
        ({"title": ["Swap"]}, "sources.0.title: Not a valid string."),
    ],
)
def test_a_source_differing_from_a_sound_one_is_still_checked(changed, message):
    assert problem(SOUND) is None
    found = problem({**SOUND, **changed})
    assert found is not None and found.startswith(message)


def test_only_flat_text_sources_are_remembered():
    assert problem({**SOUND, "title": ["Swap"]}) is not None
    assert set() == stored._SOUND_SOURCES


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(stored, "SOUND_SOURCES_KEPT", 2)
    for n in range(5):
        assert problem({**SOUND, "url": f"https://example.org/{n}"}) is None
    assert 1 <= len(stored._SOUND_SOURCES) <= 2
