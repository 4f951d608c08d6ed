"""A digest per subscriber: new on my services, premieres, leaving soon, tonight, coverage,
each with where to watch, in the subscriber's region; empty sections are left out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from telly.catalog.models import Title, TitleKind
from telly.newsletters import delivery
from telly.newsletters.digest import DigestBuilder
from telly.newsletters.models import Campaign, CampaignKind, CampaignStatus, Newsletter, Subscriber

from .conftest import make_confirmed

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def week(heartstopper, lists):
    """A week of facts in GB around NOW, touching every app a digest reads."""
    from telly.editorial.models import Article, ArticleState, ArticleTitle, Section
    from telly.listings.models import Airing, Channel
    from telly.releases.models import ReleaseEvent
    from telly.streaming.models import Monetization, Offer, Provider

    netflix = Provider.objects.create(name="Netflix", slug="netflix")
    iplayer = Provider.objects.create(name="BBC iPlayer", slug="bbc-iplayer")
    heartstopper.image_url = "https://images.example/heartstopper.jpg"
    heartstopper.save()
    leaving = Title.objects.create(
        kind=TitleKind.FILM, name="Paddington 2", slug="paddington-2", year=2017
    )
    returning = Title.objects.create(
        kind=TitleKind.SERIES, name="Slow Horses", slug="slow-horses", year=2022
    )
    Offer.objects.create(
        title=heartstopper,
        provider=netflix,
        region="GB",
        monetization=Monetization.SUBSCRIPTION,
        available_from=NOW - dt.timedelta(days=2),
    )
    Offer.objects.create(
        title=leaving,
        provider=iplayer,
        region="GB",
        monetization=Monetization.FREE,
        available_from=NOW - dt.timedelta(days=300),
        available_until=NOW + dt.timedelta(days=3),
    )
    Offer.objects.create(
        title=returning,
        provider=iplayer,
        region="GB",
        monetization=Monetization.FREE,
        available_from=NOW - dt.timedelta(days=300),
    )
    ReleaseEvent.objects.create(
        title=returning,
        season_number=5,
        kind="premiere",
        date=(NOW + dt.timedelta(days=4)).date(),
        precision="day",
        certainty="confirmed",
    )
    bbc_one = Channel.objects.create(name="BBC One", slug="bbc-one", region="GB")
    Airing.objects.create(
        channel=bbc_one,
        title=returning,
        raw_title="Slow Horses",
        start=dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC),
        stop=dt.datetime(2026, 11, 20, 21, 0, tzinfo=dt.UTC),
        is_premiere=True,
    )
    section = Section.objects.create(name="News", slug="news")
    article = Article.objects.create(
        headline="Heartstopper's final chapter",
        slug="heartstopper-final",
        section=section,
        state=ArticleState.PUBLISHED,
        published_at=NOW - dt.timedelta(days=1),
        standfirst="The film is coming.",
    )
    ArticleTitle.objects.create(article=article, title=heartstopper)
    everything = Newsletter.objects.create(
        slug="everything",
        name="Everything",
        sections=["new", "premieres", "leaving", "tonight", "coverage"],
    )
    return {"netflix": netflix, "iplayer": iplayer, "newsletter": everything}


def test_a_digest_has_every_section_with_where_to_watch(week):
    digest = DigestBuilder(week["newsletter"], as_of=NOW).build("GB", [])
    parts = {part.key: part for part in digest.parts}
    assert list(parts) == ["new", "premieres", "leaving", "tonight", "coverage"]
    assert [(i.name, i.watch) for i in parts["new"].items] == [("Heartstopper", ("Netflix",))]
    assert parts["new"].items[0].image_alt == "Poster for Heartstopper"
    assert [(i.name, i.watch) for i in parts["premieres"].items] == [
        ("Slow Horses", ("BBC iPlayer",))
    ]
    assert "Season 5 premiere" in parts["premieres"].items[0].detail
    assert parts["leaving"].items[0].name == "Paddington 2"
    assert parts["leaving"].items[0].detail == "Leaves BBC iPlayer on Mon 23 Nov"
    assert parts["tonight"].items[0].detail == "20:00 on BBC One"
    assert parts["coverage"].items[0].name == "Heartstopper's final chapter"


def test_my_services_narrow_what_is_new_and_leaving(week):
    digest = DigestBuilder(week["newsletter"], as_of=NOW).build("GB", [week["iplayer"].pk])
    keys = [part.key for part in digest.parts]
    assert "new" not in keys  # Heartstopper is new on Netflix, which this reader does not have
    assert "leaving" in keys and digest.services == ("BBC iPlayer",)


def test_sections_with_nothing_to_say_are_left_out_in_another_region(week):
    digest = DigestBuilder(week["newsletter"], as_of=NOW).build("US", [])
    assert [part.key for part in digest.parts] == [
        "premieres",
        "coverage",
    ]  # region-free facts only
    premieres = digest.parts[0]
    assert premieres.items[0].watch == ()  # no US offer: no made-up place to watch


def test_a_genre_list_only_carries_its_genre(week, lists):
    digest = DigestBuilder(lists["drama"], as_of=NOW).build("GB", [])
    names = [item.name for part in digest.parts for item in part.items]
    assert names == ["Heartstopper"]  # drama; Slow Horses has no genre here


def test_subscribers_sharing_region_and_services_share_one_set_of_queries(
    week, django_assert_max_num_queries
):
    builder = DigestBuilder(week["newsletter"], as_of=NOW)
    subscribers = [make_confirmed(f"r{i}@example.org", week["newsletter"]) for i in range(20)]
    with django_assert_max_num_queries(14):  # two combinations, seven queries each at most
        for subscriber in subscribers:
            builder.for_subscriber(
                subscriber, provider_ids=[week["netflix"].pk] if subscriber.pk % 2 else []
            )


def test_each_subscriber_receives_their_own_digest_as_email(week, settings):
    netflix_fan = make_confirmed("netflix@example.org", week["newsletter"])
    netflix_fan.providers.set([week["netflix"]])
    make_confirmed("us@example.org", week["newsletter"], region="US")
    campaign = Campaign.objects.create(
        newsletter=week["newsletter"],
        kind=CampaignKind.DIGEST,
        subject="Your week",
        status=CampaignStatus.SCHEDULED,
        scheduled_at=NOW,
        as_of=NOW,
    )
    import time_machine

    with time_machine.travel(NOW, tick=False):
        report = delivery.deliver(campaign.pk)
    assert report.sent == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    gb = by_address["netflix@example.org"]
    assert "New on your services" in gb.body and "Watch on: Netflix" in gb.body
    html = gb.alternatives[0].content
    assert 'alt="Poster for Heartstopper"' in html
    assert "For your services (Netflix) in GB" in html
    us = by_address["us@example.org"]
    assert "New on your services" not in us.body and "Leaving soon" not in us.body
    assert timezone.is_aware(campaign.scheduled_at)


def test_a_digest_with_nothing_for_someone_is_not_sent_to_them(lists, settings):
    make_confirmed("quiet@example.org", lists["tonight"])
    campaign = Campaign.objects.create(
        newsletter=lists["tonight"],
        kind=CampaignKind.DIGEST,
        subject="Tonight",
        status=CampaignStatus.SCHEDULED,
        scheduled_at=timezone.now(),
    )
    report = delivery.deliver(campaign.pk)
    assert (report.sent, report.skipped) == (0, 1)
    assert mail.outbox == []


def test_a_readers_account_services_fill_in_when_they_chose_none(week, owner, client, lists):
    from telly.accounts.models import profile_for

    from .conftest import sign_up

    profile_for(owner).services.set([week["netflix"]])
    sign_up(client, lists, email="Owner@Example.org")
    subscriber = Subscriber.objects.get()
    assert subscriber.user == owner
    digest = DigestBuilder(week["newsletter"], as_of=NOW).for_subscriber(subscriber)
    assert digest.services == ("Netflix",)
    subscriber.providers.set([week["iplayer"]])
    assert DigestBuilder(week["newsletter"], as_of=NOW).for_subscriber(subscriber).services == (
        "BBC iPlayer",
    )


def test_a_signed_in_reader_finds_their_address_filled_in(client, owner, lists):
    client.force_login(owner)
    assert b'value="owner@example.org"' in client.get("/newsletters/").content


def test_tonight_is_the_evening_in_the_readers_region(week):
    from telly.listings.models import Airing, Channel

    nbc = Channel.objects.create(name="NBC", slug="nbc", region="US")
    Airing.objects.create(
        channel=nbc,
        raw_title="Saturday Night Live",
        is_new=True,
        start=dt.datetime(2026, 11, 21, 1, 0, tzinfo=dt.UTC),
        stop=dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.UTC),
    )
    digest = DigestBuilder(week["newsletter"], as_of=NOW).build("US", [])
    tonight = next(part for part in digest.parts if part.key == "tonight")
    assert [(i.name, i.detail) for i in tonight.items] == [("Saturday Night Live", "20:00 on NBC")]
