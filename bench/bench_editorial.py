"""Editorial: link suggestions for an article against a large catalogue, and the article page
and feed, each against a peer measured in the same run.

A child process builds a fresh SQLite guide with N titles and N people (default 100,000 each;
``TELLY_BENCH_EDITORIAL_TITLES`` for a quicker run), each person cast in a title with a
character, 300 published articles, then measures:

- ``suggest``: ``links.find_links`` on an ~800-word article naming 40 titles, people and
  characters; peer: the single indexed ``name_key IN (...)`` query over the same candidate keys
  (the floor any database lookup of those names pays). ``ratio`` = suggest / floor.
- ``article_page``: GET of an article page with four linked titles (where to watch, more like
  this, panels, JSON-LD); peer: the catalogue's own title page for one of those titles.
- ``feed``: GET ``/news/feed/`` (30 items); peer: the same article page.

Writes ``bench/results/editorial.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
RUNS = 15


def main() -> None:
    titles = int(os.environ.get("TELLY_BENCH_EDITORIAL_TITLES", "100000"))
    with tempfile.TemporaryDirectory(prefix="bench-editorial-") as data_dir:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "telly.settings",
            "TELLY_DATA_DIR": data_dir,
            "TELLY_SECRET_KEY": "bench-editorial-secret-key-0123456789-abcdefgh",
            "TELLY_TASKS_BACKEND": "dummy",
            "TELLY_EMAIL_URL": "locmem://",
            "TELLY_ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
        subprocess.run(
            [sys.executable, "-m", "telly", "migrate", "--noinput", "-v", "0"], env=env, check=True
        )
        subprocess.run(
            [sys.executable, "-m", "telly", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            check=True,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(titles)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "editorial.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


def _p50(fn, runs: int = RUNS) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def child(count: int) -> None:
    import datetime as dt
    import random

    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    from telly.catalog.models import Credit, Person, Title
    from telly.catalog.text import name_key
    from telly.editorial import links
    from telly.editorial.models import Article, ArticleTitle, Author, Section
    from telly.streaming.models import Offer, Provider

    rng = random.Random(9)
    words = ["Night", "River", "Crown", "Glass", "House", "Summer", "Winter", "Echo", "Harbour", "Storm",
             "Garden", "Signal", "Hollow", "Lantern", "Ember", "Atlas", "Willow", "Cipher", "Meadow", "Falcon"]  # fmt: skip
    first = [
        "Ada",
        "Ben",
        "Cleo",
        "Dev",
        "Esme",
        "Finn",
        "Gia",
        "Hal",
        "Iris",
        "Jude",
        "Kai",
        "Lena",
        "Milo",
        "Nia",
    ]
    last = [
        "Okafor",
        "Price",
        "Quinn",
        "Rossi",
        "Shah",
        "Tran",
        "Umar",
        "Vance",
        "Wong",
        "Xu",
        "Young",
        "Zed",
    ]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with transaction.atomic():
        Title.objects.bulk_create(
            [
                Title(
                    name=f"The {rng.choice(words)} {rng.choice(words)} {i}",
                    slug=f"t-{i}",
                    name_key=name_key(f"{words[i % 20]} {i}"),
                    year=1990 + i % 35,
                    popularity=rng.random() * 100,
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
        Person.objects.bulk_create(
            [
                Person(
                    name=f"{rng.choice(first)} {rng.choice(last)} {i}",
                    slug=f"p-{i}",
                    name_key=name_key(f"p {i}"),
                )
                for i in range(count)
            ],
            batch_size=5000,
        )
        title_ids = list(Title.objects.values_list("pk", flat=True))
        person_ids = list(Person.objects.values_list("pk", flat=True))
        Credit.objects.bulk_create(
            [
                Credit(title_id=t, person_id=p, character=f"Character {i}")
                for i, (t, p) in enumerate(zip(title_ids, person_ids, strict=True))
            ],
            batch_size=5000,
        )
        # Real names for the keys (bulk_create skips save()).
        for title in Title.objects.filter(pk__in=title_ids[:200]):
            title.save()
        for person in Person.objects.filter(pk__in=person_ids[:200]):
            person.save()
        netflix = Provider.objects.create(name="Netflix", slug="netflix")
        section = Section.objects.create(name="Drama", slug="drama")
        author = Author.objects.create(name="Bench Writer")
        named = list(Title.objects.filter(pk__in=title_ids[:20])) + list(
            Person.objects.filter(pk__in=person_ids[:10])
        )
        characters = [f"Character {i}" for i in range(10)]
        sentences = []
        for i in range(100):
            subject = named[i % len(named)].name if i % 3 else characters[i % 10]
            sentences.append(
                f"{subject} returns this winter on Netflix, and critics already love it."
            )
        body = " ".join(sentences)
        articles = []
        for i in range(300):
            articles.append(
                Article(
                    headline=f"Bench article {i}",
                    slug=f"bench-{i}",
                    section=section,
                    body=body,
                    state="published",
                    published_at=now - dt.timedelta(hours=i),
                )
            )
        Article.objects.bulk_create(articles)
        for article in Article.objects.all():
            article.authors.add(author)
            for order, title_id in enumerate(rng.sample(title_ids[:50], 4)):
                ArticleTitle.objects.create(article=article, title_id=title_id, order=order)
        for title_id in title_ids[:50]:
            Offer.objects.create(
                title_id=title_id, provider=netflix, region="GB", monetization="subscription"
            )

    text = f"Bench headline\n{body}"
    phrases = links.candidate_phrases(text)
    keys = list({name_key(p) for p in phrases if len(name_key(p)) >= links.MIN_KEY})
    suggest = _p50(lambda: links.find_links(text))
    floor = _p50(lambda: list(Title.objects.filter(name_key__in=keys).values_list("pk", flat=True)))
    found = len(links.find_links(text))

    client = Client()
    article = Article.objects.get(slug="bench-0")
    title = article.title_links.first().title
    article_page = _p50(lambda: client.get(article.get_absolute_url()))
    title_page = _p50(lambda: client.get(title.get_absolute_url()))
    feed = _p50(lambda: client.get("/news/feed/"))
    assert client.get(article.get_absolute_url()).status_code == 200
    print(
        json.dumps(
            {
                "titles": count,
                "people": count,
                "article_words": len(text.split()),
                "candidate_keys": len(keys),
                "suggestions_found": found,
                "suggest_p50_ms": suggest,
                "name_key_floor_p50_ms": floor,
                "suggest_ratio_to_floor": round(suggest / floor, 2) if floor else None,
                "article_page_p50_ms": article_page,
                "title_page_p50_ms": title_page,
                "article_page_ratio_to_title_page": round(article_page / title_page, 2)
                if title_page
                else None,
                "feed_p50_ms": feed,
                "feed_ratio_to_article_page": round(feed / article_page, 2)
                if article_page
                else None,
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT / "src"))
        child(int(sys.argv[2]))
    else:
        main()
