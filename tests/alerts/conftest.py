from tests.account_fixtures import (  # noqa: F401 (fixtures are found by name)
    _fresh_cache_and_no_pacing,
    bbc_one,
    netflix,
    owner_client,
    stranger_client,
)
