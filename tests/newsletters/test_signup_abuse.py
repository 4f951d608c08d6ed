"""Sign-up cannot be used to flood an address or the database, nor to learn who subscribes."""

from __future__ import annotations

from django.core import mail

from telly.newsletters.models import Subscriber, SubscriberStatus

from .conftest import sign_up


def test_every_valid_sign_up_gets_the_same_answer_whether_or_not_the_address_is_known(
    client, lists, reader
):
    unknown = sign_up(client, lists, email="someone-new@example.org")
    known = sign_up(client, lists, email="reader@example.org")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert client.get(unknown["Location"]).content == client.get(known["Location"]).content


def test_signing_up_a_confirmed_reader_again_sends_nothing_and_changes_nothing(
    client, lists, reader
):
    mail.outbox.clear()
    sign_up(client, lists, email="reader@example.org", region="US")
    assert mail.outbox == []
    reader.refresh_from_db()
    assert reader.region == "GB" and reader.status == SubscriberStatus.CONFIRMED


def test_too_many_sign_ups_for_one_address_send_no_more_mail(client, lists, settings):
    settings.TELLY_NEWSLETTER_CONFIRM_RESEND_HOURS = 0  # would resend every time, but for the limit
    for i in range(6):
        response = sign_up(client, lists, email="victim@example.org", remote=f"198.51.100.{i}")
        assert response.status_code == 302
    assert len(mail.outbox) == settings.TELLY_NEWSLETTER_SIGNUPS_PER_ADDRESS


def test_too_many_sign_ups_from_one_client_are_refused_with_429(client, lists, settings):
    settings.TELLY_NEWSLETTER_SIGNUPS_PER_CLIENT = 3
    codes = [sign_up(client, lists, email=f"n{i}@example.org").status_code for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Subscriber.objects.count() == 3
    # another client is unaffected
    assert (
        sign_up(client, lists, email="other@example.org", remote="203.0.113.9").status_code == 302
    )


def test_a_bot_filling_the_hidden_field_is_answered_like_anyone_but_ignored(client, lists):
    response = sign_up(client, lists, email="bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_bad_input_gets_400_with_messages_never_500(client, lists):
    assert sign_up(client, lists, email="not-an-address").status_code == 400
    assert sign_up(client, lists, chosen=()).status_code == 400
    response = sign_up(client, lists, agree="")
    # an unticked checkbox is simply absent from a real form post
    response = client.post(
        "/newsletters/signup/",
        {
            "email": "a@example.org",
            "newsletters": [lists["weekly"].pk],
            "region": "GB",
            "wording_version": "2026-11",
        },
    )
    assert response.status_code == 400 and b"Please tick the box" in response.content
    assert sign_up(client, lists, region="XX").status_code == 400
    assert sign_up(client, lists, wording_version="1999").status_code == 400
    assert client.post("/newsletters/signup/", {"newsletters": ["abc"]}).status_code == 400
    assert client.get("/newsletters/signup/").status_code == 405
    assert not Subscriber.objects.exists()
