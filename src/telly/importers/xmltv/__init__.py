"""XMLTV listings: ``parse`` streams a file into plain records, ``load`` writes them as
channels and airings, ``format`` plugs them into ``telly import``. See docs/listings.md."""

from telly.importers.formats import Format, register
from telly.importers.xmltv.format import run, sniff

register(Format("xmltv", sniff, run, "XMLTV listings (.xml or .xml.gz)"))
