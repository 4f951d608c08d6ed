"""The magazine's sections on other pages: a title's and a person's latest coverage, and
"Latest from the magazine" on the home page. Each is one or two queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from telly.catalog.models import Person, Title
from telly.editorial import queries

PANEL_SIZE = 4


def title_coverage(request: HttpRequest, title: Title) -> dict[str, Any] | None:
    articles = queries.coverage_of_title(title, PANEL_SIZE)
    return {"articles": articles, "feed_slug": title.slug} if articles else None


def person_coverage(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    articles = queries.coverage_of_person(person, PANEL_SIZE)
    return {"articles": articles} if articles else None


def latest(request: HttpRequest, obj: None) -> dict[str, Any] | None:
    articles = list(queries.published()[:PANEL_SIZE])
    return {"articles": articles} if articles else None
