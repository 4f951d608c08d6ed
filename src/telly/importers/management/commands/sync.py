"""``telly sync tvmaze --show ID... | --updated-since DATE`` and
``telly sync tmdb --tv ID... | --movie ID... | --updated-since DATE [--region CC]``."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telly.importers.errors import BadInput
from telly.importers.http import FeedError
from telly.importers.report import summary, write_json, write_table
from telly.importers.runner import sync_run


def parse_since(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--updated-since {text!r} is not a date (YYYY-MM-DD)", returncode=2
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Fetch shows and films live from TVmaze or TMDB (rate-limited, retried, conditional)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=["tvmaze", "tmdb"])
        parser.add_argument(
            "--show", type=int, action="append", default=[], help="TVmaze show id (repeatable)"
        )
        parser.add_argument(
            "--tv", type=int, action="append", default=[], help="TMDB TV id (repeatable)"
        )
        parser.add_argument(
            "--movie", type=int, action="append", default=[], help="TMDB movie id (repeatable)"
        )
        parser.add_argument(
            "--updated-since", help="refresh titles we have that the source changed since DATE"
        )
        parser.add_argument("--region", help="TMDB: import watch providers for this region only")
        parser.add_argument(
            "--json", action="store_true", help="print the summary as one JSON object"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["source"]
        since = parse_since(options["updated_since"]) if options["updated_since"] else None
        region = options["region"].upper() if options["region"] else None
        if region and (len(region) != 2 or not region.isalpha()):
            raise CommandError(
                f"--region {options['region']!r} is not an ISO 3166-1 alpha-2 code", returncode=2
            )
        try:
            if source == "tvmaze":
                runs = [self.tvmaze(options["show"], since)]
            else:
                runs = self.tmdb(options["tv"], options["movie"], since, region)
        except FeedError as exc:
            raise CommandError(str(exc)) from None
        except BadInput as exc:
            raise CommandError(str(exc), returncode=2) from None
        data = summary(runs)
        if options["json"]:
            write_json(self.stdout, data)
        else:
            write_table(self.stdout, data, terminal=sys.stdout.isatty())

    def tvmaze(self, shows: list[int], since: dt.datetime | None):
        from telly.importers.tvmaze import sync

        if not shows and since is None:
            raise CommandError("say what to sync: --show ID or --updated-since DATE", returncode=2)
        api = sync.client()
        try:
            ids = shows or sync.updated_since(api, since)  # type: ignore[arg-type]
            run, _ = sync_run(
                "tvmaze", f"{api.base_url}/shows ({len(ids)})", sync.shows(api, ids), sync.apply
            )
        finally:
            api.close()
        return run

    def tmdb(self, tv: list[int], movies: list[int], since: dt.datetime | None, region: str | None):
        from telly.importers.tmdb import sync

        if not tv and not movies and since is None:
            raise CommandError(
                "say what to sync: --tv ID, --movie ID or --updated-since DATE", returncode=2
            )
        try:
            api = sync.client()
        except sync.MissingKey as exc:
            raise CommandError(str(exc), returncode=2) from None
        runs = []
        try:
            if since is not None and not tv and not movies:
                tv = sync.changed_since(api, "tv", since.date())
                movies = sync.changed_since(api, "movie", since.date())
            if tv:
                runs.append(
                    sync_run(
                        "tmdb",
                        f"{api.base_url}/tv ({len(tv)})",
                        sync.tv(api, tv),
                        sync.apply,
                        region=region,
                    )[0]
                )
            if movies:
                runs.append(
                    sync_run(
                        "tmdb",
                        f"{api.base_url}/movie ({len(movies)})",
                        sync.movies(api, movies),
                        sync.apply,
                        region=region,
                    )[0]
                )
        finally:
            api.close()
        return runs
