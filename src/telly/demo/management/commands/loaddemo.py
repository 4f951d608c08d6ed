from __future__ import annotations

import importlib
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from telly.demo import PARTS, store
from telly.search import live as search_live


class Command(BaseCommand):
    help = "Load the bundled demo guide (idempotent: a second run changes nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--parts", default=",".join(PARTS), help="Comma-separated parts to load."
        )

    def handle(self, *args: Any, parts: str, **options: Any) -> None:
        started = time.monotonic()
        for part in [p.strip() for p in parts.split(",") if p.strip()]:
            data = store.read(part)
            if data is None:
                continue
            module = importlib.import_module(f"telly.demo.{part}")
            t0 = time.monotonic()
            with transaction.atomic():
                counts = module.load(data, self.stdout.write)
            summary = ", ".join(f"{k} {v}" for k, v in counts.items())
            self.stdout.write(f"demo {part}: {summary} ({time.monotonic() - t0:.1f}s)")
        search_live.rebuild()  # bulk inserts send no model signals: index the loaded guide
        self.stdout.write(
            self.style.SUCCESS(f"Demo guide loaded in {time.monotonic() - started:.1f}s.")
        )
