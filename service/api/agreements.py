"""Agreements and alleged breaches."""

from __future__ import annotations

from ..domain import events as ev
from ..schemas.agreements import AgreementWrite, BreachWrite
from .blueprint import Blueprint
from .path_params import slug_path
from .write_views import created, write_operation

blp = Blueprint("agreements", __name__, url_prefix="/v1/agreements", description="Agreements")
ID = slug_path("agreement_id", "The agreement's id: one that exists, not retracted (422 otherwise)")


@blp.route("", methods=["POST"])
@write_operation(blp, "createAgreement", AgreementWrite, ev.AGREEMENT_REACHED)
def create_agreement(body):
    """Record an agreement on exchanges."""
    return created(body)


@blp.route("/<string:agreement_id>/breaches", methods=["POST"], parameters=ID)
@write_operation(blp, "reportBreach", BreachWrite, ev.AGREEMENT_BREACHED, child=True)
def report_breach(body, agreement_id):
    """Record one side's claim that the other breached an agreement."""
    return created(body, agreement_id)
