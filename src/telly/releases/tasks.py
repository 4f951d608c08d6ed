"""Background work for releases, run by ``telly worker`` (tests run tasks at once)."""

from __future__ import annotations

from django.tasks import task

from telly.releases.estimates import refresh_titles


@task()
def refresh_release_estimates(title_ids: list[int]) -> int:
    """Mirror seasons, update status and re-estimate the next season of these series."""
    return refresh_titles(title_ids).estimated
