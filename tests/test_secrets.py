"""The API key appears in no repr, str, exception message, traceback or log record."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import traceback
from collections.abc import Callable
from typing import Any

import pytest
from werkzeug import Request, Response

from dataforce.api import AsyncDataForceClient, DataForceAPIError, DataForceClient

from .conftest import ORBIT_ID, ORBIT_PATH, ORBITS_PATH, ORG_ID, SECRET_ID, FakeService

KEY = "dfs_TOPSECRETtopsecretTOPSECRETtopsecret1234567"
FRAGMENT = "TOPSECRET"


def _texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts += [repr(value) for value in vars(error).values()]
    for linked in (error.__cause__, error.__context__):
        if linked is not None:
            texts += _texts_of(linked)
    return texts


def _stall(request: Request) -> Response:
    time.sleep(0.4)
    return Response("[]", content_type="application/json")


@pytest.mark.usefixtures("restore_dataforce_logger")
def test_key_never_leaks(
    service: FakeService, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DFS_LOG", "debug")
    caplog.set_level(logging.DEBUG)  # the root logger: httpx and httpcore records too
    texts: list[str] = []
    errors = 0

    def attempt(action: Callable[[], Any]) -> None:
        nonlocal errors
        try:
            result = action()
        except DataForceAPIError as error:
            errors += 1
            texts.extend(_texts_of(error))
        else:
            texts.append(repr(result))
            texts.append(str(result))

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"

    dfs = DataForceClient(
        base_url=service.url, api_key=KEY, organization=ORG_ID, orbit=ORBIT_ID, max_retries=1
    )
    texts += [repr(dfs), str(dfs), repr(dfs.orbits), repr(dfs._options), repr(dfs.__dict__)]
    texts += [repr(dfs.with_options(timeout=1.0)), repr(dfs._http), repr(dfs._http.headers)]

    # Every method, successful.
    service.once(ORBITS_PATH, "POST").respond_with_json(
        {
            "id": ORBIT_ID,
            "name": "n",
            "organization_id": ORG_ID,
            "bucket_secret_id": SECRET_ID,
            "created_at": "2025-05-21T19:35:17Z",
        }
    )
    service.once(ORBIT_PATH, "PATCH").respond_with_json(
        {
            "id": ORBIT_ID,
            "name": "n",
            "organization_id": ORG_ID,
            "bucket_secret_id": SECRET_ID,
            "created_at": "2025-05-21T19:35:17Z",
        }
    )
    service.once(f"{ORBITS_PATH}/{SECRET_ID}", "DELETE").respond_with_data(status=204)
    for action in (
        dfs.orbits.list,
        lambda: dfs.orbits.get("Default Orbit"),
        lambda: dfs.orbits.get(ORBIT_ID),
        lambda: dfs.orbits.create("n", SECRET_ID),
        lambda: dfs.orbits.update(name="n"),
        lambda: dfs.orbits.delete(SECRET_ID),
    ):
        attempt(action)

    # Every error path: statuses, broken bodies, bad input, refusals.
    for status, body in [
        (401, {"detail": "Not authenticated"}),
        (403, {"detail": "no"}),
        (404, {"detail": "Orbit not found"}),
        (409, {"detail": "max"}),
        (422, {"detail": [{"loc": ["body"], "msg": "bad", "type": "x"}]}),
        (429, {"detail": "slow"}),
        (500, "Internal Server Error"),
    ]:
        handler = service.once(ORBITS_PATH)
        if isinstance(body, dict):
            handler.respond_with_json(body, status=status)
        else:
            handler.respond_with_data(body, status=status)
        attempt(dfs.with_options(max_retries=0).orbits.list)
    service.once(ORBITS_PATH).respond_with_data('[{"id": ', content_type="application/json")
    attempt(dfs.orbits.list)
    service.once(ORBITS_PATH).respond_with_json([{"name": 1}])
    attempt(lambda: repr(dfs.orbits.list()))
    attempt(lambda: dfs.orbits.delete(ORBIT_ID))
    attempt(lambda: dfs.orbits.delete("../x"))
    attempt(lambda: dfs.orbits.create("", SECRET_ID))
    attempt(lambda: dfs.orbits.get(5))  # type: ignore[arg-type]

    # Timeouts and connection failures: httpx's request objects carry the headers.
    service.once(ORBITS_PATH).respond_with_handler(_stall)
    attempt(dfs.with_options(timeout=0.1, max_retries=0).orbits.list)
    time.sleep(0.5)
    attempt(lambda: DataForceClient(base_url=closed, api_key=KEY, max_retries=0))
    attempt(lambda: DataForceClient(base_url=service.url, api_key=KEY, organization="Nope"))
    attempt(lambda: DataForceClient(base_url=service.url, api_key=KEY + "\r\nX: y"))
    attempt(lambda: DataForceClient(base_url=service.url, api_key=KEY + "é"))
    dfs.close()

    async def async_paths() -> None:
        adfs = AsyncDataForceClient(base_url=service.url, api_key=KEY, max_retries=0)
        texts.extend([repr(adfs), repr(adfs.orbits)])
        adfs.setup_config(organization=ORG_ID, orbit=ORBIT_ID)
        texts.append(repr(await adfs.orbits.list()))
        service.once(ORBITS_PATH).respond_with_json({"detail": "no"}, status=403)
        try:
            await adfs.orbits.list()
        except DataForceAPIError as error:
            texts.extend(_texts_of(error))
        await adfs.close()
        unreachable = AsyncDataForceClient(base_url=closed, api_key=KEY, max_retries=0)
        try:
            await unreachable.orbits.list()
        except DataForceAPIError as error:
            texts.extend(_texts_of(error))
        await unreachable.close()

    asyncio.run(async_paths())

    assert errors == 18
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.__dict__) for record in caplog.records]
    texts.append(caplog.text)
    assert len(caplog.records) > 20  # the logs really were on
    leaks = [text for text in texts if FRAGMENT in text]
    assert leaks == []
