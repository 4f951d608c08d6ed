"""Newsletter delivery: personalised digests for N confirmed subscribers (default 100,000;
``TELLY_BENCH_SUBSCRIBERS`` for a quicker run), rendered and sent over SMTP to an aiosmtpd sink
on loopback, against raw ``smtplib`` sending N fixed messages of the same size to the same sink
in the same run.

Three processes: the sink (aiosmtpd, counting and discarding), a child that sets up a fresh
SQLite guide and does the sending (so its peak memory is its own), and this parent, which
checks the sink received every message and writes ``bench/results/newsletters.json``.

Figures:
- ``ratio``: Telly's messages/s over raw smtplib's (the ceiling: same sink, no rendering, no
  database);
- ``peak_rss_mib``: the child's peak resident memory after the first tenth of the campaign and
  at the end; ``memory_growth`` is their ratio (flat is about 1.0: recipients are streamed).
"""

from __future__ import annotations

import asyncio
import email.policy
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "newsletters.json"


# -- the sink ---------------------------------------------------------------------------------


def run_sink() -> None:
    """aiosmtpd on 127.0.0.1, a free port printed on stdout; prints its count on SIGTERM."""
    from aiosmtpd.smtp import SMTP

    received = 0

    class Counter:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            nonlocal received
            received += 1
            return "250 OK"

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Counter(), hostname="sink"), "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        server.close()
        print(received, flush=True)

    asyncio.run(serve())


# -- the child: setup, baseline and Telly -----------------------------------------------------


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_guide(now: object, rng: random.Random) -> dict:
    """Providers, titles, offers (new and leaving), tonight's airings and articles in three
    regions: enough for every digest section to have something."""
    import datetime as dt

    from telly.catalog.models import Genre, Title, TitleKind
    from telly.editorial.models import Article, ArticleState, Section
    from telly.listings.models import Airing, Channel
    from telly.streaming.models import Monetization, Offer, Provider

    regions = ["GB", "US", "DE"]
    providers = [
        Provider.objects.create(name=f"Service {i}", slug=f"service-{i}") for i in range(6)
    ]
    drama = Genre.for_names(["Drama"])[0]
    titles = Title.objects.bulk_create(
        Title(
            kind=TitleKind.SERIES if i % 3 else TitleKind.FILM,
            name=f"Show {i}",
            slug=f"show-{i}",
            year=2000 + i % 25,
            popularity=rng.random() * 100,
            name_key=f"show {i}",
        )
        for i in range(400)
    )
    genres = Title.genres.through
    genres.objects.bulk_create(genres(title_id=t.pk, genre_id=drama.pk) for t in titles[::2])
    offers = []
    for title in titles:
        for region in rng.sample(regions, 2):
            provider = rng.choice(providers)
            start = now - dt.timedelta(days=rng.choice([2, 5, 30, 200]))
            until = now + dt.timedelta(days=rng.choice([3, 6, 60])) if rng.random() < 0.3 else None
            offers.append(
                Offer(
                    title=title,
                    provider=provider,
                    region=region,
                    monetization=Monetization.SUBSCRIPTION,
                    available_from=start,
                    available_until=until,
                )
            )
    Offer.objects.bulk_create(offers, ignore_conflicts=True)
    evening = now.replace(hour=19, minute=0, second=0, microsecond=0)
    for region in regions:
        channel = Channel.objects.create(
            name=f"{region} One", slug=f"{region.lower()}-one", region=region
        )
        Airing.objects.bulk_create(
            Airing(
                channel=channel,
                title=titles[i],
                raw_title=titles[i].name,
                start=evening + dt.timedelta(minutes=30 * i),
                stop=evening + dt.timedelta(minutes=30 * i + 30),
                is_new=i % 2 == 0,
            )
            for i in range(8)
        )
    section = Section.objects.create(name="News", slug="news")
    for i in range(5):
        Article.objects.create(
            headline=f"Story {i}",
            slug=f"story-{i}",
            section=section,
            state=ArticleState.PUBLISHED,
            published_at=now - dt.timedelta(hours=6 * i + 1),
            standfirst="A line about it.",
        )
    return {"regions": regions, "providers": providers}


def make_subscribers(count: int, newsletter: object, guide: dict, rng: random.Random) -> None:
    """``count`` confirmed subscribers, each with a region and a random set of services,
    inserted in batches (the bench measures sending, not signing up)."""
    from django.utils import timezone

    from telly.newsletters.models import Subscriber, SubscriberStatus, Subscription

    now = timezone.now()
    through = Subscriber.providers.through
    batch = 5000
    for start in range(0, count, batch):
        rows = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"reader{i}@example.org",
                status=SubscriberStatus.CONFIRMED,
                region=rng.choice(guide["regions"]),
                confirmed_at=now,
            )
            for i in range(start, min(count, start + batch))
        )
        if rows[0].pk is None:  # backends that do not return ids
            rows = list(Subscriber.objects.filter(email__in=[r.email for r in rows]))
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, newsletter=newsletter, requested_at=now, confirmed_at=now)
            for s in rows
        )
        through.objects.bulk_create(
            through(subscriber_id=s.pk, provider_id=p.pk)
            for s in rows
            for p in rng.sample(guide["providers"], rng.randint(0, 3))
        )


def run_child() -> None:
    import django

    django.setup()
    import smtplib

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from telly.newsletters import delivery, emails
    from telly.newsletters.digest import DigestBuilder
    from telly.newsletters.models import (
        Campaign,
        CampaignKind,
        CampaignStatus,
        Newsletter,
        Send,
        SendStatus,
        Subscriber,
    )

    count = int(os.environ["BENCH_COUNT"])
    rng = random.Random(8)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    now = timezone.now()
    guide = make_guide(now, rng)
    newsletter = Newsletter.objects.create(
        slug="weekly",
        name="What's new to stream this week",
        sections=["new", "premieres", "leaving", "tonight", "coverage"],
    )
    make_subscribers(count, newsletter, guide, rng)
    setup_seconds = time.monotonic() - started

    # One real digest as the baseline's fixed message, so both sides send the same bytes.
    campaign = Campaign.objects.create(
        newsletter=newsletter,
        kind=CampaignKind.DIGEST,
        subject="Your week ahead",
        status=CampaignStatus.SCHEDULED,
        scheduled_at=now,
        as_of=now,
    )
    sample = Subscriber.objects.first()
    digest = DigestBuilder(newsletter, as_of=now).for_subscriber(sample)
    fixed = emails.campaign_email(
        campaign, sample, "<fixed@bench>", emails.CampaignBody.of(campaign), digest
    )
    fixed_bytes = fixed.message(
        policy=email.policy.SMTP
    ).as_bytes()  # exactly what the SMTP backend sends

    started = time.monotonic()
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for i in range(count):
            smtp.sendmail("bench@localhost", [f"reader{i}@example.org"], fixed_bytes)
    smtplib_seconds = time.monotonic() - started

    started = time.monotonic()
    delivery.start(campaign.pk)
    queue_seconds = time.monotonic() - started
    tenth = max(1, count // 10)
    started = time.monotonic()
    rss_after_tenth = None
    while True:
        report = delivery.deliver(campaign.pk, max_messages=tenth, throttle=delivery.Throttle(0))
        if rss_after_tenth is None:
            rss_after_tenth = peak_rss_mib()
        if report.stopped != "limit":
            break
    telly_seconds = time.monotonic() - started
    sent = Send.objects.filter(campaign=campaign, status=SendStatus.SENT).count()
    print(
        json.dumps(
            {
                "subscribers": count,
                "sent": sent,
                "message_bytes": len(fixed_bytes),
                "setup_seconds": round(setup_seconds, 1),
                "queue_seconds": round(queue_seconds, 2),
                "smtplib_seconds": round(smtplib_seconds, 2),
                "telly_seconds": round(telly_seconds, 2),
                "rss_after_tenth": round(rss_after_tenth or 0, 1),
                "rss_at_end": round(peak_rss_mib(), 1),
            }
        ),
        flush=True,
    )


# -- the parent -------------------------------------------------------------------------------


def main() -> None:
    count = int(os.environ.get("TELLY_BENCH_SUBSCRIBERS") or 100_000)
    sink = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_newsletters", "--sink"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
    )
    try:
        port = int(sink.stdout.readline())
        with tempfile.TemporaryDirectory(prefix="telly-bench-newsletters-") as data_dir:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "telly.settings",
                "TELLY_DATA_DIR": data_dir,
                "TELLY_DATABASE_URL": "",
                "TELLY_SECRET_KEY": "bench-secret-key-0123456789-abcdefghij",
                "TELLY_EMAIL_URL": f"smtp://127.0.0.1:{port}",
                "TELLY_EMAIL_RATE": "0",
                "TELLY_TASKS_BACKEND": "immediate",
                "TELLY_LOG_LEVEL": "ERROR",
                "BENCH_COUNT": str(count),
            }
            child = subprocess.run(
                [sys.executable, "-m", "bench.bench_newsletters", "--child"],
                env=env,
                cwd=HERE.parent,
                capture_output=True,
                text=True,
                check=False,
            )
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                raise SystemExit(f"the newsletter benchmark's child failed ({child.returncode})")
            figures = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        sink.send_signal(signal.SIGTERM)
        out, _ = sink.communicate(timeout=30)
    received = int(out.strip().splitlines()[-1])
    smtplib_rate = count / figures["smtplib_seconds"]
    telly_rate = count / figures["telly_seconds"]
    result = {
        "benchmark": "newsletters",
        "subscribers": count,
        "all_delivered": received == 2 * count and figures["sent"] == count,
        "sink_received": received,
        "message_bytes": figures["message_bytes"],
        "smtplib_messages_per_s": round(smtplib_rate, 1),
        "telly_messages_per_s": round(telly_rate, 1),
        "ratio": round(telly_rate / smtplib_rate, 3),
        "queue_seconds": figures["queue_seconds"],
        "setup_seconds": figures["setup_seconds"],
        "peak_rss_mib": {
            "after_first_tenth": figures["rss_after_tenth"],
            "at_end": figures["rss_at_end"],
        },
        "memory_growth": round(figures["rss_at_end"] / figures["rss_after_tenth"], 3),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    if "--sink" in sys.argv:
        run_sink()
    elif "--child" in sys.argv:
        run_child()
    else:
        main()
