import datetime as dt
from pathlib import Path

import pytest
import time_machine
from lxml import etree

from telly.accounts.models import Follow
from telly.alerts.models import alert_settings_for
from telly.catalog.models import Title
from telly.listings.models import Airing, Channel

NOW = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)


def _guide(client, user, query=""):
    response = client.get(f"/feeds/{alert_settings_for(user).feed_secret}/guide.xml{query}")
    assert response.status_code == 200, response.content
    return etree.fromstring(response.content)


@time_machine.travel(NOW, tick=False)
def test_it_has_my_channels_and_their_airings_only(client, owner, heartstopper, bbc_one):
    other = Channel.objects.create(name="ITV1", region="GB", xmltv_id="ITV1.uk")
    owner.profile.channels.add(bbc_one)
    news = Title.objects.create(name="News")
    for channel in (bbc_one, other):
        Airing.objects.create(
            channel=channel,
            title=heartstopper,
            raw_title="Heartstopper",
            season_number=2,
            episode_number=3,
            start=dt.datetime(2025, 5, 1, 19, tzinfo=dt.UTC),
            stop=dt.datetime(2025, 5, 1, 19, 30, tzinfo=dt.UTC),
            is_new=True,
        )
    Airing.objects.create(
        channel=bbc_one,
        title=news,
        raw_title="News",
        start=dt.datetime(2025, 5, 1, 18, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 1, 18, 30, tzinfo=dt.UTC),
    )
    tv = _guide(client, owner)
    assert [c.get("id") for c in tv.findall("channel")] == ["BBCOne.uk"]
    programmes = tv.findall("programme")
    assert [p.findtext("title") for p in programmes] == ["News", "Heartstopper"]
    heart = programmes[1]
    assert heart.get("start") == "20250501190000 +0000" and heart.get("channel") == "BBCOne.uk"
    assert heart.findtext("episode-num") == "1.2." and heart.find("new") is not None


@time_machine.travel(NOW, tick=False)
def test_followed_only_keeps_what_i_follow(client, owner, heartstopper, bbc_one):
    owner.profile.channels.add(bbc_one)
    Follow.objects.create(user=owner, title=heartstopper)
    Airing.objects.create(
        channel=bbc_one,
        title=heartstopper,
        raw_title="Heartstopper",
        start=dt.datetime(2025, 5, 1, 19, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 1, 19, 30, tzinfo=dt.UTC),
    )
    Airing.objects.create(
        channel=bbc_one,
        raw_title="Unlinked film",
        start=dt.datetime(2025, 5, 1, 20, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 1, 22, tzinfo=dt.UTC),
    )
    assert len(_guide(client, owner).findall("programme")) == 2
    assert [
        p.findtext("title") for p in _guide(client, owner, "?followed=1").findall("programme")
    ] == ["Heartstopper"]
    assert (
        client.get(f"/feeds/{alert_settings_for(owner).feed_secret}/guide.xml?days=99").status_code
        == 400
    )


@pytest.mark.conformance
@time_machine.travel(NOW, tick=False)
def test_the_personal_guide_is_valid_against_the_xmltv_dtd(client, owner, heartstopper, bbc_one):
    dtd_path = Path(__file__).resolve().parents[3] / "shared" / "data" / "xmltv" / "xmltv.dtd"
    owner.profile.channels.add(bbc_one)
    Airing.objects.create(
        channel=bbc_one,
        title=heartstopper,
        raw_title="Heartstopper",
        raw_subtitle="Meet",
        description="Two boys.",
        categories=["Drama"],
        season_number=2,
        episode_number=3,
        is_new=True,
        is_premiere=True,
        is_repeat=True,
        has_subtitles=True,
        start=dt.datetime(2025, 5, 1, 19, tzinfo=dt.UTC),
        stop=dt.datetime(2025, 5, 1, 19, 30, tzinfo=dt.UTC),
    )
    dtd = etree.DTD(str(dtd_path))
    tv = _guide(client, owner)
    assert dtd.validate(tv), dtd.error_log.filter_from_errors()
