"""``telly import PATH... [--format F] [--region CC] [--provider NAME] [--skip-bad] [--json]``"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telly.importers.errors import BadInput
from telly.importers.formats import detect, get_format, load_formats
from telly.importers.models import ImportRun
from telly.importers.progress import Progress, TerminalProgress
from telly.importers.report import summary, write_json, write_table
from telly.importers.runner import import_path


def expand(path: Path, format: str) -> tuple[list[Path], list[Path]]:
    """A directory that no format reads whole is imported file by file, in name order; with
    ``--format auto`` its files that no format recognises (a README) are skipped, not errors.
    Returns (paths to import, paths skipped)."""
    if not path.is_dir() or (format == "auto" and detect(path) is not None):
        return [path], []
    if format != "auto" and get_format(format).reads_directory:
        return [path], []
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    if format != "auto":
        return files, []
    known = [p for p in files if detect(p) is not None]
    return known, [p for p in files if p not in known]


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # an import needs the models, not the URLs or templates
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
                paths, skipped = expand(Path(raw), options["format"])
                for path in skipped:
                    self.stderr.write(f"{path}: skipped, not a format telly imports")
                for path in paths:
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
