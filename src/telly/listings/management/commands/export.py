"""``telly export xmltv [--region GB] [--channels a,b] [--from DATE] [--days 7] [-o FILE]``"""

from __future__ import annotations

import datetime as dt
import sys
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from telly.listings.queries import channels_by_keys, export_airings, local_day_bounds
from telly.listings.xmltv_out import write_xmltv

MAX_DAYS = 31


class Command(BaseCommand):
    help = "Export listings as XMLTV (valid against the XMLTV DTD) to a file or standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["xmltv"], help="what to export (only xmltv so far)")
        parser.add_argument(
            "--region", help="ISO 3166-1 code of the channels (default: TELLY_DEFAULT_REGION)"
        )
        parser.add_argument(
            "--channels",
            action="append",
            default=[],
            help="channel slugs or XMLTV ids, comma-separated; repeatable (default: all in the region)",
        )
        parser.add_argument(
            "--from", dest="start", help="first local day, YYYY-MM-DD (default: today)"
        )
        parser.add_argument(
            "--days", type=int, default=7, help=f"how many days (1-{MAX_DAYS}, default 7)"
        )
        parser.add_argument(
            "--tz", default=None, help="time zone whose days are meant (default: TELLY_TIME_ZONE)"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="site address for channel links, e.g. https://telly.example",
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        region = (options["region"] or settings.TELLY_DEFAULT_REGION).upper()
        if len(region) != 2 or not region.isalpha():
            raise CommandError(
                f"--region {region!r} is not an ISO 3166-1 alpha-2 code", returncode=2
            )
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}", returncode=2)
        try:
            tz = zoneinfo.ZoneInfo(options["tz"] or settings.TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise CommandError(
                f"--tz {options['tz']!r} is not a time zone name", returncode=2
            ) from None
        try:
            first = (
                dt.date.fromisoformat(options["start"])
                if options["start"]
                else dt.datetime.now(tz).date()
            )
        except ValueError:
            raise CommandError(
                f"--from {options['start']!r} is not a date (YYYY-MM-DD)", returncode=2
            ) from None
        start, _ = local_day_bounds(first, tz)
        _, stop = local_day_bounds(first + dt.timedelta(days=options["days"] - 1), tz)
        channels = None
        keys = [k for value in options["channels"] for k in value.split(",")]
        if keys:
            channels, unknown = channels_by_keys(keys, region)
            if unknown:
                raise CommandError(
                    f"no such channel in {region}: {', '.join(unknown)}", returncode=2
                )
        airings = export_airings(start, stop, region=region, channels=channels)
        if options["output"]:
            with Path(options["output"]).open("wb") as out:
                write_xmltv(airings, out, channels, base_url=options["base_url"])
            self.stderr.write(f"wrote {options['output']}")
        else:
            write_xmltv(airings, sys.stdout.buffer, channels, base_url=options["base_url"])
            sys.stdout.flush()
