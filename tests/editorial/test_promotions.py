"""Promo blocks show in their placement between their dates and count their clicks; the
advert slot stays empty unless a publisher configured an ad tag."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from telly.editorial.models import Placement, Promo, PromoClick, PromoKind

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def sidebar_promo(db: None) -> Promo:
    return Promo.objects.create(
        name="Weekly pick",
        kind=PromoKind.NEWSLETTER,
        placement=Placement.SIDEBAR,
        headline="One show every Friday",
        url="/newsletters/",
        starts_at=NOW - dt.timedelta(days=1),
        ends_at=NOW + dt.timedelta(days=1),
    )


@time_machine.travel(NOW, tick=False)
def test_a_promo_shows_in_its_placement_only_between_its_dates(
    client: Client, make_article, sidebar_promo: Promo
) -> None:
    article = make_article("With a sidebar")
    Promo.objects.create(
        name="Off", placement=Placement.SIDEBAR, headline="Switched off", url="/", active=False
    )
    Promo.objects.create(
        name="Future",
        placement=Placement.SIDEBAR,
        headline="Not yet",
        url="/",
        starts_at=NOW + dt.timedelta(hours=1),
    )
    Promo.objects.create(
        name="Over", placement=Placement.SIDEBAR, headline="All over", url="/", ends_at=NOW
    )
    Promo.objects.create(name="Home", placement=Placement.HOME, headline="Home only", url="/")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "One show every Friday" in page
    for absent in ("Switched off", "Not yet", "All over", "Home only"):
        assert absent not in page
    assert f'href="/news/promo/{sidebar_promo.pk}/"' in page


@time_machine.travel(NOW, tick=False)
def test_a_click_is_counted_and_sends_the_reader_on(client: Client, sidebar_promo: Promo) -> None:
    for _ in range(2):
        response = client.get(
            f"/news/promo/{sidebar_promo.pk}/", HTTP_REFERER="http://testserver/news/drama/x/"
        )
        assert response.status_code == 302 and response["Location"] == "/newsletters/"
    sidebar_promo.refresh_from_db()
    assert sidebar_promo.clicks == 2
    assert list(PromoClick.objects.values_list("page", flat=True)) == [
        "/news/drama/x/",
        "/news/drama/x/",
    ]


def test_a_click_on_an_expired_promo_is_not_counted(client: Client, sidebar_promo: Promo) -> None:
    with time_machine.travel(NOW + dt.timedelta(days=3), tick=False):
        assert client.get(f"/news/promo/{sidebar_promo.pk}/").status_code == 302
    sidebar_promo.refresh_from_db()
    assert sidebar_promo.clicks == 0


def test_a_promo_never_redirects_off_site_to_an_unsafe_address(client: Client, db: None) -> None:
    promo = Promo.objects.create(name="Bad", headline="x", url="//evil.example/")
    assert client.get(f"/news/promo/{promo.pk}/")["Location"] == "/"
    with pytest.raises(ValidationError):
        promo.full_clean()
    with pytest.raises(ValidationError):
        Promo(name="js", headline="x", url="javascript:alert(1)").full_clean()
    Promo(name="ok", headline="x", url="https://shop.example.org/offer").full_clean()


def test_a_partner_slot_says_who_paid_for_it(client: Client, db: None) -> None:
    Promo.objects.create(
        name="Partner",
        kind=PromoKind.PARTNER,
        placement=Placement.SECTION,
        headline="A partner",
        sponsor="Acme TV",
        url="https://acme.example/",
    )
    from telly.editorial.models import Section

    Section.objects.create(name="Films", slug="films")
    page = client.get("/news/films/").content.decode()
    assert "Paid partnership with Acme TV" in page
    assert 'rel="nofollow sponsored"' in page


def test_the_ad_slot_is_empty_unless_configured(client: Client, make_article, settings) -> None:
    article = make_article("Ads")
    settings.TELLY_AD_TAG = ""
    assert b"ad-slot" not in client.get(article.get_absolute_url()).content
    settings.TELLY_AD_TAG = '<div id="publisher-ad"></div>'
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        '<aside class="ad-slot" aria-label="Advertisement" data-slot="article"><div id="publisher-ad"></div></aside>'
        in page
    )


def test_no_page_loads_a_third_party_script_by_default(client: Client, make_article) -> None:
    article = make_article("Plain", video_url="https://youtu.be/dQw4w9WgXcQ")
    from lxml import html as lxml_html

    for url in ("/news/", article.get_absolute_url(), "/news/drama/"):
        page = lxml_html.fromstring(client.get(url).content)
        sources = page.xpath("//script/@src")
        assert all(src.startswith("/static/") for src in sources), sources
