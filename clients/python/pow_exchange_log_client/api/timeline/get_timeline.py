import datetime
from http import HTTPStatus
from typing import Any, cast

import httpx

from ...client import AuthenticatedClient, Client
from ...models.fact_type import FactType
from ...models.get_timeline_format import GetTimelineFormat
from ...models.party import Party
from ...models.problem import Problem
from ...models.timeline_page import TimelinePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    as_of: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    type_: list[FactType] | Unset = UNSET,
    party: list[Party] | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    format_: GetTimelineFormat | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["as_of"] = as_of

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item = type_item_data.value
            json_type_.append(type_item)

    params["type"] = json_type_

    json_party: list[str] | Unset = UNSET
    if not isinstance(party, Unset):
        json_party = []
        for party_item_data in party:
            party_item = party_item_data.value
            json_party.append(party_item)

    params["party"] = json_party

    params["after"] = after

    params["limit"] = limit

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/timeline",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | TimelinePage:
    if response.status_code == 200:
        response_200 = TimelinePage.from_dict(response.json())

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
) -> Response[Any | Problem | TimelinePage]:
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
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    type_: list[FactType] | Unset = UNSET,
    party: list[Party] | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    format_: GetTimelineFormat | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | TimelinePage]:
    """Every non-retracted fact in occurred_on order, with a one-line headline.

    Args:
        as_of (str | Unset):  Example: 100.
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        type_ (list[FactType] | Unset):
        party (list[Party] | Unset):
        after (str | Unset):
        limit (int | Unset):
        format_ (GetTimelineFormat | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TimelinePage]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        from_=from_,
        to=to,
        type_=type_,
        party=party,
        after=after,
        limit=limit,
        format_=format_,
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
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    type_: list[FactType] | Unset = UNSET,
    party: list[Party] | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    format_: GetTimelineFormat | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | TimelinePage | None:
    """Every non-retracted fact in occurred_on order, with a one-line headline.

    Args:
        as_of (str | Unset):  Example: 100.
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        type_ (list[FactType] | Unset):
        party (list[Party] | Unset):
        after (str | Unset):
        limit (int | Unset):
        format_ (GetTimelineFormat | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TimelinePage
    """

    return sync_detailed(
        client=client,
        as_of=as_of,
        from_=from_,
        to=to,
        type_=type_,
        party=party,
        after=after,
        limit=limit,
        format_=format_,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    type_: list[FactType] | Unset = UNSET,
    party: list[Party] | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    format_: GetTimelineFormat | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Response[Any | Problem | TimelinePage]:
    """Every non-retracted fact in occurred_on order, with a one-line headline.

    Args:
        as_of (str | Unset):  Example: 100.
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        type_ (list[FactType] | Unset):
        party (list[Party] | Unset):
        after (str | Unset):
        limit (int | Unset):
        format_ (GetTimelineFormat | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TimelinePage]
    """

    kwargs = _get_kwargs(
        as_of=as_of,
        from_=from_,
        to=to,
        type_=type_,
        party=party,
        after=after,
        limit=limit,
        format_=format_,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    as_of: str | Unset = UNSET,
    from_: datetime.date | Unset = UNSET,
    to: datetime.date | Unset = UNSET,
    type_: list[FactType] | Unset = UNSET,
    party: list[Party] | Unset = UNSET,
    after: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    format_: GetTimelineFormat | Unset = UNSET,
    if_none_match: str | Unset = UNSET,
) -> Any | Problem | TimelinePage | None:
    """Every non-retracted fact in occurred_on order, with a one-line headline.

    Args:
        as_of (str | Unset):  Example: 100.
        from_ (datetime.date | Unset):
        to (datetime.date | Unset):
        type_ (list[FactType] | Unset):
        party (list[Party] | Unset):
        after (str | Unset):
        limit (int | Unset):
        format_ (GetTimelineFormat | Unset):
        if_none_match (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TimelinePage
    """

    return (
        await asyncio_detailed(
            client=client,
            as_of=as_of,
            from_=from_,
            to=to,
            type_=type_,
            party=party,
            after=after,
            limit=limit,
            format_=format_,
            if_none_match=if_none_match,
        )
    ).parsed
