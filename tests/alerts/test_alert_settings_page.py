from telly.alerts.models import AlertSettings


def test_switching_alerts_and_choosing_a_digest(owner_client, owner):
    page = owner_client.get("/feeds/")
    assert page.status_code == 200 and "calendar.ics" in page.content.decode()
    response = owner_client.post(
        "/feeds/",
        {"email_enabled": "on", "cadence": "digest", "digest_hour": "19", "on_leaving": "on"},
    )
    assert response.status_code == 302
    saved = AlertSettings.objects.get(user=owner)
    assert saved.cadence == "digest" and saved.digest_hour == 19
    assert saved.on_leaving and not saved.on_new_credit


def test_bad_settings_are_a_400(owner_client):
    assert (
        owner_client.post("/feeds/", {"cadence": "hourly", "digest_hour": "30"}).status_code == 400
    )


def test_an_apprise_url_needs_apprise_installed(owner_client, monkeypatch):
    from telly.alerts import delivery

    monkeypatch.setattr(delivery, "apprise", None)
    response = owner_client.post(
        "/feeds/", {"cadence": "instant", "digest_hour": "8", "apprise_url": "ntfy://topic"}
    )
    assert response.status_code == 400 and "not installed" in response.content.decode()


def test_my_alerts_over_the_api(client, owner, stranger):
    from telly.accounts.models import ApiToken
    from telly.alerts.models import Alert

    Alert.objects.create(user=owner, key="a", kind="new_credit", headline="Mine")
    Alert.objects.create(user=stranger, key="a", kind="new_credit", headline="Theirs")
    _, secret = ApiToken.issue(owner)
    response = client.get("/api/v1/me/alerts", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [a["headline"] for a in response.json()] == ["Mine"]
    assert (
        client.get("/api/v1/me/alerts?limit=0", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        == 400
    )
    assert client.get("/api/v1/me/alerts").status_code == 401
