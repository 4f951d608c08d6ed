"""The newsletters page, and the sign-up form placed on other pages."""

from __future__ import annotations

from django.template import RequestContext, Template
from django.test import RequestFactory


def test_the_newsletters_page_lists_public_lists_and_the_consent_wording(client, lists):
    lists["tonight"].is_public = False
    lists["tonight"].save()
    page = client.get("/newsletters/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "What&#x27;s new to stream this week" in body and "Drama" in body
    assert "list-tv-tonight" not in body and f'value="{lists["tonight"].pk}"' not in body
    assert "Send me the newsletters I ticked" in body
    assert 'href="/privacy/"' in body and 'href="/terms/"' in body
    assert 'name="source" value="/newsletters/"' in body


def test_the_template_tag_places_a_form_for_chosen_lists_on_any_page(lists):
    request = RequestFactory().get("/news/some-article/")
    request.region = "IE"
    html = Template(
        '{% load newsletters %}{% newsletter_signup lists="drama" heading="Love drama?" %}'
    ).render(RequestContext(request, {}))
    assert "Love drama?" in html
    assert f'value="{lists["drama"].pk}"' in html and f'value="{lists["weekly"].pk}"' not in html
    assert 'name="source" value="/news/some-article/"' in html
    assert '<option value="IE" selected>' in html
    assert 'action="/newsletters/signup/"' in html and "csrfmiddlewaretoken" in html


def test_the_title_page_offers_general_and_same_genre_lists(client, heartstopper, lists):
    page = client.get(heartstopper.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and "Never miss what" in body
    assert f'value="{lists["drama"].pk}"' in body  # Heartstopper is a drama
    assert 'id="nl-title-email"' in body


def test_a_title_page_has_no_form_when_there_are_no_lists(client, heartstopper):
    assert b"nl-signup" not in client.get(heartstopper.get_absolute_url()).content


def test_signing_up_with_htmx_swaps_in_a_message_in_place(client, lists):
    response = client.post(
        "/newsletters/signup/",
        {
            "email": "a@example.org",
            "newsletters": [lists["weekly"].pk],
            "region": "GB",
            "agree": "on",
            "wording_version": "2026-11",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Check your inbox" in response.content
    assert b"<html" not in response.content


def test_the_title_panel_costs_a_fixed_few_queries(rf, heartstopper, lists, count_queries):
    from telly.newsletters.panels import title_signup

    request = rf.get(heartstopper.get_absolute_url())
    request.region = "GB"
    with count_queries as queries:
        data = title_signup(request, heartstopper)
        Template("{% include 'newsletters/_title_panel.html' %}").render(
            RequestContext(request, {"data": data})
        )
    assert len(queries) <= 3


def test_with_htmx_a_mistake_shows_in_the_form_in_place(client, lists):
    response = client.post(
        "/newsletters/signup/",
        {
            "email": "nope",
            "newsletters": [lists["weekly"].pk],
            "region": "GB",
            "agree": "on",
            "wording_version": "2026-11",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert b"Enter a valid email address" in response.content and b"<html" not in response.content
