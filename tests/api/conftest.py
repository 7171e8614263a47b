"""HTTP tests: show the compared values when a shared assertion helper fails."""

import pytest

pytest.register_assert_rewrite("tests.api.expect")
