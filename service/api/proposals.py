"""Proposals: made, refused, accepted."""

from __future__ import annotations

from ..domain import events as ev
from ..schemas.proposals import AcceptanceWrite, ProposalWrite, RefusalWrite
from .blueprint import Blueprint
from .path_params import slug_path
from .write_views import created, write_operation

blp = Blueprint("proposals", __name__, url_prefix="/v1/proposals", description="Proposals")
ID = slug_path("proposal_id", "The proposal's id: one that exists, not retracted (422 otherwise)")


@blp.route("", methods=["POST"])
@write_operation(blp, "createProposal", ProposalWrite, ev.PROPOSAL_MADE)
def create_proposal(body):
    """Record a proposal for an exchange."""
    return created(body)


@blp.route("/<string:proposal_id>/refusals", methods=["POST"], parameters=ID)
@write_operation(blp, "refuseProposal", RefusalWrite, ev.PROPOSAL_REFUSED, child=True)
def refuse_proposal(body, proposal_id):
    """Record that a party refused a proposal."""
    return created(body, proposal_id)


@blp.route("/<string:proposal_id>/acceptances", methods=["POST"], parameters=ID)
@write_operation(blp, "acceptProposal", AcceptanceWrite, ev.PROPOSAL_ACCEPTED, child=True)
def accept_proposal(body, proposal_id):
    """Record that a party accepted a proposal."""
    return created(body, proposal_id)
