"""IMDb's non-commercial dataset files (title.basics, title.episode, title.ratings, name.basics,
title.principals), as ``.tsv`` or ``.tsv.gz``, one file or a directory of them."""

from telly.importers.formats import Format, register
from telly.importers.imdb.files import sniff
from telly.importers.imdb.run import keys_checked_at_end, run

register(
    Format(
        "imdb",
        sniff,
        run,
        "IMDb dataset TSVs (a file or a directory)",
        reads_directory=True,
        around=keys_checked_at_end,
    )
)
