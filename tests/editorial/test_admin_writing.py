"""Editors write in the admin: a live preview of the cleaned words, link suggestions to accept
or reject, a revision for every change of words or state, scheduled publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from lxml import html as lxml_html

from telly.catalog.models import Title
from telly.editorial.models import Article, LinkSuggestion, Revision, Section, SuggestionTarget
from telly.streaming.models import Provider


@pytest.fixture
def editor_client(client: Client, editor) -> Client:
    client.force_login(editor)
    return client


def _form_values(client: Client, url: str) -> dict[str, str | list[str]]:
    page = lxml_html.fromstring(client.get(url).content)
    form = page.xpath('//form[@id="article_form"]')[0]
    values: dict[str, str | list[str]] = {}
    for name, value in form.form_values():
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values


def test_the_article_pages_of_the_admin_open(editor_client: Client, make_article) -> None:
    article = make_article("Open me")
    for url in (
        "/admin/editorial/article/",
        "/admin/editorial/article/add/",
        f"/admin/editorial/article/{article.pk}/change/",
        "/admin/editorial/promo/",
        "/admin/editorial/section/",
        "/admin/editorial/author/",
    ):
        assert editor_client.get(url).status_code == 200, url


def test_the_live_preview_shows_cleaned_words(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/editorial/article/preview/",
        {
            "headline": "Hello <b>there</b>",
            "body": "**Bold** <script>alert(1)</script>",
            "video_url": "https://youtu.be/dQw4w9WgXcQ",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in text and "<script>" not in text
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in text
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in text


def test_the_preview_warns_about_videos_it_will_not_embed(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/editorial/article/preview/", {"body": "", "video_url": "https://evil.example/v.mp4"}
    )
    assert "Only YouTube and Vimeo" in response.content.decode()


def test_readers_cannot_use_the_preview(client: Client, stranger) -> None:
    client.force_login(stranger)
    assert client.post("/admin/editorial/article/preview/", {"body": "x"}).status_code == 302


def test_saving_keeps_revisions_and_suggests_links_which_the_editor_accepts(
    editor_client: Client, drama: Section, critic, heartstopper: Title, netflix: Provider
) -> None:
    values = _form_values(editor_client, "/admin/editorial/article/add/")
    values.update(
        {
            "kind": "news",
            "section": str(drama.pk),
            "headline": "Heartstopper is back",
            "slug": "heartstopper-is-back",
            "standfirst": "Good news.",
            "body": "Kit Connor returns to Heartstopper on Netflix.",
            "state": "draft",
            "authors": [str(critic.pk)],
            "audio_type": "audio/mpeg",
        }
    )
    response = editor_client.post("/admin/editorial/article/add/", values)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="heartstopper-is-back")
    assert article.revisions.count() == 1
    suggested = {s.target: s for s in LinkSuggestion.objects.filter(article=article)}
    assert set(suggested) == {
        SuggestionTarget.TITLE,
        SuggestionTarget.PERSON,
        SuggestionTarget.PROVIDER,
    }

    # The change page lists the suggestions; the editor accepts two and rejects one.
    url = f"/admin/editorial/article/{article.pk}/change/"
    values = _form_values(editor_client, url)
    ids = {
        k: v for k, v in values.items() if k.startswith("link_suggestions-") and k.endswith("-id")
    }
    assert len(ids) == 3
    for key, pk in ids.items():
        prefix = key.removesuffix("-id")
        target = LinkSuggestion.objects.get(pk=pk).target
        values[f"{prefix}-state"] = (
            "rejected" if target == SuggestionTarget.PROVIDER else "accepted"
        )
    values["body"] = "Kit Connor returns to Heartstopper, streaming on Netflix."
    response = editor_client.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]

    article.refresh_from_db()
    assert [link.title for link in article.title_links.all()] == [heartstopper]
    assert [p.name for p in article.people.all()] == ["Kit Connor"]
    assert article.providers.count() == 0
    assert article.revisions.count() == 2
    assert article.revisions.first().body.endswith("streaming on Netflix.")
    assert LinkSuggestion.objects.filter(article=article, state="pending").count() == 0


def test_publish_now_publishes_and_a_future_time_schedules(
    editor_client: Client, make_article
) -> None:
    draft = make_article("Ready", state="draft", published_at=None)
    future = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    scheduled = make_article("Later", state="draft", published_at=future)
    response = editor_client.post(
        "/admin/editorial/article/",
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert draft.is_public()
    assert (
        scheduled.state == "published"
        and scheduled.published_at == future
        and not scheduled.is_public()
    )
    assert Revision.objects.filter(article=draft, note="published").exists()


def test_the_admin_refuses_a_video_from_another_host_and_a_rating_on_news(
    editor_client: Client, drama: Section
) -> None:
    values = _form_values(editor_client, "/admin/editorial/article/add/")
    values.update(
        {
            "kind": "news",
            "section": str(drama.pk),
            "headline": "Bad",
            "slug": "bad",
            "state": "draft",
            "video_url": "https://evil.example/x.mp4",
            "rating": "3",
            "audio_type": "audio/mpeg",
        }
    )
    response = editor_client.post("/admin/editorial/article/add/", values)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Only YouTube and Vimeo" in text and "Only reviews have a star rating" in text
    assert not Article.objects.filter(slug="bad").exists()


def test_a_section_cannot_take_a_reserved_word(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/editorial/section/add/",
        {"name": "Feed", "slug": "feed", "order": "1", "description": ""},
    )
    assert response.status_code == 200
    assert not Section.objects.filter(slug="feed").exists()


def test_a_lead_image_needs_alt_text(make_article) -> None:
    from django.core.exceptions import ValidationError

    article = make_article("Pictured", lead_image_url="https://img.example.org/a.jpg")
    with pytest.raises(ValidationError) as problem:
        article.full_clean()
    assert "lead_image_alt" in problem.value.message_dict
    article.lead_image_alt = "Two boys on a bus"
    article.full_clean()


def test_an_editor_can_see_what_changed_since_a_revision(
    editor_client: Client, make_article, editor
) -> None:
    article = make_article("Diffed", body="First line.\nSecond line.")
    revision = Revision.objects.create(
        article=article, editor=editor, state="draft", headline="Diffed", body=article.body
    )
    article.body = "First line.\nA better second line."
    article.save()
    response = editor_client.get(f"/admin/editorial/article/{article.pk}/revisions/{revision.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<span class="del">-Second line.</span>' in text
    assert '<span class="add">+A better second line.</span>' in text
    change_page = editor_client.get(
        f"/admin/editorial/article/{article.pk}/change/"
    ).content.decode()
    assert f"/admin/editorial/article/{article.pk}/revisions/{revision.pk}/" in change_page


def test_readers_cannot_see_revisions(client: Client, make_article, stranger) -> None:
    article = make_article("Private")
    revision = Revision.objects.create(
        article=article, state="draft", headline="x", body="secret words"
    )
    client.force_login(stranger)
    response = client.get(f"/admin/editorial/article/{article.pk}/revisions/{revision.pk}/")
    assert response.status_code == 302 and b"secret words" not in response.content
