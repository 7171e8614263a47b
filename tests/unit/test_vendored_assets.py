"""The vendored Swagger UI files are exactly the ones VENDOR.md names (issue 10, item 14)."""

from __future__ import annotations

import hashlib
import re

import pytest

from service.api.docs import ASSETS, SWAGGER_UI_DIR

pytestmark = pytest.mark.hostile
LISTED = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.MULTILINE)


def test_every_vendored_file_has_the_recorded_hash():
    listed = dict(
        (name, digest)
        for digest, name in LISTED.findall((SWAGGER_UI_DIR / "VENDOR.md").read_text())
    )
    files = {p.name for p in SWAGGER_UI_DIR.iterdir() if p.name != "VENDOR.md"}
    assert set(listed) == files
    assert files >= ASSETS
    for name, digest in listed.items():
        assert hashlib.sha256((SWAGGER_UI_DIR / name).read_bytes()).hexdigest() == digest, name


def test_the_bundle_is_swagger_ui_5():
    assert "5.35.0" in (SWAGGER_UI_DIR / "VENDOR.md").read_text()
    assert b"SwaggerUIBundle" in (SWAGGER_UI_DIR / "swagger-ui-bundle.js").read_bytes()
