"""My data over the API (token auth): watchlist, follows, calendar, progress.

Every endpoint needs ``Authorization: Bearer <token>`` (make one at /account/tokens/) and only
ever sees the token owner's rows: another user's follow id is answered with 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from telly.accounts import calendar, lists, progress
from telly.accounts.auth import bearer
from telly.accounts.models import Follow, WatchlistItem
from telly.api.errors import ERRORS, ApiError, Error
from telly.catalog.models import Episode, Person, Title

router = Router(tags=["my guide"], auth=bearer)
AUTH_ERRORS = {**ERRORS, 401: Error}


class TitleRef(Schema):
    id: int
    slug: str
    name: str
    kind: str
    year: int | None
    url: str


def _title(title: Title) -> dict:
    return {
        "id": title.pk,
        "slug": title.slug,
        "name": title.name,
        "kind": title.kind,
        "year": title.year,
        "url": title.get_absolute_url(),
    }


class WatchlistOut(Schema):
    title: TitleRef
    added_at: dt.datetime


class WatchlistIn(Schema):
    title_id: int


class PersonRef(Schema):
    id: int
    slug: str
    name: str
    url: str


class FollowOut(Schema):
    id: int
    title: TitleRef | None
    person: PersonRef | None
    created_at: dt.datetime


class FollowIn(Schema):
    title_id: int | None = None
    person_id: int | None = None


def _follow(follow: Follow) -> dict:
    person = follow.person
    return {
        "id": follow.pk,
        "title": _title(follow.title) if follow.title else None,
        "person": {
            "id": person.pk,
            "slug": person.slug,
            "name": person.name,
            "url": person.get_absolute_url(),
        }
        if person
        else None,
        "created_at": follow.created_at,
    }


@router.get(
    "/me/watchlist", response={200: list[WatchlistOut], **AUTH_ERRORS}, summary="My watchlist"
)
def my_watchlist(request: HttpRequest) -> list[dict]:
    items = WatchlistItem.objects.filter(user=request.auth).select_related("title")[:1000]
    return [{"title": _title(w.title), "added_at": w.added_at} for w in items]


@router.post(
    "/me/watchlist",
    response={201: WatchlistOut, **AUTH_ERRORS},
    summary="Add a title to my watchlist",
)
def add_to_watchlist(request: HttpRequest, body: WatchlistIn) -> Status:
    title = Title.objects.filter(pk=body.title_id).first()
    if title is None:
        raise ApiError(404, "not_found", f"No title with id {body.title_id}.")
    lists.set_watchlisted(request.auth, title, True)
    item = WatchlistItem.objects.get(user=request.auth, title=title)
    return Status(201, {"title": _title(title), "added_at": item.added_at})


@router.delete(
    "/me/watchlist/{title_id}",
    response={204: None, **AUTH_ERRORS},
    summary="Remove a title from my watchlist",
)
def remove_from_watchlist(request: HttpRequest, title_id: int) -> Status:
    deleted, _ = WatchlistItem.objects.filter(user=request.auth, title_id=title_id).delete()
    if not deleted:
        raise ApiError(404, "not_found", "That title is not on your watchlist.")
    return Status(204, None)


@router.get(
    "/me/follows",
    response={200: list[FollowOut], **AUTH_ERRORS},
    summary="Titles and people I follow",
)
def my_follows(request: HttpRequest) -> list[dict]:
    return [
        _follow(f)
        for f in Follow.objects.filter(user=request.auth).select_related("title", "person")[:1000]
    ]


@router.post(
    "/me/follows", response={201: FollowOut, **AUTH_ERRORS}, summary="Follow a title or a person"
)
def add_follow(request: HttpRequest, body: FollowIn) -> Status:
    if (body.title_id is None) == (body.person_id is None):
        raise ApiError(400, "bad_follow", "Give exactly one of title_id or person_id.")
    if body.title_id is not None:
        title = Title.objects.filter(pk=body.title_id).first()
        if title is None:
            raise ApiError(404, "not_found", f"No title with id {body.title_id}.")
        lists.set_following_title(request.auth, title, True)
        follow = Follow.objects.select_related("title").get(user=request.auth, title=title)
    else:
        person = Person.objects.filter(pk=body.person_id).first()
        if person is None:
            raise ApiError(404, "not_found", f"No person with id {body.person_id}.")
        lists.set_following_person(request.auth, person, True)
        follow = Follow.objects.select_related("person").get(user=request.auth, person=person)
    return Status(201, _follow(follow))


@router.delete(
    "/me/follows/{follow_id}", response={204: None, **AUTH_ERRORS}, summary="Stop following"
)
def remove_follow(request: HttpRequest, follow_id: int) -> Status:
    deleted, _ = Follow.objects.filter(user=request.auth, pk=follow_id).delete()
    if not deleted:
        raise ApiError(404, "not_found", "No such follow of yours.")
    return Status(204, None)


class WhereOut(Schema):
    name: str
    kind: str
    mine: bool


class CalendarEntryOut(Schema):
    uid: str
    kind: str
    title: TitleRef
    summary: str
    all_day: bool
    start: str
    end: str | None
    certainty: str
    window: str
    where: list[WhereOut]


class CalendarQuery(Schema):
    days: int = 30
    premieres: bool = False


@router.get(
    "/me/calendar", response={200: list[CalendarEntryOut], **AUTH_ERRORS}, summary="My calendar"
)
def my_calendar(request: HttpRequest, filters: Query[CalendarQuery]) -> list[dict]:
    if not 1 <= filters.days <= calendar.MAX_DAYS:
        raise ApiError(400, "bad_days", f"days must be from 1 to {calendar.MAX_DAYS}.")
    entries = calendar.entries_for(
        request.auth, days=filters.days, premieres_only=filters.premieres
    )
    return [
        {
            "uid": e.uid,
            "kind": e.kind,
            "title": _title(e.title),
            "summary": e.summary,
            "all_day": e.all_day,
            "start": e.start.isoformat(),
            "end": e.end.isoformat() if e.end else None,
            "certainty": e.certainty,
            "window": e.window,
            "where": [{"name": w.name, "kind": w.kind, "mine": w.mine} for w in e.where],
        }
        for e in entries
    ]


class EpisodeRef(Schema):
    id: int
    code: str
    name: str
    air_at: dt.datetime | None


class ProgressOut(Schema):
    title: TitleRef
    watched: int
    aired: int
    next_episode: EpisodeRef | None


class ProgressIn(Schema):
    episode_id: int | None = None
    title_id: int | None = None
    season: int | None = None
    watched: bool = True


class ProgressChanged(Schema):
    changed: int


@router.get(
    "/me/progress",
    response={200: list[ProgressOut], **AUTH_ERRORS},
    summary="Series I have started, and what is next",
)
def my_progress(request: HttpRequest) -> list[dict]:
    result = []
    for p in progress.progress_for(request.auth):
        e = p.next_episode
        result.append(
            {
                "title": _title(p.title),
                "watched": p.watched,
                "aired": p.aired,
                "next_episode": {"id": e.pk, "code": e.code, "name": e.name, "air_at": e.air_at}
                if e
                else None,
            }
        )
    return result


@router.post(
    "/me/progress",
    response={200: ProgressChanged, **AUTH_ERRORS},
    summary="Mark an episode, a season or a series watched (or not)",
)
def mark_progress(request: HttpRequest, body: ProgressIn) -> dict:
    if (body.episode_id is None) == (body.title_id is None):
        raise ApiError(400, "bad_progress", "Give episode_id, or title_id (and optionally season).")
    if body.episode_id is not None:
        episode = Episode.objects.filter(pk=body.episode_id).first()
        if episode is None:
            raise ApiError(404, "not_found", f"No episode with id {body.episode_id}.")
        episodes = [episode]
    else:
        title = Title.objects.filter(pk=body.title_id).first()
        if title is None:
            raise ApiError(404, "not_found", f"No title with id {body.title_id}.")
        if body.season is not None and not 0 <= body.season <= 1000:
            raise ApiError(400, "bad_season", "season must be a season number.")
        episodes = progress.episodes_to_mark(title, body.season)
    return {"changed": progress.mark_episodes(request.auth, episodes, watched=body.watched)}
