"""The one error every importer raises for bad input: ``BadInput(path, line, problem)``.

Its text is ``file:line: problem`` (``file: problem`` when no line applies), the ``telly import``
command prints it and exits with status 2, and because each file is imported in one
transaction, nothing of that file is committed.
"""

from __future__ import annotations

from pathlib import Path


class BadInput(Exception):
    """A file, row or response that cannot be imported, located as precisely as we can."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.problem}"
        return f"{self.path}:{self.line}: {self.problem}"
