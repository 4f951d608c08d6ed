from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from telly.demo import PARTS, store

DEFAULT_SHARED = Path(__file__).resolve().parents[6] / "shared" / "data"


class Command(BaseCommand):
    help = "Rebuild the committed demo files from the facts in ../shared/data (developers only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--shared", type=Path, default=DEFAULT_SHARED, help="The shared data folder."
        )
        parser.add_argument("--parts", default=",".join(PARTS))

    def handle(self, *args: Any, shared: Path, parts: str, **options: Any) -> None:
        if not shared.is_dir():
            raise CommandError(f"{shared} is not a folder; pass --shared PATH/TO/shared/data")
        for part in [p.strip() for p in parts.split(",") if p.strip()]:
            module = importlib.import_module(f"telly.demo.{part}")
            data = module.build(shared)
            target = store.write(part, data)
            self.stdout.write(f"demo {part}: wrote {target} ({target.stat().st_size // 1024} KiB)")
