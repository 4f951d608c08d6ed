from django.contrib.auth import get_user_model

from telly.accounts.models import Profile, profile_for


def test_it_makes_a_profile_when_a_user_is_created(owner):
    assert Profile.objects.filter(user=owner).exists()
    assert owner.profile.region == ""


def test_it_makes_a_profile_lazily_for_users_from_before_profiles(db):
    user = get_user_model().objects.create_user("old", "old@example.org", "pw-long-enough-1")
    Profile.objects.filter(user=user).delete()
    user = get_user_model().objects.get(pk=user.pk)
    profile = profile_for(user)
    assert profile.pk and profile.user_id == user.pk
    assert profile_for(user) == profile


def test_the_visitor_middleware_reads_the_profile_region_and_time_zone(owner, client):
    owner.profile.region = "US"
    owner.profile.time_zone = "America/New_York"
    owner.profile.save()
    client.force_login(owner)
    response = client.get("/account/")
    assert response.status_code == 200
    assert response.wsgi_request.region == "US"
    assert str(response.wsgi_request.tz) == "America/New_York"
