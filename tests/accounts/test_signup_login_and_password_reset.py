import re

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail

from telly import settings as production_settings


def test_production_hashes_passwords_with_argon2():
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signing_up_makes_an_account_with_a_profile_and_signs_in(client, db):
    response = client.post(
        "/account/signup/",
        {
            "username": "viewer",
            "email": "viewer@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="viewer")
    assert user.profile.region == "GB"
    assert client.get("/account/").status_code == 200


def test_signing_up_with_mismatched_passwords_is_a_400_with_a_message(client, db):
    response = client.post(
        "/account/signup/",
        {
            "username": "v",
            "email": "v@example.org",
            "password1": "a long pass phrase 42",
            "password2": "other",
        },
    )
    assert response.status_code == 400
    assert b"password" in response.content.lower()


def test_signing_up_twice_with_one_email_is_refused(client, owner):
    response = client.post(
        "/account/signup/",
        {
            "username": "again",
            "email": "OWNER@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 400
    assert b"already exists" in response.content


def test_logging_in_and_out(client, owner):
    response = client.post(
        "/account/login/", {"username": "owner", "password": "correct horse battery"}
    )
    assert (
        response.status_code == 302 and response["Location"] == django_settings.LOGIN_REDIRECT_URL
    )
    assert client.post("/account/logout/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_it_refuses_a_username_and_client_after_five_failures(client, owner, settings):
    settings.TELLY_LOGIN_ATTEMPTS = 5
    for _ in range(5):
        assert (
            client.post("/account/login/", {"username": "owner", "password": "wrong"}).status_code
            == 400
        )
    blocked = client.post(
        "/account/login/", {"username": "owner", "password": "correct horse battery"}
    )
    assert blocked.status_code == 429
    assert b"Too many failed attempts" in blocked.content
    # Another client address is not blocked by this one's failures.
    other = client.post(
        "/account/login/",
        {"username": "owner", "password": "correct horse battery"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def test_a_successful_login_clears_the_failures(client, owner, settings):
    settings.TELLY_LOGIN_ATTEMPTS = 3
    for _ in range(2):
        client.post("/account/login/", {"username": "owner", "password": "wrong"})
    assert (
        client.post(
            "/account/login/", {"username": "owner", "password": "correct horse battery"}
        ).status_code
        == 302
    )
    client.post("/account/logout/")
    for _ in range(2):
        client.post("/account/login/", {"username": "owner", "password": "wrong"})
    assert (
        client.post(
            "/account/login/", {"username": "owner", "password": "correct horse battery"}
        ).status_code
        == 302
    )


def test_password_reset_sends_a_link_that_sets_a_new_password(client, owner):
    assert (
        client.post("/account/password-reset/", {"email": "owner@example.org"}).status_code == 302
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Reset your" in message.subject
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    link = re.search(r"https?://[^/\s]+(/account/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new phrase 77", "new_password2": "brand new phrase 77"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("brand new phrase 77")
