"""`telly`: Django's manage.py for this project. Every command is `telly <command>`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
    from telly.config import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as error:
        print(f"telly: configuration error: {error}", file=sys.stderr)
        print(f"Fix {error.name} (see docs/configuration.md) and try again.", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
