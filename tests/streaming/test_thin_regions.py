"""A region the guide knows little about points to the regions it knows better."""

import pytest

from telly.catalog.models import Title, TitleKind
from telly.streaming.models import Offer
from telly.streaming.queries import THIN_REGION, better_known_regions

pytestmark = pytest.mark.django_db


def _offers(provider, region: str, count: int) -> None:
    for n in range(count):
        title, _ = Title.objects.get_or_create(
            kind=TitleKind.FILM, name=f"Film {n}", defaults={"year": 2000 + n % 20}
        )
        Offer.objects.create(title=title, provider=provider, region=region, monetization="flatrate")


def test_a_thin_region_names_the_better_known_ones_most_first(netflix):
    _offers(netflix, "GB", 2)
    _offers(netflix, "US", THIN_REGION + 5)
    _offers(netflix, "CA", 10)
    _offers(netflix, "IE", 1)
    assert better_known_regions("GB") == [("US", THIN_REGION + 5), ("CA", 10)]


def test_a_well_known_region_names_none(netflix):
    _offers(netflix, "GB", THIN_REGION)
    _offers(netflix, "US", THIN_REGION + 5)
    assert better_known_regions("GB") == []


def test_the_pages_link_to_them(client, netflix):
    _offers(netflix, "US", THIN_REGION + 1)
    for path in ("/streaming/", "/streaming/titles/"):
        page = client.get(path, {"region": "GB"}).content.decode()
        assert f'href="{path}?region=US">US</a> ({THIN_REGION + 1} titles)' in page, path
    page = client.get("/streaming/", {"region": "US"}).content.decode()
    assert "knows little yet" not in page
