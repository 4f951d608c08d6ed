"""Typed readers for TELLY_* environment variables.

Every setting comes from the environment. A bad value stops start-up with a message that names
the variable and says what would be accepted, instead of a traceback deep inside Django.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(Exception):
    """A TELLY_* variable holds a value Telly cannot use."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}")
        self.name = name


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(name, f"{raw!r} is not a boolean; use true or false")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(name, f"{value} is below the minimum of {minimum}")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(name, f"{raw!r} is not a number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_region(name: str, default: str) -> str:
    import pycountry

    value = env_str(name, default).upper()
    if pycountry.countries.get(alpha_2=value) is None:
        raise ConfigError(
            name, f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. GB, US, DE)"
        )
    return value


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            name, f"{value!r} is not an IANA time zone (e.g. Europe/London)"
        ) from None
    return value


def database_from_url(name: str, url: str, data_dir: Path) -> dict:
    """Turn ``sqlite:///path``, ``sqlite:///:memory:`` or ``postgres://user@host:port/db`` into
    a Django DATABASES entry.

    >>> database_from_url("X", "postgres://me@127.0.0.1:5432/test", Path("."))["NAME"]
    'test'
    """
    if not url:
        url = f"sqlite:///{data_dir / 'telly.sqlite3'}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc and parts.netloc != "":
            raise ConfigError(
                name, "a sqlite URL has three slashes: sqlite:///path/to/file.sqlite3"
            )
        path = path[1:] if path.startswith("//") else path
        if path in {"", "/"}:
            raise ConfigError(
                name, "a sqlite URL needs a file path: sqlite:///path/to/file.sqlite3"
            )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:" if path == "/:memory:" else path,
            "OPTIONS": {
                # WAL lets the web server read while the worker or an import writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ConfigError(
                name, "a postgres URL needs a database name: postgres://user@host:5432/telly"
            )
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(name, f"the port in {url!r} is not a number") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(
        name,
        f"{url!r} is not a database URL; use sqlite:///path/to/telly.sqlite3 or postgres://user@host:5432/dbname",
    )


def email_from_url(name: str, url: str) -> dict:
    """Email settings from ``smtp://user:pass@host:port``, ``smtps://...``, ``console://`` or
    ``locmem://`` (tests). ``?from=`` sets the sender address."""
    if not url:
        url = "console://"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    settings: dict = {}
    if "from" in query:
        settings["DEFAULT_FROM_EMAIL"] = query["from"]
    backends = "django.core.mail.backends"
    if scheme == "console":
        mailer: dict = {"BACKEND": f"{backends}.console.EmailBackend"}
    elif scheme == "locmem":
        mailer = {"BACKEND": f"{backends}.locmem.EmailBackend"}
    elif scheme in {"smtp", "smtps", "submission"}:
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(name, f"the port in {url!r} is not a number") from None
        timeout = query.get("timeout", "20")
        if not timeout.isdecimal() or int(timeout) == 0:
            raise ConfigError(name, f"timeout={timeout!r} in {url!r} is not a number of seconds")
        mailer = {
            "BACKEND": f"{backends}.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": port
                or (465 if scheme == "smtps" else 587 if scheme == "submission" else 25),
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": scheme == "smtps",
                "use_tls": scheme == "submission" or query.get("tls") == "true",
                "timeout": int(timeout),
            },
        }
    else:
        raise ConfigError(
            name,
            f"{url!r} is not an email URL; use smtp://host:25, smtps://user:pass@host:465 or console://",
        )
    settings["MAILERS"] = {"default": mailer}
    return settings


def secret_key(name: str, data_dir: Path) -> str:
    """TELLY_SECRET_KEY, or a random key kept in the data directory so a laptop install keeps
    its sessions across restarts without anyone having to invent a key."""
    value = env_str(name)
    if value:
        if len(value) < 20:
            raise ConfigError(name, "is too short; use at least 20 random characters")
        return value
    key_file = data_dir / "secret.key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
