"""`telly newsletters ...` and the campaign admin: preview, test send, schedule, pause, resume."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from telly.newsletters.models import Campaign, CampaignKind, CampaignStatus, Send, SendStatus

from .conftest import make_confirmed


def test_the_digest_command_creates_and_sends_a_personalised_campaign(lists, capsys):
    make_confirmed("reader@example.org", lists["weekly"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("newsletters", "digest", "new-to-stream")
    campaign = Campaign.objects.get()
    assert campaign.kind == CampaignKind.DIGEST and campaign.as_of is not None
    assert "queued" in capsys.readouterr().out
    # nothing to say in an empty guide: the reader is skipped rather than sent an empty email
    assert Send.objects.get().status == SendStatus.SKIPPED


def test_the_digest_command_names_the_lists_it_knows_when_given_a_wrong_one(lists):
    with pytest.raises(CommandError, match="known: new-to-stream, drama, tv-tonight"):
        call_command("newsletters", "digest", "nope")


def test_send_and_status(lists, capsys):
    make_confirmed("reader@example.org", lists["weekly"])
    campaign = Campaign.objects.create(newsletter=lists["weekly"], subject="Hello", body="Hi")
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("newsletters", "send", str(campaign.pk))
    assert Campaign.objects.get().status == CampaignStatus.SENT and len(mail.outbox) == 1
    call_command("newsletters", "status")
    assert "sent 1" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("newsletters", "send", str(campaign.pk))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_admin_previews_a_campaign_as_html_and_text(editor_client, lists):
    campaign = Campaign.objects.create(
        newsletter=lists["weekly"], subject="Hello", body="See [this](/shows/x/)"
    )
    html = editor_client.get(f"/admin/newsletters/campaign/{campaign.pk}/preview/")
    assert html.status_code == 200 and b'href="http://127.0.0.1:8000/shows/x/"' in html.content
    text = editor_client.get(f"/admin/newsletters/campaign/{campaign.pk}/preview/?format=text")
    assert b"See [this](http://127.0.0.1:8000/shows/x/)" in text.content
    assert (
        editor_client.get(f"/admin/newsletters/campaign/{campaign.pk}/change/").status_code == 200
    )


def test_admin_actions_send_a_test_schedule_pause_and_resume(editor_client, lists):
    make_confirmed("reader@example.org", lists["weekly"])
    campaign = Campaign.objects.create(newsletter=lists["weekly"], subject="Hello", body="Hi")
    url = "/admin/newsletters/campaign/"

    def act(action: str) -> None:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = editor_client.post(
                url, {"action": action, "_selected_action": [campaign.pk]}
            )
        assert response.status_code == 302

    act("send_test")
    assert [m.to for m in mail.outbox] == [["editor@example.org"]] and mail.outbox[
        0
    ].subject == "[TEST] Hello"
    assert not Send.objects.exists()
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at="2099-01-01T00:00:00Z")
    act("schedule")
    assert Campaign.objects.get().status == CampaignStatus.SCHEDULED  # its time has not come
    act("pause")
    assert Campaign.objects.get().status == CampaignStatus.PAUSED
    Campaign.objects.filter(pk=campaign.pk).update(scheduled_at="2020-01-01T00:00:00Z")
    act("resume")
    assert Campaign.objects.get().status == CampaignStatus.SENT
    assert [m.to for m in mail.outbox[1:]] == [["reader@example.org"]]


def test_due_makes_each_digest_once_per_cadence(lists, capsys):
    import datetime as dt

    import time_machine

    start = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        call_command("newsletters", "due")
        call_command("newsletters", "due")
    assert sorted(Campaign.objects.values_list("newsletter__slug", flat=True)) == [
        "drama",
        "new-to-stream",
        "tv-tonight",
    ]
    with (
        time_machine.travel(start + dt.timedelta(days=1), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        call_command("newsletters", "due")
    assert Campaign.objects.filter(newsletter=lists["tonight"]).count() == 2
    assert Campaign.objects.filter(newsletter=lists["weekly"]).count() == 1
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        call_command("newsletters", "due", "--dry-run")
    assert "due: new-to-stream" in capsys.readouterr().out
