import datetime as dt
import smtplib

import time_machine
from django.core import mail

from telly.alerts import delivery
from telly.alerts.models import Alert, AlertSettings, AlertStatus

NOW = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)


def _alert(user, key, **fields):
    return Alert.objects.create(
        user=user, key=key, kind="new_episode", headline=f"Alert {key}", due_at=NOW, **fields
    )


@time_machine.travel(NOW, tick=False)
def test_each_due_alert_is_sent_once_with_a_stable_message_id(owner, friend):
    first = _alert(owner, "a")
    _alert(friend, "b")
    assert delivery.deliver_due() == 2
    assert delivery.deliver_due() == 0
    assert len(mail.outbox) == 2
    first.refresh_from_db()
    assert (
        first.status == AlertStatus.SENT
        and first.message_id == f"<alert.{first.pk}.{owner.pk}@127.0.0.1>"
    )
    assert mail.outbox[0].extra_headers["Message-ID"] == first.message_id
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@time_machine.travel(NOW, tick=False)
def test_alerts_not_yet_due_wait(owner):
    _alert(owner, "later").__class__.objects.filter(key="later").update(
        due_at=NOW + dt.timedelta(hours=1)
    )
    assert delivery.deliver_due() == 0
    assert delivery.next_due() == NOW + dt.timedelta(hours=1)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        assert delivery.deliver_due() == 1


@time_machine.travel(NOW, tick=False)
def test_a_claim_is_exclusive_until_its_lease_ends(owner, settings):
    settings.TELLY_ALERT_LEASE = 60
    _alert(owner, "a")
    _, claimed = delivery.claim(NOW)
    assert len(claimed) == 1
    assert delivery.claim(NOW + dt.timedelta(seconds=59))[1] == []  # another worker gets nothing
    assert delivery.next_due() == NOW + dt.timedelta(seconds=61)  # when to look again
    # The first worker died: after the lease the row is claimed again and sent once.
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert delivery.deliver_due() == 1
    assert len(mail.outbox) == 1
    assert Alert.objects.get().attempts == 2


@time_machine.travel(NOW, tick=False)
def test_an_smtp_failure_is_retried_later_then_given_up(owner, monkeypatch):
    _alert(owner, "a")

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    delivery.deliver_due()
    alert = Alert.objects.get()
    assert alert.status == AlertStatus.PENDING and alert.due_at > NOW and "gone" in alert.last_error
    Alert.objects.update(attempts=delivery.MAX_ATTEMPTS - 1, due_at=NOW)
    delivery.deliver_due()
    assert Alert.objects.get().status == AlertStatus.FAILED


@time_machine.travel(NOW, tick=False)
def test_users_who_switched_email_off_are_skipped_not_sent(owner):
    AlertSettings.objects.create(user=owner, email_enabled=False)
    _alert(owner, "a")
    assert delivery.deliver_due() == 1
    assert mail.outbox == [] and Alert.objects.get().status == AlertStatus.SKIPPED


@time_machine.travel(NOW, tick=False)
def test_a_digest_user_gets_one_message_for_the_day(owner):
    AlertSettings.objects.create(user=owner, cadence="digest")
    for key in "abc":
        _alert(owner, key)
    assert delivery.deliver_due() == 3
    [message] = mail.outbox
    assert message.subject == "Telly: 3 updates on what you follow"
    assert "Alert a" in message.body and "Alert c" in message.body
    assert message.extra_headers["Message-ID"].startswith("<digest.")
    assert len(set(Alert.objects.values_list("message_id", flat=True))) == 1
