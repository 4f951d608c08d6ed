"""Reading and writing the committed demo files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def path_of(part: str) -> Path:
    return DATA_DIR / f"{part}.json.gz"


def write(part: str, data: dict[str, Any]) -> Path:
    DATA_DIR.mkdir(exist_ok=True)
    target = path_of(part)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    # mtime=0 keeps the file byte-identical when the facts did not change.
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        out.write(raw)
    return target


def read(part: str) -> dict[str, Any] | None:
    target = path_of(part)
    if not target.exists():
        return None
    with gzip.open(target, "rb") as handle:
        return json.loads(handle.read())
