from telly.accounts.models import ApiToken, Follow


def test_revoking_someone_elses_token_is_not_found(stranger_client, owner):
    token, _ = ApiToken.issue(owner)
    assert stranger_client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_unfollowing_someone_elses_follow_is_not_found(stranger_client, owner, heartstopper):
    follow = Follow.objects.create(user=owner, title=heartstopper)
    assert stranger_client.post(f"/account/follows/{follow.pk}/delete/").status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_my_pages_need_a_signed_in_user(client, db):
    for path in (
        "/account/",
        "/account/profile/",
        "/account/watchlist/",
        "/account/follows/",
        "/account/progress/",
        "/account/calendar/",
        "/account/tokens/",
        "/account/export/",
        "/account/delete/",
        "/feeds/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/login/"), (
            path
        )


def test_profile_form_rejects_bad_region_and_time_zone(owner_client, owner):
    response = owner_client.post("/account/profile/", {"region": "XX", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "not a two-letter country code" in response.content.decode()
    assert "not a time zone" in response.content.decode()
    ok = owner_client.post("/account/profile/", {"region": "ie", "time_zone": "Europe/Dublin"})
    assert ok.status_code == 302
    owner.profile.refresh_from_db()
    assert (owner.profile.region, owner.profile.time_zone) == ("IE", "Europe/Dublin")


def test_profile_saves_my_services_devices_and_channels(owner_client, owner, netflix, bbc_one):
    from telly.streaming.models import Platform

    roku = Platform.objects.create(name="Roku", slug="roku")
    response = owner_client.post(
        "/account/profile/",
        {
            "region": "GB",
            "services": [netflix.pk],
            "platforms": [roku.pk],
            "channels": [bbc_one.pk],
        },
    )
    assert response.status_code == 302
    assert list(owner.profile.services.all()) == [netflix]
    assert list(owner.profile.platforms.all()) == [roku]
    assert list(owner.profile.channels.all()) == [bbc_one]
