"""Where cicatext finds the files it ships: the JSON Schemas, the repository template, the sets of parties, the seed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder of `<kind>.schema.json` files."""
    return _PACKAGE / "schemas"


def template_dir() -> Path:
    """The folder `cicatext init` copies into a new repository."""
    return _PACKAGE / "repo_template"


def party_set_dir(name: str) -> Path:
    """The folder of a set of parties other than the template's own (`un`): settings, bodies, groups, state data."""
    return _PACKAGE / "registries" / name


def seed_file() -> Path:
    """The CICA package of 14 June 2023 that the sample repository is built from."""
    return _PACKAGE / "seed" / "swg-739.txt"
