"""Completed swaps."""

from __future__ import annotations

from ..domain import events as ev
from ..schemas.swaps import SwapWrite
from .blueprint import Blueprint
from .write_views import created, write_operation

blp = Blueprint("swaps", __name__, url_prefix="/v1/swaps", description="Completed swaps")


@blp.route("", methods=["POST"])
@write_operation(blp, "createSwap", SwapWrite, ev.SWAP_COMPLETED)
def create_swap(body):
    """Record a completed swap with its figures."""
    return created(body)
