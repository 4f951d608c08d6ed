"""`make bench`: run every benchmark module in this folder (bench_*.py), each of which writes
``bench/results/<name>.json``. ``python -m bench.run search import`` runs only those."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))
    wanted = argv or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}",
            file=sys.stderr,
        )
        return 2
    for name in wanted:
        started = time.monotonic()
        print(f"== bench {name}", flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        module.main()
        print(f"== bench {name} done in {time.monotonic() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
