"""Demo editorial: a few short articles written for Telly (our own words), about demo titles,
with the facts (years, seasons, cast and characters, prices) read from ``../shared/data``.

Sections, authors, tags and promos are ours too. Titles are found by IMDb id, people by their
JustWatch id, providers by name; anything not loaded is skipped. Loading twice creates nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telly.catalog.models import ExternalId, Season
from telly.editorial.models import (
    Article,
    ArticleTitle,
    Author,
    Promo,
    Section,
    Tag,
)
from telly.streaming.models import Provider

TITLES = {  # imdb id -> JustWatch id, for the facts
    "heartstopper": ("tt10638036", "ts217231"),
    "wednesday": ("tt13443470", "ts274631"),
    "stranger_things": ("tt4574334", "ts38796"),
    "squid_game": ("tt10919420", "ts220305"),
    "sex_education": ("tt7767422", "ts82915"),
    "the_crown": ("tt4786824", "ts42069"),
    "bridgerton": ("tt8740790", "ts216679"),
}
EXTRA_TITLES = {"game_of_thrones": "tt0944947", "lost": "tt0411008"}

SECTIONS = [
    ("Drama", "drama", "Reviews, news and features about TV drama.", 10),
    ("Comedy", "comedy", "What's funny on TV and streaming.", 20),
    ("Reality", "reality", "Competitions, dating shows and fly-on-the-wall series.", 30),
    ("Documentaries", "documentaries", "True stories on screen.", 40),
    ("Films", "films", "New films and old favourites to stream.", 50),
    ("Streaming", "streaming", "Services, prices and what's arriving.", 60),
]
AUTHORS = [
    (
        "Priya Nair",
        "priya-nair",
        "TV critic",
        "Priya reviews drama and anything with a cliffhanger.",
    ),
    (
        "Tom Whitfield",
        "tom-whitfield",
        "News editor",
        "Tom follows the streaming services and what they charge.",
    ),
    ("Ada Okafor", "ada-okafor", "Podcast host", "Ada hosts the Telly podcast."),
]


def _facts(shared: Path) -> dict[str, Any]:
    wanted = {jw: key for key, (_, jw) in TITLES.items()}
    titles: dict[str, dict[str, Any]] = {}
    folder = shared / "justwatch_titles"
    with open(folder / "netflix_titles_2023.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["id"] in wanted:
                titles[wanted[row["id"]]] = {
                    "name": row["title"].strip(),
                    "year": int(row["release_year"]),
                    "seasons": int(float(row["seasons"] or 0)),
                    "cast": [],
                }
    with open(folder / "netflix_credits_2023.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            key = wanted.get(row["title_id"])
            if key and row["role"] == "ACTOR" and len(titles[key]["cast"]) < 4:
                titles[key]["cast"].append(
                    {
                        "justwatch": row["id"],
                        "name": row["name"].strip(),
                        "character": row["character"].strip(),
                    }
                )
    basic = []
    with open(shared / "uk_plans" / "plans_gb.csv", newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("provider") == "Netflix" and row.get("plan") == "Basic":
                basic.append(
                    {
                        "price": row["price"],
                        "valid_from": row["valid_from"],
                        "valid_to": row.get("valid_to", ""),
                    }
                )
    return {"titles": titles, "netflix_basic": sorted(basic, key=lambda p: p["valid_from"])}


def _cast_line(title: dict[str, Any], count: int = 2) -> str:
    return " and ".join(f"{c['name']} as {c['character']}" for c in title["cast"][:count])


def _articles(facts: dict[str, Any]) -> list[dict[str, Any]]:
    t = facts["titles"]
    hs, wed, st, sq, sex, crown, brid = (
        t[k]
        for k in (
            "heartstopper",
            "wednesday",
            "stranger_things",
            "squid_game",
            "sex_education",
            "the_crown",
            "bridgerton",
        )
    )
    prices = facts["netflix_basic"]
    price_lines = (
        "\n".join(f"- From {p['valid_from']}: £{p['price']} a month" for p in prices)
        or "- No price history in the guide yet."
    )
    first_price = prices[0]["price"] if prices else "?"
    return [
        {
            "slug": "heartstopper-review-gentle-and-brave",
            "kind": "review",
            "section": "drama",
            "headline": "Heartstopper review: gentle, funny and braver than it looks",
            "standfirst": f"The {hs['year']} series about two schoolboys falling for each other is the kindest thing on television, and that is its strength.",
            "body": (
                f"Plenty of teen dramas want you to feel grown-up. **{hs['name']}** wants you to feel seen. "
                f"{_cast_line(hs)} carry the show with an ease that makes the awkward bits the best bits.\n\n"
                "The cartoon leaves that flutter across the screen should be too sweet, and somehow they are not. "
                "The writing lets small moments breathe: a text message typed and deleted, a bus ride, a rugby match "
                "nobody actually cares about.\n\n"
                f"## Who to watch\n\nKeep an eye on {hs['cast'][2]['name']} as {hs['cast'][2]['character']}, "
                "who gets some of the sharpest lines in the whole run.\n\n"
                f"With {hs['seasons']} seasons in the guide, there is plenty to settle into on a quiet weekend."
            ),
            "rating": 4,
            "verdict": "Warm, well cast and quietly confident: comfort viewing with a backbone.",
            "published_at": "2026-10-02T08:00:00+00:00",
            "authors": ["priya-nair"],
            "tags": ["Coming of age", "Netflix"],
            "titles": [["heartstopper", 1]],
            "people": [c["justwatch"] for c in hs["cast"][:3]],
            "providers": ["Netflix"],
            "video_url": "",
        },
        {
            "slug": "netflix-basic-price-history-uk",
            "kind": "news",
            "section": "streaming",
            "headline": "What Netflix's cheapest UK plan has cost over the years",
            "standfirst": f"Basic started at £{first_price} a month. Here is every price change the guide knows about.",
            "body": (
                "Streaming prices creep up quietly, so we keep a history of every plan. "
                "These are the prices of Netflix's Basic plan in the UK as the guide records them:\n\n"
                f"{price_lines}\n\n"
                "You can compare every service's current prices on the [streaming page](/streaming/)."
            ),
            "published_at": "2026-10-20T07:30:00+00:00",
            "authors": ["tom-whitfield"],
            "tags": ["Prices", "Netflix"],
            "titles": [],
            "people": [],
            "providers": ["Netflix"],
        },
        {
            "slug": "five-dramas-to-stream-on-netflix",
            "kind": "list",
            "section": "drama",
            "headline": "Five dramas to stream on Netflix tonight",
            "standfirst": "From a royal household to a deadly playground game: five series that earn a long evening.",
            "body": (
                f"1. **{st['name']}** ({st['year']}): {_cast_line(st)} in a small town where the lights flicker for a reason. {st['seasons']} seasons.\n"
                f"2. **{crown['name']}** ({crown['year']}): a palace drama told decade by decade, {crown['seasons']} seasons long.\n"
                f"3. **{sex['name']}** ({sex['year']}): {_cast_line(sex)}; frank, funny and kind.\n"
                f"4. **{brid['name']}** ({brid['year']}): Regency gossip with modern music and a lot of corsetry.\n"
                f"5. **{sq['name']}** ({sq['year']}): {_cast_line(sq, 1)} in the survival thriller everyone talked about.\n"
            ),
            "published_at": "2026-11-06T18:00:00+00:00",
            "authors": ["priya-nair"],
            "tags": ["Netflix"],
            "titles": [
                ["stranger_things", None],
                ["the_crown", None],
                ["sex_education", None],
                ["bridgerton", None],
                ["squid_game", None],
            ],
            "people": [st["cast"][0]["justwatch"], sex["cast"][0]["justwatch"]],
            "providers": ["Netflix"],
        },
        {
            "slug": "from-lost-to-game-of-thrones",
            "kind": "feature",
            "section": "drama",
            "headline": "From Lost to Game of Thrones: when TV became an event",
            "standfirst": "Two series, seven years apart, taught a generation to watch together and argue afterwards.",
            "body": (
                "**Lost** arrived in 2004 with a plane crash and a mystery box. **Game of Thrones** followed in 2011 "
                "with a map and a very long family tree. Different worlds, same trick: make every episode something "
                "you had to see before work the next morning.\n\n"
                "> The best water-cooler shows give you a question, not an answer.\n\n"
                "Both built huge casts and both split their audiences at the end. Both are still worth a first watch, "
                "if you can avoid the spoilers."
            ),
            "published_at": "2026-11-12T12:00:00+00:00",
            "authors": ["tom-whitfield", "priya-nair"],
            "tags": ["Fantasy"],
            "titles": [["lost", None], ["game_of_thrones", None]],
            "people": [],
            "providers": [],
        },
        {
            "slug": "telly-podcast-wednesday-comedy-or-horror",
            "kind": "podcast",
            "section": "comedy",
            "headline": "Is Wednesday a comedy or a horror? (Telly podcast, episode 1)",
            "standfirst": f"We argue about genre, gothic jokes and {wed['cast'][0]['name']}'s deadpan stare.",
            "body": (
                f"In our first episode we take on **{wed['name']}** ({wed['year']}), with {_cast_line(wed)}. "
                "Is it a school comedy with monsters, or a monster story with homework?\n\n"
                "Also in this episode: how to spot a cliffhanger before it lands, and what we are watching next."
            ),
            "published_at": "2026-11-18T06:00:00+00:00",
            "authors": ["ada-okafor"],
            "tags": ["Fantasy"],
            "titles": [["wednesday", 1]],
            "people": [wed["cast"][0]["justwatch"], wed["cast"][1]["justwatch"]],
            "providers": ["Netflix"],
            "audio_url": "https://media.example.org/telly/podcast-001.mp3",
            "audio_size": 28_800_000,
            "duration": 1800,
            "episode_number": 1,
        },
        {
            "slug": "squid-game-review",
            "kind": "review",
            "section": "drama",
            "headline": "Squid Game review: a children's game with the stakes turned up",
            "standfirst": "Brutal, bright and compulsive. It deserves the fuss.",
            "body": (
                f"{_cast_line(sq, 1)} leads a series that turns playground games into a study of debt and desperation. "
                "The sets look like a toy box; what happens in them does not.\n\n"
                "It is violent, and it means it. Go in knowing that."
            ),
            "rating": 4,
            "verdict": "A sharp idea executed without mercy.",
            "published_at": "2026-11-20T09:00:00+00:00",
            "authors": ["priya-nair"],
            "tags": ["Netflix"],
            "titles": [["squid_game", 1]],
            "people": [sq["cast"][0]["justwatch"]],
            "providers": ["Netflix"],
        },
        {
            "slug": "winter-viewing-guide",
            "kind": "feature",
            "section": "drama",
            "state": "published",
            "headline": "Your winter viewing guide",
            "standfirst": "Long nights, long series: what to start when the clocks go back.",
            "body": f"Start with **{crown['name']}**, all {crown['seasons']} seasons of it, and work outwards.",
            "published_at": "2027-01-15T07:00:00+00:00",
            "authors": ["tom-whitfield"],
            "tags": [],
            "titles": [["the_crown", None]],
            "people": [],
            "providers": [],
        },
        {
            "slug": "bridgerton-draft",
            "kind": "news",
            "section": "drama",
            "state": "draft",
            "headline": "Draft: Bridgerton notes",
            "standfirst": "An unfinished draft: never shown to readers.",
            "body": f"Notes on **{brid['name']}** ({brid['year']}).",
            "published_at": None,
            "authors": ["tom-whitfield"],
            "tags": [],
            "titles": [["bridgerton", None]],
            "people": [],
            "providers": [],
        },
    ]


def build(shared: Path) -> dict[str, Any]:
    facts = _facts(shared)
    imdb = {key: ids[0] for key, ids in TITLES.items()} | EXTRA_TITLES
    return {
        "sections": [
            dict(zip(("name", "slug", "description", "order"), s, strict=True)) for s in SECTIONS
        ],
        "authors": [dict(zip(("name", "slug", "role", "bio"), a, strict=True)) for a in AUTHORS],
        "imdb": imdb,
        "articles": _articles(facts),
        "promos": [
            {
                "name": "Newsletter: the weekly pick",
                "kind": "newsletter",
                "placement": "home",
                "headline": "One show worth your evening, every Friday",
                "text": "Our editors' pick of the week, straight to your inbox. Free, and easy to leave.",
                "button_label": "Sign up",
                "url": "/newsletters/",
                "priority": 10,
            },
            {
                "name": "Newsletter in articles",
                "kind": "newsletter",
                "placement": "sidebar",
                "headline": "Never miss a new season",
                "text": "Get a short e-mail when the shows you follow come back.",
                "button_label": "Choose your shows",
                "url": "/newsletters/",
                "priority": 10,
            },
            {
                "name": "Magazine offer",
                "kind": "magazine",
                "placement": "article",
                "headline": "Read the guide on paper",
                "text": "Twelve issues of the Telly magazine for the price of six.",
                "button_label": "See the offer",
                "url": "/newsletters/",
                "priority": 20,
            },
        ],
    }


def load(data: dict[str, Any], log: Callable[[str], Any]) -> dict[str, int]:
    if not data:
        return {}
    counts = {"sections": 0, "authors": 0, "tags": 0, "articles": 0, "promos": 0}
    sections = {}
    for row in data["sections"]:
        sections[row["slug"]], created = Section.objects.get_or_create(
            slug=row["slug"], defaults=row
        )
        counts["sections"] += created
    authors = {}
    for row in data["authors"]:
        authors[row["slug"]], created = Author.objects.get_or_create(slug=row["slug"], defaults=row)
        counts["authors"] += created
    title_of = dict(
        ExternalId.objects.filter(
            scheme="imdb", value__in=data["imdb"].values(), title__isnull=False
        ).values_list("value", "title_id")
    )
    wanted_people = {pid for a in data["articles"] for pid in a["people"]}
    person_of = dict(
        ExternalId.objects.filter(
            scheme="justwatch", value__in=wanted_people, person__isnull=False
        ).values_list("value", "person_id")
    )
    provider_of = {p.name: p.pk for p in Provider.objects.all()}
    for row in data["articles"]:
        if Article.objects.filter(slug=row["slug"]).exists():
            continue
        published_at = (
            dt.datetime.fromisoformat(row["published_at"]) if row["published_at"] else None
        )
        article = Article.objects.create(
            slug=row["slug"],
            kind=row["kind"],
            section=sections[row["section"]],
            headline=row["headline"],
            standfirst=row["standfirst"],
            body=row["body"],
            state=row.get("state", "published"),
            published_at=published_at,
            updated_at=published_at or dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            created_at=published_at or dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            rating=row.get("rating"),
            verdict=row.get("verdict", ""),
            video_url=row.get("video_url", ""),
            audio_url=row.get("audio_url", ""),
            audio_size=row.get("audio_size"),
            duration=row.get("duration"),
            episode_number=row.get("episode_number"),
        )
        counts["articles"] += 1
        article.authors.set([authors[slug] for slug in row["authors"]])
        tags = []
        for name in row["tags"]:
            tag, created = Tag.objects.get_or_create(name=name)
            counts["tags"] += created
            tags.append(tag)
        article.tags.set(tags)
        for order, (key, season_number) in enumerate(row["titles"]):
            title_id = title_of.get(data["imdb"].get(key, ""))
            if title_id is None:
                continue
            season = (
                Season.objects.filter(title_id=title_id, number=season_number).first()
                if season_number
                else None
            )
            ArticleTitle.objects.create(
                article=article, title_id=title_id, season=season, order=order
            )
        article.people.set([person_of[p] for p in row["people"] if p in person_of])
        article.providers.set(
            [provider_of[name] for name in row["providers"] if name in provider_of]
        )
    for row in data["promos"]:
        _, created = Promo.objects.get_or_create(name=row["name"], defaults=row)
        counts["promos"] += created
    return counts
