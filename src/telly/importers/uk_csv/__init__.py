"""The small curated CSVs editors keep by hand: plans (a price history), offers and platforms.

Layouts are documented in ``docs/importers.md``; the files in ``../shared/data/uk_plans/`` are
examples."""

from telly.importers.formats import Format, register
from telly.importers.uk_csv import offers, plans, platforms

register(Format("plans-csv", plans.sniff, plans.run, "Provider plan prices with validity dates"))
register(Format("offers-csv", offers.sniff, offers.run, "Title × provider × region offers"))
register(
    Format(
        "platforms-csv",
        platforms.sniff,
        platforms.run,
        "Which device platform carries which provider",
    )
)
