"""`telly worker`: runs background tasks (alerts, newsletters, syncs) from the database queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the database queue (django-tasks-db's db_worker). Stops cleanly on SIGTERM."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue."
        )
        parser.add_argument(
            "--queue", default="*", help="Queue name(s), comma separated; * for all."
        )

    def handle(self, *args: Any, batch: bool, interval: float, queue: str, **options: Any) -> None:
        arguments = ["--interval", str(interval), "--queue-name", queue]
        if batch:
            arguments.append("--batch")
        call_command("db_worker", *arguments)
