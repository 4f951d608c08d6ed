"""`telly serve`: the production HTTP server (granian, WSGI), never Django's runserver."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve Telly with granian (production WSGI server). Static files are served by whitenoise."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("TELLY_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("TELLY_PORT", "8000") or 8000)
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("TELLY_WORKERS", "1") or 1)
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("TELLY_THREADS", "8") or 8)
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, threads: int, **options: Any
    ) -> None:
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which(
            "granian"
        )
        if granian is None:
            raise CommandError("granian is not installed; run `make run` or `pip install granian`.")
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port (TELLY_PORT).")
        self.stdout.write(f"Telly is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        os.execv(
            granian,
            [
                granian,
                "--interface",
                "wsgi",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--no-ws",
                "telly.wsgi:application",
            ],
        )
