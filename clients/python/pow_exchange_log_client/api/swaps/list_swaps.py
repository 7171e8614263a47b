from http import HTTPStatus
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.swap_page import SwapPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: str | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["as_of"] = as_of

    params["after"] = after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/swaps",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | SwapPage:
    if response.status_code == 200:
        response_200 = SwapPage.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    response_default = Problem.from_dict(response.json())

    return response_default


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Problem | SwapPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | SwapPage]:
    """List swaps (current state and history), oldest first.

    Args:
        as_of (str | Unset):  Example: 100.
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | SwapPage]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        after=after,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | SwapPage | None:
    """List swaps (current state and history), oldest first.

    Args:
        as_of (str | Unset):  Example: 100.
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | SwapPage
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        after=after,
        limit=limit,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | SwapPage]:
    """List swaps (current state and history), oldest first.

    Args:
        as_of (str | Unset):  Example: 100.
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | SwapPage]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        after=after,
        limit=limit,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    after: int | Unset = 0,
    limit: int | Unset = 100,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | SwapPage | None:
    """List swaps (current state and history), oldest first.

    Args:
        as_of (str | Unset):  Example: 100.
        after (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 100.
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | SwapPage
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            after=after,
            limit=limit,
            if_none_match=if_none_match,
        )
    ).parsed
