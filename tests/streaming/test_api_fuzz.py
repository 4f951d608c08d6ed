"""Whatever a client sends, the streaming API answers with a result or a 4xx in the error
shape, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

ENDPOINTS = [
    "/api/v1/titles/{key}/availability",
    "/api/v1/providers/{key}",
    "/api/v1/providers/{key}/titles",
    "/api/v1/providers",
    "/api/v1/platforms",
    "/api/v1/streaming/new",
    "/api/v1/streaming/leaving",
]
text = st.text(max_size=12)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(ENDPOINTS),
    key=st.from_regex(r"[A-Za-z0-9\-]{1,25}", fullmatch=True),
    params=st.dictionaries(
        st.sampled_from(
            ["region", "at", "days", "limit", "offset", "year", "genre", "kind", "free", "provider"]
        ),
        text,
        max_size=4,
    ),
)
def test_no_input_makes_a_500(client, heartstopper_on_netflix, endpoint, key, params):
    answer = client.get(endpoint.format(key=key), params)
    assert answer.status_code < 500, (endpoint, key, params, answer.content[:300])
    if answer.status_code >= 400:
        assert set(answer.json()["error"]) == {"code", "message"}
