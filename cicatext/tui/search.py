"""Search from the command palette: every paragraph of every document and every symbol, jumping to the hit.

The provider asks the app's `SearchIndex` (opened once, in a worker, after the
register is on screen; a large repository's is built by a process of its own,
and until it is ready the provider answers from a quick scan of the texts);
choosing a hit opens the reader at that paragraph.
A second provider offers the screens themselves as commands.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from cicatext.store.register.search import SearchHit
from cicatext.store.register.search_quick import quick_search


def hit_display(hit: SearchHit) -> Content:
    """One line for a hit: the symbol and paragraph in bold, then the snippet or title."""
    if hit.kind == "document":
        return Content.assemble((hit.symbol, "bold"), "  ", (hit.text, "$text-muted"))
    where = f"{hit.symbol} ¶{hit.label or hit.paragraph}"
    if hit.language and hit.language != "en":
        where += f" [{hit.language}]"
    return Content.assemble((where, "bold"), "  ", hit.text)


class SearchProvider(Provider):
    """Fuzzy search over paragraphs and symbols."""

    async def search(self, query: str) -> Hits:
        app = self.app
        index = getattr(app, "search_index", None)
        if index is None:
            # A quick answer, in a thread so that the screen does not wait for it.
            hits = await asyncio.to_thread(quick_search, app.repo, query, limit=25)
            yield Hit(0.01, Content("The search index is being built: these hits come from a quick scan, "
                                    "which forgives no typing errors."), lambda: None, text="index not ready")
        else:
            hits = index.search(query, limit=25)
        for hit in hits:
            yield Hit(
                score=max(hit.score / 100.0, 0.01),
                match_display=hit_display(hit),
                command=partial(app.open_search_hit, hit),
                text=f"{hit.symbol} {hit.paragraph or ''} {hit.text}",
                help=escape("open the document" if hit.kind == "document"
                            else f"paragraph {hit.paragraph}, line {hit.line}"),
            )

    async def discover(self) -> Hits:
        app = self.app
        for summary in list(getattr(app, "documents", ()))[:40]:
            yield DiscoveryHit(
                Content.assemble((summary.current_symbol, "bold"), "  ", (summary.title, "$text-muted")),
                partial(app.open_document, summary.slug),
                text=summary.current_symbol,
                help=escape(summary.title),
            )


SCREENS = (
    ("Register", "the list of documents", "register"),
    ("Validation", "every problem in the repository", "validation"),
    ("Delegations", "one delegation's brackets and positions", "delegations"),
    ("Coordinators and deadlines", "coordinators by dimension and area; what is due", "coordinators"),
    ("Round diff", "the bracket diff between two rounds, branches or commits", "diff"),
    ("Reload", "read the repository again after outside changes", "reload"),
    ("Help", "keys and colours", "help"),
)


class ScreensProvider(Provider):
    """The screens, as commands."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in SCREENS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)

    async def discover(self) -> Hits:
        for name, help_text, action in SCREENS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)
