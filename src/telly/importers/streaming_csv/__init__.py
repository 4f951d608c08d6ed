"""Streaming catalogue CSVs: which titles a service carries, in the layouts people publish.

- ``streaming-csv``: the ``netflix_titles.csv`` layout (show_id,type,title,director,cast,
  country,date_added,release_year,rating,duration,listed_in,description), and the 0/1 flags
  layout (Title,Year,...,Netflix,Hulu,Prime Video,Disney+,Type).
- ``justwatch-csv``: the JustWatch-derived ``titles.csv`` (id,title,type,...,seasons,imdb_id,...)
  and its ``credits.csv`` (person_id,id,name,character,role).

Catalogues do not say their region, so ``--region`` is required for title files; the service
comes from ``--provider`` or the file name (``amazon_prime_titles.csv`` → Prime Video).
"""

from telly.importers.formats import Format, register
from telly.importers.streaming_csv import justwatch, netflix

register(
    Format(
        "justwatch-csv",
        justwatch.sniff,
        justwatch.run,
        "JustWatch-derived titles.csv / credits.csv",
    )
)
register(
    Format(
        "streaming-csv",
        netflix.sniff,
        netflix.run,
        "netflix_titles.csv layout or 0/1 platform flags",
    )
)
