"""Every id an ARIA attribute or a label points at is on the same page (screen readers announce
nothing for a dangling reference; axe-core reports it)."""

import re

import pytest
from django.test import Client

from telly.newsletters.models import Cadence, Newsletter

REFERENCES = re.compile(r'\s(?:aria-describedby|aria-labelledby|aria-controls|for)="([^"]+)"')
IDS = re.compile(r'\sid="([^"]+)"')


def _dangling(html: str) -> set[str]:
    ids = set(IDS.findall(html))
    wanted = {ref for refs in REFERENCES.findall(html) for ref in refs.split()}
    return wanted - ids


@pytest.mark.parametrize(
    "path",
    ["/", "/shows/heartstopper/", "/newsletters/", "/search/?q=heart", "/streaming/", "/calendar/"],
)
def test_no_page_points_at_a_missing_id(path, heartstopper, owner):
    Newsletter.objects.create(slug="weekly", name="Weekly", cadence=Cadence.WEEKLY, order=1)
    signed_in = Client()
    signed_in.force_login(owner)
    for client in (Client(), signed_in):
        response = client.get(path)
        assert response.status_code == 200
        assert _dangling(response.content.decode()) == set(), path


def test_the_check_finds_a_dangling_reference():
    assert _dangling('<input aria-describedby="gone x"><p id="x"></p>') == {"gone"}
