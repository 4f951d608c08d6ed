"""A user's configuration mistake stops start-up with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from telly.config import ConfigError, database_from_url, email_from_url

TELLY = str(Path(sys.executable).with_name("telly"))


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TELLY_DATABASE_URL", "nonsense"),
        ("TELLY_DEBUG", "maybe"),
        ("TELLY_DEFAULT_REGION", "XX"),
        ("TELLY_TIME_ZONE", "Mars/Olympus"),
        ("TELLY_EMAIL_URL", "pigeon://loft"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value):
    env = {**os.environ, "TELLY_DATA_DIR": str(tmp_path), variable: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([TELLY, "check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_database_urls_become_django_settings(tmp_path):
    sqlite = database_from_url("X", "sqlite:////var/lib/telly/db.sqlite3", tmp_path)
    assert sqlite["ENGINE"].endswith("sqlite3") and sqlite["NAME"] == "/var/lib/telly/db.sqlite3"
    pg = database_from_url(
        "X", "postgres://me:s%40cret@db.example:6543/guide?sslmode=require", tmp_path
    )
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "me",
        "s@cret",
        "db.example",
        "6543",
        "guide",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("X", "", tmp_path)["NAME"] == str(tmp_path / "telly.sqlite3")
    with pytest.raises(ConfigError, match="database name"):
        database_from_url("X", "postgres://host:5432/", tmp_path)


def test_email_urls_become_django_settings():
    smtp = email_from_url(
        "X", "smtps://user:pw@mail.example:465?from=Telly%20%3Cnews@example.org%3E"
    )
    mailer = smtp["MAILERS"]["default"]
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    options = mailer["OPTIONS"]
    assert options["use_ssl"] and not options["use_tls"]
    assert (options["host"], options["port"], options["username"], options["password"]) == (
        "mail.example",
        465,
        "user",
        "pw",
    )
    assert options["timeout"] == 20
    assert smtp["DEFAULT_FROM_EMAIL"] == "Telly <news@example.org>"
    submission = email_from_url("X", "submission://mail.example?timeout=5")["MAILERS"]["default"]
    assert submission["OPTIONS"]["use_tls"] and submission["OPTIONS"]["port"] == 587
    assert submission["OPTIONS"]["timeout"] == 5
    console = email_from_url("X", "console://")["MAILERS"]["default"]
    assert console["BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ConfigError, match="timeout"):
        email_from_url("X", "smtp://mail.example?timeout=soon")
