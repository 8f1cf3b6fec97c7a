"""Where cicatext finds the files it ships: the JSON Schemas, the repository template, the seed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder of `<kind>.schema.json` files."""
    return _PACKAGE / "schemas"


def template_dir() -> Path:
    """The folder `cicatext init` copies into a new repository."""
    return _PACKAGE / "repo_template"


def seed_file() -> Path:
    """The CICA package of 14 June 2023 that the sample repository is built from."""
    return _PACKAGE / "seed" / "swg-739.txt"
