"""The bundled demo guide.

Each part (catalogue, streaming, listings, ...) is a module here with two functions:
``build(shared: Path) -> dict`` reads facts (never prose) from ``../shared/data`` and returns the
JSON that is committed as ``data/<part>.json.gz``; ``load(data: dict, log) -> dict`` upserts it
into the database and returns counts. ``telly builddemo`` runs every build, ``telly loaddemo``
every load, in the order below (later parts refer to earlier ones by external id or slug).
"""

PARTS = ["catalog", "streaming", "listings", "releases", "editorial", "newsletters"]
