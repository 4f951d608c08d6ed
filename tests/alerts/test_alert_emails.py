"""One email function per kind of alert, each with its subject, text and HTML templates."""

import datetime as dt

import pytest

from telly.alerts import emails
from telly.alerts.models import Alert, AlertKind
from telly.catalog.models import Person

EXPECTED = {
    AlertKind.NEXT_SEASON: "Good news",
    AlertKind.NEW_EPISODE: "Where to watch",
    AlertKind.ARRIVING: "is one of your services",
    AlertKind.LEAVING: "Last chance",
    AlertKind.NEW_CREDIT: "you follow Joe Locke",
}


@pytest.mark.parametrize("kind", list(AlertKind))
def test_each_kind_has_its_own_message(owner, heartstopper, kind):
    person = Person.objects.get(name="Joe Locke")
    alert = Alert.objects.create(
        user=owner,
        key=f"k:{kind}",
        kind=kind,
        headline="Heartstopper news",
        title=heartstopper,
        person=person if kind == AlertKind.NEW_CREDIT else None,
        detail={
            "provider": "Netflix",
            "until": dt.datetime(2025, 5, 20, tzinfo=dt.UTC).isoformat(),
            "where": "Netflix",
        },
    )
    message = emails.alert_email(alert, "owner@example.org")
    html = message.alternatives[0][0]
    assert message.subject == "Heartstopper news"
    assert EXPECTED[kind] in message.body + html
    assert "http://127.0.0.1:8000/feeds/" in message.body and "/feeds/" in html
    assert message.extra_headers["Message-ID"] == f"<alert.{alert.pk}.{owner.pk}@127.0.0.1>"
    if kind == AlertKind.LEAVING:
        assert "Tuesday 20 May" in message.body
    if kind == AlertKind.NEW_CREDIT:
        assert person.get_absolute_url() in message.body
