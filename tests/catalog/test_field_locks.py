"""An editor's correction in the admin stays corrected when feeds come back."""

import pytest

from telly.catalog.models import Title

pytestmark = pytest.mark.django_db


def _admin_form(title: Title, **changes: object) -> dict:
    data = {
        "kind": title.kind,
        "name": title.name,
        "original_name": title.original_name,
        "year": title.year or "",
        "end_year": "",
        "status": title.status,
        "runtime": title.runtime or "",
        "certification": title.certification,
        "countries": '["GB"]',
        "languages": "[]",
        "network": "",
        "genres": [g.pk for g in title.genres.all()],
        "popularity": title.popularity,
        "rating": "",
        "votes": 0,
        "image_url": "",
        "seasons-TOTAL_FORMS": 0,
        "seasons-INITIAL_FORMS": 0,
        "external_ids-TOTAL_FORMS": 0,
        "external_ids-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_a_field_edited_in_the_admin_is_locked_against_imports(client, editor, heartstopper):
    client.force_login(editor)
    response = client.post(
        f"/admin/catalog/title/{heartstopper.pk}/change/", _admin_form(heartstopper, year=2021)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    heartstopper.refresh_from_db()
    assert heartstopper.year == 2021
    assert "year" in heartstopper.locked_fields
    assert heartstopper.sources["year"] == "editor"
    changed = heartstopper.apply_source({"year": 2022, "runtime": 30}, "tmdb")
    assert changed == ["runtime"]
    assert heartstopper.year == 2021


def test_the_editor_can_unlock_a_field(client, editor, heartstopper):
    heartstopper.lock("year")
    heartstopper.save()
    client.force_login(editor)
    form = _admin_form(heartstopper, locked_fields=[])
    response = client.post(f"/admin/catalog/title/{heartstopper.pk}/change/", form)
    assert response.status_code == 302
    heartstopper.refresh_from_db()
    assert heartstopper.locked_fields == []
    assert heartstopper.apply_source({"year": 2023}, "tmdb") == ["year"]


def test_strangers_cannot_reach_the_admin(client, stranger, heartstopper):
    client.force_login(stranger)
    response = client.get(f"/admin/catalog/title/{heartstopper.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
