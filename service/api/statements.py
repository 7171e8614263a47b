"""On-record statements."""

from __future__ import annotations

from ..domain import events as ev
from ..schemas.statements import StatementWrite
from .blueprint import Blueprint
from .write_views import created, write_operation

blp = Blueprint("statements", __name__, url_prefix="/v1/statements", description="Statements")


@blp.route("", methods=["POST"])
@write_operation(blp, "createStatement", StatementWrite, ev.STATEMENT_MADE)
def create_statement(body):
    """Record an on-record statement about exchanges."""
    return created(body)
