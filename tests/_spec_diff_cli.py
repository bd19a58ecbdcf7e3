"""Running ``dataforce spec diff`` in-process, for the tests of its outcomes
(test_spec_diff.py) and of its bounds (test_hostile_spec_diff.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataforce.cli import main

Document = dict[str, Any]

#: The variables a command would read a service's settings from: never the developer's.
CONNECTION_VARIABLES = ("DFS_BASE_URL", "DFS_API_KEY", "DFS_ORGANIZATION", "DFS_ORBIT")


class Run:
    """One run's exit code and output, and the change lines it printed."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err
        self.changes = [
            line for line in out.splitlines() if line.startswith(("breaking ", "additive "))
        ]

    def error_line(self) -> str:
        """The one ``error:`` line of a run that failed as it should: never a traceback."""
        assert "Traceback" not in self.out + self.err, self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("error: "), self.err
        return lines[0]


def runner(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``run(*argv)``: ``dataforce spec diff *argv``, its output captured."""

    def run(*argv: str) -> Run:
        code = main(["spec", "diff", *argv])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def writer(directory: Path) -> Callable[[Document], str]:
    """``write(document)``: the document saved as a new JSON file in ``directory``; its path."""

    def write(document: Document) -> str:
        path = directory / f"document-{len(list(directory.iterdir()))}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return str(path)

    return write
