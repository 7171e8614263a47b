"""/docs: an interactive API reference (Swagger UI) served from local files, no CDN.

The assets are vendored from the npm package swagger-ui-dist (``swagger_ui/``: version,
integrity and file hashes in its VENDOR.md); the page and its initializer are ours, so the
Content-Security-Policy can forbid inline scripts and every other origin.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, redirect, send_from_directory

blp = Blueprint("docs", __name__)
SWAGGER_UI_DIR = Path(__file__).resolve().parent / "swagger_ui"

ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"})
PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>POW Exchange Log API</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css">
    <link rel="stylesheet" href="/docs/page.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
"""
# validatorUrl null: Swagger UI would otherwise send the document to an online validator.
INIT_JS = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
"""
PAGE_CSS = "body { margin: 0; background: #fafafa; }\n"


@blp.get("/docs")
def docs_redirect() -> Response:
    return redirect("/docs/", code=308)


@blp.get("/docs/")
def docs_page() -> Response:
    """The Swagger UI page, pointed at /openapi.yaml."""
    return Response(PAGE, mimetype="text/html")


@blp.get("/docs/init.js")
def docs_init() -> Response:
    return Response(INIT_JS, mimetype="text/javascript")


@blp.get("/docs/page.css")
def docs_css() -> Response:
    return Response(PAGE_CSS, mimetype="text/css")


@blp.get("/docs/<name>")
def docs_asset(name: str) -> Response:
    """One of the vendored Swagger UI files, cached for a day."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI_DIR, name, max_age=86400)
