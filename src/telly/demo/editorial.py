"""Demo editorial: filled in by the editorial capability."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def build(shared: Path) -> dict[str, Any]:
    return {}


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    return {}
