"""TMDB API JSON: TV and movie details, seasons and episodes, aggregate credits, watch
providers per region, provider lists and title lists (popular, search). Files are the API's
responses saved as they came; ``telly sync tmdb`` feeds live responses to the same code."""

from telly.importers.formats import Format, register
from telly.importers.tmdb.documents import run, sniff

register(Format("tmdb", sniff, run, "TMDB API responses (JSON)"))
