"""The JSON depth check (service/api/bodies.py) is exact on JSON and linear on any body.

It runs before authentication on every JSON body, so one crafted body must not hold a worker:
the old regex was quadratic on ``[]`` x 33 + ``"`` + ``\\"`` x n (an hour at 1 MiB).
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.api.bodies import MAX_DEPTH, nesting_depth

pytestmark = pytest.mark.hostile
MIB = 1024 * 1024
# Strings full of what confuses a tokenizer: quotes, backslashes, brackets.
TRICKY_TEXT = st.text(alphabet=st.sampled_from('ab"\\[]{}/\n'), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TRICKY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY_TEXT, inner, max_size=3),
    max_leaves=40,
)


def reference_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((reference_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((reference_depth(v) for v in value.values()), default=0)
    return 0


def pathological(size: int) -> bytes:
    """The body that froze a worker: enough brackets to scan, then one endless string."""
    head = b"[]" * (MAX_DEPTH + 1) + b'"'
    return head + b'\\"' * ((size - len(head)) // 2)


def plain(size: int) -> bytes:
    """A body of the same size and shape whose string holds no escapes."""
    head = b"[]" * (MAX_DEPTH + 1) + b'"'
    return head + b"a" * (size - len(head))


def fastest_of(runs: int, body: bytes) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        nesting_depth(body, limit=0)
        best = min(best, time.perf_counter() - started)
    return best


@given(JSON_VALUES)
def test_the_depth_of_any_json_value_is_exact(value):
    assert nesting_depth(json.dumps(value).encode(), limit=0) == reference_depth(value)


@pytest.mark.parametrize(
    ("body", "depth"),
    [
        (b'["\\\\"]', 1),  # an escaped backslash, then the quote closes the string
        (b'["\\\\\\"]"]', 1),  # backslash, escaped quote: the string goes on past ]
        (b'["\\\\\\\\", [[]]]', 3),
        (b'{"k": "\\u005c", "v": [[]]}', 3),  # \u005c is a backslash, not an escape
        (b"[" * 40 + b'"' + b"]" * 40, 40),  # an unterminated string does not hide brackets
    ],
)
def test_escapes_are_paired_as_a_json_lexer_pairs_them(body, depth):
    assert nesting_depth(body, limit=0) == depth


@pytest.mark.timeout(60)  # a hang guard only: the quadratic scan took about an hour here
def test_a_pathological_mebibyte_costs_about_what_a_plain_one_costs():
    """Linear: the crafted body may cost a few times a plain one of its size, never 1000s."""
    bad, good = pathological(MIB), plain(MIB)
    assert len(bad) <= MIB and len(good) <= MIB
    assert nesting_depth(bad) == 1
    # Both take milliseconds; the old regex took 1.3 s at 16 KiB and grew with the square.
    # The best of several runs keeps scheduling noise out; the factor is generous.
    assert fastest_of(5, bad) < 50 * fastest_of(5, good) + 0.05


@pytest.mark.timeout(60)
def test_cost_grows_linearly_with_the_size_of_the_pathological_body():
    small, large = fastest_of(5, pathological(MIB // 16)), fastest_of(5, pathological(MIB))
    # 16 times the bytes: about 16 times the time when linear, 256 times when quadratic.
    assert large < 64 * small + 0.05
