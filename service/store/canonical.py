"""``domain.hashing``'s canonical JSON, produced by orjson: the same bytes for ~1/8 the CPU.

The whole-log tools (export, import, verify) encode every envelope once or twice; the
standard encoder with ``sort_keys`` is most of their time. orjson with OPT_SORT_KEYS writes
the same text for everything a stored envelope holds (keys in code-point order, the same
string escapes, UTF-8) except two things, which go through the standard encoder instead:
floats below 1e-4 (``1e-05`` is written ``0.00001``, ``1e-06`` as ``1e-6``: found by the
pattern below, which may also match inside a string, costing only the slower path) and
integers beyond 64 bits (orjson refuses them). ``tests/unit/test_canonical.py`` compares
the two encoders over hostile values.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import orjson

from ..domain.hashing import HASHED_FIELDS, canonical_json

# A digit, "e-" and one digit (the standard encoder writes two), or "0.0000" (positional
# notation the standard encoder writes as an exponent).
_MAY_DIFFER = re.compile(rb"\de-\d(?!\d)|\d\.0000")
loads = orjson.loads


def canonical_bytes(value: Any) -> bytes:
    """Exactly ``canonical_json(value)``."""
    try:
        out = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError: an integer beyond 64 bits, NaN
        return canonical_json(value)
    # The substring tests (memchr-fast) rule out most envelopes before the regex runs.
    if (b"e-" in out or b".0000" in out) and _MAY_DIFFER.search(out) is not None:
        return canonical_json(value)
    return out


def envelope_hash(envelope: Mapping[str, Any]) -> str:
    """Exactly ``domain.hashing.envelope_hash(envelope)``."""
    return hashlib.sha256(canonical_bytes({k: envelope[k] for k in HASHED_FIELDS})).hexdigest()
