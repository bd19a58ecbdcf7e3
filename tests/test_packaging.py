"""What ships: the distribution's metadata and licence, ``python -m dataforce``, and a
generated client whose repr keeps the token to itself.

The metadata is read from the installed distribution (the editable install ``make
install`` builds with the same backend as the wheel), i.e. what PyPI would show.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import dataforce_openapi
from dataforce_openapi.api.organizations import list_my_organizations
from pytest_httpserver import HTTPServer

from dataforce import DISTRIBUTION, __version__
from dataforce.testing import LocalDataForce
from tests._paths import path

ROOT = Path(__file__).resolve().parent.parent
VERSION = r"Programming Language :: Python :: 3\.\d+"
TOKEN = "dfs_secret" + "s" * 37


def test_distribution_has_its_own_name_and_the_packages_version() -> None:
    # `dataforce` on PyPI is another project's placeholder: ours installs as
    # dataforce-sdk, imports as dataforce, and says so wherever a user reads a name.
    assert DISTRIBUTION == "dataforce-sdk"
    meta = metadata.metadata(DISTRIBUTION)
    assert meta["Name"] == DISTRIBUTION
    assert meta["Version"] == __version__
    assert DISTRIBUTION in metadata.packages_distributions()["dataforce"]
    # The dev extra pulls in the local one by this name (a self-reference by another
    # name would install the placeholder).
    requires = metadata.requires(DISTRIBUTION) or []
    assert any(r.startswith(f"{DISTRIBUTION}[local]") for r in requires), requires
    assert not any(r.startswith("dataforce[") for r in requires), requires


def test_metadata_has_licence_urls_and_classifiers() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]
    licence = [f for f in metadata.distribution(DISTRIBUTION).files or [] if f.name == "LICENSE"]
    assert len(licence) == 1, "LICENSE is not in the distribution (reinstall: make install)"
    text = licence[0].read_text(encoding="utf-8")
    assert "Apache License" in text
    assert "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text

    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert urls.get("Homepage", "").startswith("https://")
    classifiers = set(meta.get_all("Classifier") or [])
    assert {"Typing :: Typed", "Intended Audience :: Developers"} <= classifiers
    # Exactly the versions `make test` runs the whole suite on.
    versions = {c.rpartition(" :: ")[2] for c in classifiers if re.fullmatch(VERSION, c)}
    tested = re.search(r"^PYTHON_VERSIONS \?= (.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert tested, "the Makefile names the versions `make test` runs"
    assert versions == set(tested[1].split())
    assert f"{sys.version_info.major}.{sys.version_info.minor}" in versions
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["Description-Content-Type"] == "text/markdown"


def _python_m_dataforce(*args: str, **env_values: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    env.update(env_values)
    return subprocess.run(
        [sys.executable, "-m", "dataforce", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_python_m_dataforce_runs_the_command_line() -> None:
    with LocalDataForce() as server:
        listed = _python_m_dataforce(
            "orbits", "list", "--json", DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key
        )
    assert listed.returncode == 0, listed.stderr
    assert [orbit["id"] for orbit in json.loads(listed.stdout)] == [server.orbit_id]
    assert server.api_key not in listed.stdout + listed.stderr

    usage = _python_m_dataforce("orbits")  # no action: the command's help, status 2
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage: dataforce orbits")

    version = _python_m_dataforce("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"dataforce-sdk {metadata.version('dataforce-sdk')}"


def test_generated_clients_repr_never_shows_the_token(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        path("list_my_organizations"), headers={"Authorization": f"Bearer {TOKEN}"}
    ).respond_with_json([])
    client = dataforce_openapi.AuthenticatedClient(
        base_url=httpserver.url_for(""),
        token=TOKEN,
        headers={"X-Trace": "trace-value"},
        cookies={"session": "cookie-value"},
    )
    texts = [repr(client), str(client)]
    # Building the httpx clients copies the token into the headers: still not shown.
    with client:
        assert list_my_organizations.sync_detailed(client=client).status_code == 200
        texts += [repr(client), str(client)]

    async def use_async_client() -> None:
        async with client:
            response = await list_my_organizations.asyncio_detailed(client=client)
            assert response.status_code == 200
        texts.append(repr(client))

    asyncio.run(use_async_client())
    for text in texts:
        assert TOKEN not in text
        assert "dfs_" not in text
        assert "trace-value" not in text
        assert "cookie-value" not in text
    # Still a useful repr: where it points, which headers and cookies are set.
    assert f"_base_url={httpserver.url_for('')!r}" in texts[-1]
    assert "'Authorization': '<redacted>'" in texts[-1]
    assert "'X-Trace': '<redacted>'" in texts[-1]
    assert "'session': '<redacted>'" in texts[-1]
    assert "prefix='Bearer'" in texts[-1]
    httpserver.check_assertions()


def test_plain_generated_client_repr_stays_useful() -> None:
    client = dataforce_openapi.Client(
        base_url="https://api.dataforce.studio", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    text = repr(client)
    assert TOKEN not in text
    assert text.startswith("Client(")
    assert "_base_url='https://api.dataforce.studio'" in text
    assert "_timeout=None" in text
    assert "_verify_ssl=True" in text
