"""``platforms-csv``: platform,provider,region,source (optional: kind). A provider's app is on
a device platform (Sky Glass, Virgin Media Stream, Roku...) in a region."""

from __future__ import annotations

from pathlib import Path

from telly.catalog.text import make_slug
from telly.importers.context import ImportContext
from telly.importers.reading import csv_rows, header_fields
from telly.importers.uk_csv import fields
from telly.streaming.models import Platform, PlatformProvider
from telly.streaming.providers import ProviderResolver

REQUIRED = ("platform", "provider", "region")


def sniff(path: Path, head: bytes) -> bool:
    header = set(header_fields(head))
    return {"platform", "provider", "region"} <= header and "price" not in header


def run(ctx: ImportContext) -> None:
    providers = ProviderResolver()
    for line, row in csv_rows(ctx.path, REQUIRED):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "carriage")
            continue
        name, provider_name = " ".join(row["platform"].split()), row["provider"].strip()
        try:
            region = fields.region(row["region"])
            if not name or not provider_name:
                raise fields.BadValue("platform and provider must not be empty")
        except fields.BadValue as exc:
            ctx.reject(line, str(exc), "carriage")
            continue
        platform = Platform.objects.filter(name=name).first()
        if platform is None:
            slug, n = make_slug(name, "platform"), 2
            base = slug
            while Platform.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            kind = row.get("kind", "").strip()
            platform = Platform.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                sources={"name": ctx.format},
                seen_at=ctx.seen_at,
                created_at=ctx.seen_at,
                updated_at=ctx.seen_at,
            )
            ctx.tally.created("platform")
        provider = providers.resolve(provider_name)
        source = row.get("source", "").strip()[:300]
        carriage = PlatformProvider.objects.filter(
            platform=platform, provider=provider, region=region
        ).first()
        if carriage is None:
            PlatformProvider.objects.create(
                platform=platform,
                provider=provider,
                region=region,
                source=source,
                seen_at=ctx.seen_at,
            )
            ctx.tally.created("carriage")
        else:
            changed = carriage.source != source
            carriage.source, carriage.seen_at = source, ctx.seen_at
            carriage.save()
            ctx.tally.outcome("carriage", False, changed)
