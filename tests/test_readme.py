"""The README as PyPI shows it: what the package is and ``pip install`` first, and a
quickstart that runs as written against the local server and passes ``mypy --strict``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from dataforce.testing import LocalDataForce

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def section(heading: str) -> str:
    """The text under ``## heading``, up to the next heading of that level."""
    _, found, rest = README.partition(f"\n## {heading}\n")
    assert found, f"the README has no '## {heading}' section"
    return rest.split("\n## ", 1)[0]


def quickstart_blocks() -> list[str]:
    blocks = CODE_BLOCK.findall(section("Quickstart"))
    assert len(blocks) >= 2, "the quickstart shows the sync and the async client"
    return blocks


def test_readme_opens_with_what_it_is_and_how_to_install_it() -> None:
    title, _, rest = README.partition("\n\n")
    assert title.startswith("# DataForce Python SDK")
    first_paragraph = rest.split("\n\n", 1)[0]
    assert "Python client for the [DataForce]" in first_paragraph
    # The distribution's own name: `pip install dataforce` gets another project.
    install = README.index("pip install dataforce-sdk\n")
    assert not re.search(r"pip install '?dataforce(\[|\s|'|$)", README, re.M)
    assert install < README.index("## Quickstart")
    assert install < README.index("make ")  # the developer's commands come later
    developing = section("Developing")
    assert "make demo" in developing
    assert "make test" in developing


def test_quickstart_runs_as_written_against_the_local_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFS_")}
    with LocalDataForce() as server:
        env.update(DFS_BASE_URL=server.base_url, DFS_API_KEY=server.api_key)
        before = server.orbits(server.organization_id)
        for number, block in enumerate(quickstart_blocks(), 1):
            script = tmp_path / f"quickstart_{number}.py"
            script.write_text(block, encoding="utf-8")
            proc = subprocess.run(
                [sys.executable, str(script)],
                env=env,
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 0, f"block {number}:\n{block}\n{proc.stdout}{proc.stderr}"
            assert server.api_key not in proc.stdout + proc.stderr
        after = server.orbits(server.organization_id)
        methods = [request.method for request in server.requests]
    # Every call was made, and the service was left as the examples found it.
    assert {"GET", "POST", "PATCH", "DELETE"} <= set(methods)
    assert methods.count("PATCH") == 2
    assert [(o["id"], o["name"], o["bucket_secret_id"]) for o in after] == [
        (o["id"], o["name"], o["bucket_secret_id"]) for o in before
    ]


def test_quickstart_passes_mypy_strict(tmp_path: Path) -> None:
    scripts = []
    for number, block in enumerate(quickstart_blocks(), 1):
        script = tmp_path / f"quickstart_{number}.py"
        script.write_text(block, encoding="utf-8")
        scripts.append(str(script))
    # The project's configuration finds the sources (and leaves generated code alone).
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", "pyproject.toml", *scripts],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"no issues found in {len(scripts)} source files" in proc.stdout


def test_the_models_paragraph_documents_exactly_the_contracts_attributes() -> None:
    """Every attribute the README documents is one the drift test keeps in the spec
    (``_contract.DOCUMENTED_ATTRIBUTES``), and the other way round: removing one from
    openapi.yaml fails drift, naming the list to change."""
    from dataforce.api._contract import DOCUMENTED_ATTRIBUTES

    text = " ".join(README.split())
    models = text[text.index("The models are generated from `openapi.yaml`") :]
    models = models[: models.index("Models are immutable")]
    details = models[models.index("also has") : models.index("`get` by ID")]
    attributes = models[models.index("Attributes:") :].replace("`datetime`", "")
    documented = set(re.findall(r"`([a-z_]+)`", details + attributes))
    listed = set(DOCUMENTED_ATTRIBUTES["Orbit"]) | set(DOCUMENTED_ATTRIBUTES["OrbitDetails"])
    assert documented == listed
    secrets = text[text.index("`orbits.secrets()` gives") : text.index("A secret's `value`")]
    assert set(re.findall(r"`([a-z_]+)`", secrets)) == set(DOCUMENTED_ATTRIBUTES["OrbitSecretOut"])
