"""The docs keep up with the code: every setting, command, import format and endpoint is
documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "telly"
DOCS = ROOT / "docs"


def _doc(name: str) -> str:
    return (DOCS / name).read_text()


def test_every_setting_is_documented():
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"\"(TELLY_[A-Z0-9_]+)\"", path.read_text()))
    documented = set(re.findall(r"`(TELLY_[A-Z0-9_]+)`", _doc("configuration.md")))
    assert sorted(used - documented) == []


def test_every_command_is_documented():
    commands = {
        path.stem
        for path in SRC.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }
    documented = _doc("commands.md")
    assert sorted(c for c in commands if f"telly {c}" not in documented) == []


@pytest.mark.django_db
def test_every_endpoint_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    documented = _doc("api.md")
    missing = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if f"{method.upper()} {path}" not in documented:
                missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_every_import_format_is_documented():
    from telly.importers.formats import load_formats

    documented = _doc("importers.md")
    assert [name for name in load_formats() if f"`{name}`" not in documented] == []


def test_the_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    head = readme[: readme.index("## Configure")] if "## Configure" in readme else readme[:2000]
    assert "make run" in head and "make test" in head
