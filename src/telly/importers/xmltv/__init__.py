"""XMLTV listings: ``parse`` streams a file into plain records, ``load`` writes them as
channels and airings. See docs/listings.md."""
