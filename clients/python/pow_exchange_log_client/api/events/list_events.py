from http import HTTPStatus
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.event_page import EventPage
from ...models.event_type import EventType
from ...models.list_events_format import ListEventsFormat
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: int | Unset = 0,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    format_: ListEventsFormat | Unset = UNSET,
    stream: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item = type_item_data.value
            json_type_.append(type_item)

    params["type"] = json_type_

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["stream"] = stream

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventPage | Problem:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    format_: ListEventsFormat | Unset = UNSET,
    stream: str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """Read the log in position order, page by page.

    Args:
        after (int | Unset):  Default: 0.
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        format_ (ListEventsFormat | Unset):
        stream (str | Unset):  Example: swap/2026-02-05.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        format_=format_,
        stream=stream,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    format_: ListEventsFormat | Unset = UNSET,
    stream: str | Unset = UNSET,
) -> EventPage | Problem | None:
    """Read the log in position order, page by page.

    Args:
        after (int | Unset):  Default: 0.
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        format_ (ListEventsFormat | Unset):
        stream (str | Unset):  Example: swap/2026-02-05.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        type_=type_,
        format_=format_,
        stream=stream,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    format_: ListEventsFormat | Unset = UNSET,
    stream: str | Unset = UNSET,
) -> Response[EventPage | Problem]:
    """Read the log in position order, page by page.

    Args:
        after (int | Unset):  Default: 0.
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        format_ (ListEventsFormat | Unset):
        stream (str | Unset):  Example: swap/2026-02-05.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        type_=type_,
        format_=format_,
        stream=stream,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: int | Unset = 0,
    limit: int | Unset = UNSET,
    type_: list[EventType] | Unset = UNSET,
    format_: ListEventsFormat | Unset = UNSET,
    stream: str | Unset = UNSET,
) -> EventPage | Problem | None:
    """Read the log in position order, page by page.

    Args:
        after (int | Unset):  Default: 0.
        limit (int | Unset):
        type_ (list[EventType] | Unset):
        format_ (ListEventsFormat | Unset):
        stream (str | Unset):  Example: swap/2026-02-05.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            type_=type_,
            format_=format_,
            stream=stream,
        )
    ).parsed
