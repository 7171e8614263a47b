"""Named, immutable releases: cite a figure as of `release:<name>` and reproduce it later."""

from __future__ import annotations

from flask import g

from ..schemas.projection_queries import ReleaseCreate
from ..schemas.projection_views import Release, ReleaseList
from ..store import releases as store
from .auth import BEARER_SECURITY, requires
from .blueprint import Blueprint
from .context import log_engine, public_url
from .path_params import slug_path

blp = Blueprint("releases", __name__, url_prefix="/v1/releases", description="Releases")


@blp.route("", methods=["POST"])
@requires("admin")
@blp.arguments(ReleaseCreate)
@blp.response(
    201,
    Release,
    headers={"Location": {"description": "URL of the release", "schema": {"type": "string"}}},
)
@blp.alt_response(401, response="UNAUTHORIZED", description="Missing or invalid bearer token")
@blp.alt_response(403, response="FORBIDDEN", description="Token lacks scope admin")
@blp.alt_response(
    409, response="CONFLICT", description="The name is taken (releases are immutable)"
)
@blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE", description="Body is not JSON")
@blp.doc(operationId="createRelease", security=BEARER_SECURITY)
def create_release(body):
    """Cut a release at the current head (position and hash); scope admin."""
    release = store.create_release(
        log_engine(), body["name"], body.get("description"), g.token.name
    )
    location = public_url(f"{blp.url_prefix}/{release['name']}")
    return release, 201, {"Location": location}


@blp.route("", methods=["GET"])
@blp.response(200, ReleaseList)
@blp.doc(operationId="listReleases")
def list_releases():
    """Every release, oldest first."""
    with log_engine().connect() as conn:
        return {"releases": store.list_releases(conn)}


@blp.route("/<string:name>", methods=["GET"], parameters=slug_path("name", "The release's name"))
@blp.response(200, Release)
@blp.alt_response(404, response="NOT_FOUND", description="No such release")
@blp.doc(operationId="getRelease")
def get_release(name):
    """One release: the position and hash it pins."""
    with log_engine().connect() as conn:
        return store.get_release(conn, name)
