"""``plans-csv``: provider,plan,region,currency,price,period,has_ads,valid_from,valid_to,source
(optional: streams, quality). One row is one price of one plan in force over a window; rows of
the same plan with later ``valid_from`` form its price history."""

from __future__ import annotations

from pathlib import Path

from telly.importers.context import ImportContext
from telly.importers.reading import csv_rows, header_fields
from telly.importers.uk_csv import fields
from telly.streaming.models import BillingPeriod, Plan
from telly.streaming.providers import ProviderResolver

REQUIRED = ("provider", "plan", "region", "currency", "price", "period", "valid_from")


def sniff(path: Path, head: bytes) -> bool:
    return {"provider", "plan", "price", "currency"} <= set(header_fields(head))


def run(ctx: ImportContext) -> None:
    providers = ProviderResolver()
    for line, row in csv_rows(ctx.path, REQUIRED):
        ctx.row_read()
        if "__width__" in row:
            ctx.reject(line, row["__width__"], "plan")
            continue
        try:
            values = parse(row)
        except fields.BadValue as exc:
            ctx.reject(line, str(exc), "plan")
            continue
        provider = providers.resolve(row["provider"].strip())
        key = {
            "provider": provider,
            "region": values.pop("region"),
            "name": values.pop("name"),
            "valid_from": values.pop("valid_from"),
        }
        plan = Plan.objects.filter(**key).first()
        created = plan is None
        if created:
            plan = Plan(
                **key,
                **values,
                sources=dict.fromkeys(values, ctx.format),
                seen_at=ctx.seen_at,
                created_at=ctx.seen_at,
                updated_at=ctx.seen_at,
            )
            changed = True
        else:
            changed = bool(plan.apply_source(values, ctx.format, ctx.seen_at))
        plan.save()
        ctx.tally.outcome("plan", created, changed)


def parse(row: dict[str, str]) -> dict:
    name = row["plan"].strip()
    if not name or not row["provider"].strip():
        raise fields.BadValue("provider and plan must not be empty")
    period = row["period"].strip().lower() or "month"
    if period not in BillingPeriod.values:
        raise fields.BadValue(
            f"period {row['period']!r} is not one of {', '.join(BillingPeriod.values)}"
        )
    valid_from = fields.date(row["valid_from"], "valid_from")
    valid_to = fields.date(row.get("valid_to", ""), "valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        raise fields.BadValue(f"valid_to {valid_to} is before valid_from {valid_from}")
    streams = row.get("streams", "").strip()
    if streams and not streams.isdecimal():
        raise fields.BadValue(f"streams {streams!r} is not a whole number")
    source = row.get("source", "").strip()
    return {
        "name": name,
        "region": fields.region(row["region"]),
        "currency": fields.currency(row["currency"]),
        "price": fields.money(row["price"]),
        "period": period,
        "has_ads": fields.boolean(row.get("has_ads", ""), "has_ads"),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "streams": int(streams) if streams else None,
        "quality": row.get("quality", "").strip().upper(),
        "source_url": source if source.startswith(("http://", "https://")) else "",
    }
