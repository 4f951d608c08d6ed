from django.test import Client

from telly.accounts.models import Follow, WatchlistItem


def test_a_signed_out_visitor_sees_a_sign_in_link_on_title_pages(client, heartstopper):
    page = client.get(heartstopper.get_absolute_url())
    assert page.status_code == 200
    assert b"Sign in to follow" in page.content


def test_title_pages_show_follow_and_watchlist_buttons_first(owner_client, heartstopper):
    page = owner_client.get(heartstopper.get_absolute_url()).content.decode()
    assert "+ Follow" in page and "+ Watchlist" in page
    assert page.index("+ Follow") < page.index("Cast &amp; characters")


def test_following_without_javascript_redirects_back_with_the_button_on(
    owner_client, owner, heartstopper
):
    url = heartstopper.get_absolute_url()
    response = owner_client.post(
        f"/account/follow/title/{heartstopper.pk}/", {"action": "add", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert Follow.objects.filter(user=owner, title=heartstopper).count() == 1
    assert "✓ Following" in owner_client.get(url).content.decode()


def test_htmx_gets_just_the_buttons_back(owner_client, owner, heartstopper):
    response = owner_client.post(
        f"/account/watchlist/{heartstopper.pk}/", {"action": "add"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "✓ On my watchlist" in body
    assert WatchlistItem.objects.filter(user=owner, title=heartstopper).exists()
    owner_client.post(
        f"/account/watchlist/{heartstopper.pk}/", {"action": "remove"}, HTTP_HX_REQUEST="true"
    )
    assert not WatchlistItem.objects.filter(user=owner, title=heartstopper).exists()


def test_adding_twice_keeps_one_row(owner_client, owner, heartstopper):
    for _ in range(2):
        owner_client.post(f"/account/watchlist/{heartstopper.pk}/", {"action": "add"})
    assert WatchlistItem.objects.filter(user=owner).count() == 1


def test_following_a_person_from_their_page(owner_client, owner, heartstopper):
    person = heartstopper.credits.first().person
    assert "+ Follow" in owner_client.get(person.get_absolute_url()).content.decode()
    owner_client.post(f"/account/follow/person/{person.pk}/", {"action": "add"})
    assert Follow.objects.filter(user=owner, person=person).exists()


def test_buttons_need_csrf(owner, heartstopper):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert (
        client.post(f"/account/follow/title/{heartstopper.pk}/", {"action": "add"}).status_code
        == 403
    )
    assert not Follow.objects.exists()


def test_buttons_need_a_signed_in_user(client, heartstopper):
    response = client.post(f"/account/follow/title/{heartstopper.pk}/", {"action": "add"})
    assert response.status_code == 302 and response["Location"].startswith("/account/login/")
    assert not Follow.objects.exists()


def test_bad_input_is_a_4xx(owner_client, heartstopper):
    assert (
        owner_client.post(
            f"/account/follow/title/{heartstopper.pk}/", {"action": "explode"}
        ).status_code
        == 400
    )
    assert owner_client.post("/account/follow/title/999999/", {"action": "add"}).status_code == 404
    assert owner_client.get(f"/account/follow/title/{heartstopper.pk}/").status_code == 405


def test_an_outside_next_url_is_ignored(owner_client, heartstopper):
    response = owner_client.post(
        f"/account/follow/title/{heartstopper.pk}/",
        {"action": "add", "next": "https://evil.example/"},
    )
    assert response["Location"] == heartstopper.get_absolute_url()


def test_the_title_panel_costs_a_fixed_number_of_queries(
    owner_client, owner, heartstopper, count_queries
):
    from telly.catalog.models import Title

    url = heartstopper.get_absolute_url()
    owner_client.get(url)
    with count_queries as few:
        owner_client.get(url)
    for i in range(5):
        Follow.objects.create(user=owner, title=Title.objects.create(name=f"Other {i}"))
    with count_queries as more:
        owner_client.get(url)
    assert len(more) == len(few)
