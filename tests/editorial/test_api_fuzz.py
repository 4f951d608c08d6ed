"""Any text in any filter of /api/v1/articles answers 200 or a 4xx in the error shape, never
a 500 (hypothesis; marked fuzz, run by CI)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

values = st.one_of(
    st.text(max_size=40), st.integers(min_value=-(10**30), max_value=10**30).map(str)
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["section", "title", "person", "kind", "limit", "offset"]),
        values,
        max_size=4,
    ),
    slug=st.text(max_size=30),
)
def test_no_input_makes_the_articles_api_fail(
    client, make_article, params: dict[str, str], slug: str
) -> None:
    response = client.get(f"/api/v1/articles?{urlencode(params)}")
    assert response.status_code in (200, 400, 404, 422), (params, response.content[:300])
    if response.status_code != 200:
        assert set(response.json()["error"]) == {"code", "message"}
    from urllib.parse import quote

    detail = client.get(f"/api/v1/articles/{quote(slug, safe='')}")
    assert detail.status_code in (200, 404), (slug, detail.content[:300])
