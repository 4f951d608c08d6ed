"""``telly import PATH... [--format F] [--region CC] [--provider NAME] [--skip-bad] [--json]``"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telly.importers.errors import BadInput
from telly.importers.formats import load_formats
from telly.importers.models import ImportRun
from telly.importers.progress import Progress, TerminalProgress
from telly.importers.report import summary, write_json, write_table
from telly.importers.runner import import_path


def expand(path: Path) -> list[Path]:
    """A directory that no format reads whole is imported file by file, in name order."""
    from telly.importers.formats import detect

    if path.is_dir() and detect(path) is None:
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    return [path]


class Command(BaseCommand):
    help = "Import files: IMDb TSVs, TVmaze/TMDB JSON, streaming catalogue CSVs, plans/offers/platforms CSVs."

    def add_arguments(self, parser: CommandParser) -> None:
        formats = sorted(load_formats())
        parser.add_argument("paths", nargs="+", metavar="PATH", help="file or directory to import")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", *formats],
            help="default: recognise from content",
        )
        parser.add_argument(
            "--region", help="ISO 3166-1 region of a streaming catalogue (required for those)"
        )
        parser.add_argument(
            "--provider", help="streaming service a catalogue describes (default: from file name)"
        )
        parser.add_argument(
            "--skip-bad", action="store_true", help="import good rows, list rejected ones"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the summary as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        terminal = sys.stderr.isatty() and not as_json
        runs: list[ImportRun] = []
        try:
            for raw in options["paths"]:
                for path in expand(Path(raw)):
                    run, _ = import_path(
                        path,
                        options["format"],
                        region=options["region"],
                        provider=options["provider"],
                        skip_bad=options["skip_bad"],
                        progress=TerminalProgress() if terminal else Progress(),
                    )
                    runs.append(run)
        except BadInput as exc:
            if as_json:
                write_json(self.stdout, summary(runs, error=str(exc)))
            raise CommandError(str(exc), returncode=2) from None
        data = summary(runs)
        if as_json:
            write_json(self.stdout, data)
        else:
            write_table(self.stdout, data, terminal=sys.stdout.isatty())
