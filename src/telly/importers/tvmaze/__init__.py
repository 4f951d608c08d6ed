"""TVmaze API JSON: shows (with embedded cast, seasons, episodes), search results, schedules
and web schedules, episodes by number or date, and recorded responses as JSON lines
(``{"uri", "status", "body"}``). ``telly sync tvmaze`` feeds live responses to the same code."""

from telly.importers.formats import Format, register
from telly.importers.tvmaze.documents import run, sniff

register(Format("tvmaze", sniff, run, "TVmaze API responses (JSON or JSON lines)"))
