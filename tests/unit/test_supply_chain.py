"""What is installed is pinned by hash, from a base image pinned by digest (issue 10, item 14)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.hostile
ROOT = Path(__file__).resolve().parents[2]
LOCKS = (ROOT / "requirements" / "runtime.lock", ROOT / "requirements" / "test.lock")


def _check_lock_module():
    spec = importlib.util.spec_from_file_location("check_lock", ROOT / ".ci" / "check_lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_setup_cfg_and_the_locks_agree():
    assert _check_lock_module().problems() == []


def test_an_unlocked_requirement_is_named(monkeypatch):
    check = _check_lock_module()
    runtime, test = check.declared()
    extra = check.Requirement("not-a-locked-package==1.0")
    monkeypatch.setattr(check, "declared", lambda: (runtime, [*test, extra]))
    assert check.problems() == [
        "requirements/test.lock does not pin not-a-locked-package"
        " (setup.cfg asks for not-a-locked-package==1.0)"
    ]


def test_a_requirement_locked_at_another_version_is_named(monkeypatch):
    check = _check_lock_module()
    runtime, test = check.declared()
    other = check.Requirement("playwright==1.50.0")
    monkeypatch.setattr(check, "declared", lambda: (runtime, [*test, other]))
    assert [p for p in check.problems() if "playwright" in p] == [
        "requirements/test.lock pins playwright==1.65.2, setup.cfg asks for playwright==1.50.0"
    ]


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_every_locked_package_has_a_hash_and_no_index_is_recorded(lock):
    text = lock.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    pinned = [e for e in entries if re.match(r"^[A-Za-z0-9][\w.-]*==", e)]
    assert len(pinned) > 20
    assert all("--hash=sha256:" in e for e in pinned), [e for e in pinned if "--hash" not in e]
    assert "--index-url" not in text and "--extra-index-url" not in text
    assert "file://" not in text


def test_install_and_image_use_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in makefile
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(
        r"^ARG PYTHON_IMAGE=python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}$",
        dockerfile,
        re.MULTILINE,
    )
    assert "FROM ${PYTHON_IMAGE}" in dockerfile
    assert "pip install --require-hashes -r requirements/runtime.lock" in dockerfile
    assert "pip install --no-deps --no-build-isolation -e ." in dockerfile
    assert "make check-lock" in (ROOT / ".ci" / "run").read_text()
