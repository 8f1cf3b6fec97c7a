"""cicatext: negotiated texts as plain files in git.

The names in `__all__` are the public Python API for scripts over a cicatext
repository; docs/api.md shows them at work. They are loaded on first use, so
`import cicatext` stays as quick as the command line needs it to be.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own flag, without importing typing: every command starts here

__version__ = "0.1.0"

# Each public name and the module that owns it.
_PUBLIC = {
    "Repository": "cicatext.store.repository",
    "DocumentEntry": "cicatext.store.repository",
    "load_catalogue": "cicatext.store.register.catalogue",
    "DocumentSummary": "cicatext.store.register.catalogue",
    "text_at": "cicatext.store.register.texts",
    "document_text": "cicatext.store.register.texts",
    "DocumentText": "cicatext.store.register.texts",
    "read": "cicatext.notation.reader",
    "bracket_list": "cicatext.notation.views",
    "BracketInfo": "cicatext.notation.views",
    "clean_text": "cicatext.notation.views",
    "validate": "cicatext.store.validation.validate",
    "CicatextError": "cicatext.errors",
    "Problem": "cicatext.errors",
}

__all__ = [
    "BracketInfo",
    "CicatextError",
    "DocumentEntry",
    "DocumentSummary",
    "DocumentText",
    "Problem",
    "Repository",
    "bracket_list",
    "clean_text",
    "document_text",
    "load_catalogue",
    "read",
    "text_at",
    "validate",
]

if TYPE_CHECKING:
    from cicatext.errors import CicatextError, Problem
    from cicatext.notation.reader import read
    from cicatext.notation.views import BracketInfo, bracket_list, clean_text
    from cicatext.store.register.catalogue import DocumentSummary, load_catalogue
    from cicatext.store.register.texts import DocumentText, document_text, text_at
    from cicatext.store.repository import DocumentEntry, Repository
    from cicatext.store.validation.validate import validate


def __getattr__(name: str) -> object:
    """A public name, imported from its module the first time it is asked for."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'cicatext' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
