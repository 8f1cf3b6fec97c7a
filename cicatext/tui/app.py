"""The cicatext terminal application: the App, its factory (used by the CLI and the tests) and `run_app`.

The App is given the repository; nothing reads one from a global. It opens on
the register at once, reads the catalogue in a worker (from its cache when
nothing changed; on a first start the rows come in as they are read), then
builds the search index and validates the repository in workers too, showing
a spinner in the status line while they run. A bad record or text never ends
the app: it shows as a problem.

Only what the register needs is imported before it is drawn: the other
screens, search and validation are imported when first used.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.binding import Binding
from textual.command import CommandPalette
from textual.worker import get_current_worker

from cicatext.errors import CicatextError, Problem
from cicatext.store.layout import DOCUMENTS_DIR, SETTINGS_FILE, document_folder
from cicatext.store.register.catalogue import (
    Catalogue,
    DocumentSummary,
    cached_catalogue,
    load_catalogue,
    load_paragraphs,
)
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralApp
from cicatext.tui.screens.register import RegisterScreen

if TYPE_CHECKING:
    from cicatext.store.register.search import SearchHit, SearchIndex

EditorLauncher = Callable[[Path, int], None]
THEMES = {"dark": "textual-dark", "light": "textual-light"}


def _search_provider():
    from cicatext.tui.search import SearchProvider

    return SearchProvider


def _screens_provider():
    from cicatext.tui.search import ScreensProvider

    return ScreensProvider


def _screens_of(stack, module: str, name: str) -> list:
    """The screens of one kind in a stack of screens.

    A kind's module is imported when its first screen is opened, so until
    then there is none, and asking does not import it.
    """
    kind = getattr(sys.modules.get(module), name, None)
    return [screen for screen in stack if kind is not None and isinstance(screen, kind)]


def _readers(stack) -> list:
    return _screens_of(stack, "cicatext.tui.screens.reader", "ReaderScreen")


def _validation_screens(stack) -> list:
    return _screens_of(stack, "cicatext.tui.screens.validation", "ValidationScreen")


_INDEX_POLL = 1.0
"""Seconds between looks at whether the search index file another process builds is ready."""

class CicatextApp(LiteralApp[int]):
    """Register, reader, history, diff, delegations, coordinators, validation and search over one repository."""

    CSS_PATH = "app.tcss"
    TITLE = "cicatext"
    COMMANDS = LiteralApp.COMMANDS | {_search_provider, _screens_provider}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("slash", "search", "Search", key_display="/"),
        # Shown in the help and the command palette; the footer keeps to each screen's own keys.
        Binding("v", "validation", "Problems", show=False),
        Binding("d", "delegations", "Delegations", show=False),
        Binding("c", "coordinators", "Coordinators", show=False),
        Binding("R", "diff", "Round diff", show=False),
        Binding("r", "reload", "Reload", show=False),
        Binding("t", "toggle_theme", "Theme", show=False),
    ]

    def __init__(self, repo: Repository, *, as_of: dt.date | None = None, validate_on_start: bool = True,
                 use_cache: bool = True, watch: bool = True, theme: str | None = None,
                 launch_editor: EditorLauncher | None = None) -> None:
        super().__init__()
        self.repo = repo
        """The repository shown."""
        self.as_of = as_of or dt.date.today()
        """The day deadlines are judged against."""
        self.validate_on_start = validate_on_start
        self.use_cache = use_cache
        self.watch_files = watch
        self.launch_editor: EditorLauncher = launch_editor or self._launch_editor
        self.catalogue: Catalogue | None = None
        """The register's rows and the problems met reading them, once loaded."""
        self.search_index: SearchIndex | None = None
        """The search index, once built."""
        self.problems: list[Problem] | None = None
        """Every problem validation found, once it has run."""
        self.running_work: dict[str, str] = {}
        """Work running in the background, by key, in words."""
        self.loaded = False
        """True once the register shows every document (perhaps as the cache last saw them)."""
        self.fresh = False
        """True once the register has been checked against the files on disk."""
        self._revalidate = False
        self._fingerprint: dict[str, tuple[int, int]] | None = None
        if theme:
            self.theme = THEMES.get(theme, theme)

    def get_default_screen(self) -> RegisterScreen:
        return RegisterScreen(self.repository_title)

    @property
    def repository_title(self) -> str:
        """How the repository is named in headers: its folder and organisation."""
        try:
            organisation = (self.repo.settings.get("organisation") or {}).get("code", "")
        except (CicatextError, AttributeError):
            organisation = ""
        name = self.repo.root.name
        return f"{organisation} · {name}" if organisation else name

    def on_mount(self) -> None:
        self.load_repository()
        if self.watch_files:
            self._fingerprint = self._disk_fingerprint()
            self.set_interval(2.0, self._check_disk)

    @property
    def register(self) -> RegisterScreen:
        """The register (the bottom screen)."""
        return self.screen_stack[0]  # type: ignore[return-value]

    @property
    def documents(self) -> tuple[DocumentSummary, ...]:
        """Every document's summary, once loaded."""
        return self.catalogue.documents if self.catalogue else ()

    def begin_work(self, key: str, words: str) -> None:
        """Say in the status line that something runs in the background."""
        self.running_work[key] = words
        self._refresh_status()

    def end_work(self, key: str) -> None:
        """That background work is done."""
        self.running_work.pop(key, None)
        self._refresh_status()

    def _refresh_status(self) -> None:
        from cicatext.tui.widgets.status import StatusLine

        for status in self.screen.query(StatusLine):
            status.refresh()

    def problem_summary(self) -> tuple[str, str]:
        """The problems in a few words for the status line, and their style."""
        if self.problems is not None:
            errors = sum(1 for p in self.problems if p.severity == "error")
            warnings = len(self.problems) - errors
            if not self.problems:
                return "✓ no problems", "$text-success"
            words = f"{errors} error{'s' if errors != 1 else ''}"
            if warnings:
                words += f", {warnings} warning{'s' if warnings != 1 else ''}"
            return f"⚠ {words} (v)", "$text-error" if errors else "$text-warning"
        if self.catalogue is not None and self.catalogue.problems:
            count = len(self.catalogue.problems)
            return f"⚠ {count} problem{'s' if count != 1 else ''} (v)", "$text-error"
        return "", ""

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load_repository(self) -> None:
        """Read the catalogue (the cached one first, then brought up to date); then index and validate."""
        self.call_from_thread(self.begin_work, "load", "reading the register")
        try:
            if self.use_cache and self.catalogue is None:
                cached = cached_catalogue(self.repo)
                if cached is not None:
                    # Show it, and let the register be drawn before checking it against the files.
                    drawn = threading.Event()
                    self.call_from_thread(self._catalogue_loaded, cached, final=False)
                    self.call_from_thread(self.call_after_refresh, drawn.set)
                    drawn.wait(timeout=2.0)
            catalogue = load_catalogue(
                self.repo, use_cache=self.use_cache,
                progress=lambda done, total, rows: self.call_from_thread(self._progress, done, total, rows))
        except Exception as error:  # noqa: BLE001 - the UI must survive anything a repository holds
            self.call_from_thread(self._failed, "reading the register", error)
            return
        finally:
            self.call_from_thread(self.end_work, "load")
        self.call_from_thread(self._catalogue_loaded, catalogue)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def build_index(self, catalogue: Catalogue) -> None:
        """Open the search index over every paragraph: the repository's index file, brought up to date."""
        from cicatext.store.register.search import SearchIndex, stored_index
        from cicatext.store.register.search_builder import start

        self.call_from_thread(self.begin_work, "index", "indexing for search")
        try:
            if self.use_cache:
                # A large repository's file is built by a process of its own; search answers quickly meanwhile.
                index = stored_index(self.repo)
                builder = None
                while index is None and not get_current_worker().is_cancelled:
                    if builder is None or builder.poll() is not None:  # poll() reaps one that ended
                        builder = start(self.repo)
                    time.sleep(_INDEX_POLL)
                    index = stored_index(self.repo)
                if index is None:
                    return
            else:
                index = SearchIndex(catalogue.documents, load_paragraphs(self.repo, use_cache=False))
        except Exception as error:  # noqa: BLE001
            self.call_from_thread(self._failed, "building the search index", error)
            return
        finally:
            self.call_from_thread(self.end_work, "index")
        self.call_from_thread(self._index_ready, index)

    def _progress(self, done: int, total: int, rows) -> None:
        if done < total:
            self.register.show_progress(done, total, rows)

    def _catalogue_loaded(self, catalogue: Catalogue, *, final: bool = True) -> None:
        self.catalogue = catalogue
        self.loaded = True
        self.fresh = final
        self.register.set_documents(catalogue.documents)
        if self.problems is None:
            for screen in _validation_screens(self.screen_stack):
                screen.set_problems(catalogue.problems, complete=False)
        self._refresh_status()
        if final:
            # After the register is drawn: indexing and validating compete with it for the interpreter.
            self.set_timer(0.2, lambda: self._after_load(catalogue))

    def _after_load(self, catalogue: Catalogue) -> None:
        self.read_registry()
        self.build_index(catalogue)
        if self.validate_on_start or self._revalidate:
            self._revalidate = False
            self.run_validation()

    @work(thread=True, exclusive=True, group="registry", exit_on_error=False)
    def read_registry(self) -> None:
        """Read the delegations' registry (the repository keeps it), which opening a document needs."""
        self.known_codes()

    def _index_ready(self, index: SearchIndex) -> None:
        self.search_index = index

    def _failed(self, what: str, error: BaseException) -> None:
        message = error.format() if isinstance(error, CicatextError) else f"{type(error).__name__}: {error}"
        self.notify(message, title=f"Problem {what}", severity="error", timeout=12)

    @work(thread=True, exclusive=True, group="validate", exit_on_error=False)
    def run_validation(self) -> None:
        """Validate the whole repository in the background."""
        from cicatext.store.validation.validate import validate

        self.call_from_thread(self.begin_work, "validate", "validating")
        try:
            problems = validate(self.repo)
        except Exception as error:  # noqa: BLE001
            self.call_from_thread(self._failed, "validating", error)
            return
        finally:
            self.call_from_thread(self.end_work, "validate")
        self.call_from_thread(self._validated, problems)

    def _validated(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        for screen in _validation_screens(self.screen_stack):
            screen.set_problems(self.problems, complete=True)
        self._refresh_status()

    async def action_reload(self) -> None:
        """Read everything again: after a `git pull`, an edit, a commit made elsewhere."""
        self.repo.refresh()
        self._revalidate = self.problems is not None or self.validate_on_start
        self.problems = None
        self.fresh = False
        self.load_repository()
        for screen in _readers(self.screen_stack):
            screen.reload()
        self._fingerprint = self._disk_fingerprint()
        self.notify("Reloaded from disk.", timeout=2)

    def _disk_fingerprint(self) -> dict[str, tuple[int, int]]:
        """Cheap signs of outside change: git's HEAD and branches, the documents folder, the open documents' files."""
        places = [self.repo.root / relative for relative in
                  (".git/HEAD", ".git/refs/heads", ".git/packed-refs", DOCUMENTS_DIR, SETTINGS_FILE)]
        for screen in _readers(self.screen_stack):
            places.extend((self.repo.root / document_folder(screen.document.slug)).glob("*"))
        signs = {}
        for path in places:
            try:
                stat = path.stat()
            except OSError:
                continue
            signs[str(path)] = (stat.st_mtime_ns, stat.st_size)
        return signs

    async def _check_disk(self) -> None:
        if self.running_work.keys() & {"commit", "load"}:
            return
        now = self._disk_fingerprint()
        before = self._fingerprint or {}
        self._fingerprint = now
        # Only a place seen both times can have changed; a newly opened document is not a change.
        if any(before[place] != sign for place, sign in now.items() if place in before):
            self.notify("The repository changed on disk; reading it again.", timeout=3)
            await self.action_reload()

    def state_names(self) -> dict[str, str]:
        """Delegation and group code → name in English, for the reader's side panel and the Delegations screen."""
        names: dict[str, str] = {}
        try:
            for code, record in self.repo.states.items():
                name = record.get("name")
                names[code] = str(name.get("en") if isinstance(name, Mapping) else name or code)
            for code, record in self.repo.groups.items():
                name = record.get("name")
                names[code] = str(name.get("en") if isinstance(name, Mapping) else name or code)
            names[self.repo.secretariat_code] = "Secretariat"
        except (CicatextError, AttributeError):
            pass
        return names

    def known_codes(self) -> frozenset[str] | None:
        """The codes attributions may name, or None when the registry cannot be read."""
        try:
            return self.repo.codes
        except CicatextError:
            return None

    def open_document(self, slug: str, *, paragraph: str | None = None, bracket: str | None = None,
                      language: str | None = None, delegation: str | None = None) -> None:
        """Open a document in the reader, at a paragraph or bracket when given."""
        from cicatext.store.register.texts import load_document
        from cicatext.tui.screens.reader import ReaderScreen

        codes = self.known_codes()
        document = load_document(self.repo, slug, codes)
        self.push_screen(ReaderScreen(self.repo, document, language=language, paragraph=paragraph,
                                      bracket=bracket, delegation=delegation, names=self.state_names(),
                                      codes=codes))

    def open_search_hit(self, hit: SearchHit) -> None:
        """Jump to a search hit: the document, at the paragraph found."""
        self.open_document(hit.slug, paragraph=hit.paragraph, language=hit.language)

    @on(RegisterScreen.Open)
    def _open_from_register(self, message: RegisterScreen.Open) -> None:
        self.open_document(message.summary.slug)

    @on(RegisterScreen.ShowHistory)
    def _history_from_register(self, message: RegisterScreen.ShowHistory) -> None:
        self.show_history(message.summary.slug)

    @on(RegisterScreen.ShowDiff)
    def _diff_from_register(self, message: RegisterScreen.ShowDiff) -> None:
        self.show_diff(message.summary.slug)

    # The reader's messages, by their handlers' names: the reader is imported when first opened.

    def on_reader_screen_show_history(self, message) -> None:
        self.show_history(message.slug)

    def on_reader_screen_show_diff(self, message) -> None:
        self.show_diff(message.slug)

    def on_reader_screen_changed(self, message) -> None:
        self._revalidate = self.problems is not None or self.validate_on_start
        self.problems = None
        self.load_repository()

    def show_history(self, slug: str) -> None:
        """A document's rounds in time, with its bracket count drawn."""
        from cicatext.tui.screens.history import HistoryScreen

        summary = self._summary(slug)
        self.push_screen(HistoryScreen(self.repo, summary))

    def show_diff(self, slug: str | None = None) -> None:
        """The bracket diff between two rounds, branches or commits (of one document, or all)."""
        from cicatext.tui.screens.diff import DiffScreen

        self.push_screen(DiffScreen(self.repo, self._summary(slug) if slug else None))

    def _summary(self, slug: str) -> DocumentSummary:
        # While a first start reads the folders, the register has the rows read so far.
        for summary in self.documents or self.register.documents:
            if summary.slug == slug:
                return summary
        return DocumentSummary(slug, slug, slug, "", "", "", 0, "", "", (), None, 0)

    def _top_screen_of(self, kind: type):
        for screen in self.screen_stack:
            if isinstance(screen, kind):
                return screen
        return None

    def _switch_to(self, screen) -> None:
        """Show a top-level screen, replacing another top-level one rather than piling them up."""
        while len(self.screen_stack) > 1 and not _readers([self.screen]) and \
                type(self.screen).__name__ in _TOP_LEVEL:
            self.pop_screen()
        self.push_screen(screen)

    def action_help(self) -> None:
        from cicatext.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(providers=[_search_provider],
                                            placeholder="Search paragraphs and symbols…"))

    def action_register(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_validation(self) -> None:
        from cicatext.tui.screens.validation import ValidationScreen

        if isinstance(self.screen, ValidationScreen):
            return
        if self.problems is not None:
            screen = ValidationScreen(self.repo, self.problems, complete=True)
        else:
            known = self.catalogue.problems if self.catalogue else ()
            screen = ValidationScreen(self.repo, known, complete=False)
            if not self.validate_on_start and "validate" not in self.running_work:
                self.run_validation()
        self._switch_to(screen)

    def action_delegations(self) -> None:
        from cicatext.tui.screens.delegations import DelegationsScreen

        if not isinstance(self.screen, DelegationsScreen):
            self._switch_to(DelegationsScreen(self.repo, self.documents, self.state_names()))

    def action_coordinators(self) -> None:
        from cicatext.tui.screens.coordinators import CoordinatorsScreen

        if not isinstance(self.screen, CoordinatorsScreen):
            self._switch_to(CoordinatorsScreen(self.repo, self.as_of))

    def action_diff(self) -> None:
        """The last round: its document from its previous round (or the commit before it) to it.

        With no round yet, every document's last two commits, as the diff screen starts by default.
        """
        from cicatext.store.negotiation.last_round import last_round
        from cicatext.tui.screens.diff import DiffScreen

        found = last_round(self.repo)
        if found is None:
            self.show_diff(None)
            self.notify("No round yet: comparing the last two commits.", timeout=4)
            return
        self.push_screen(DiffScreen(self.repo, self._summary(found.slug), ref_a=found.before, ref_b=found.tag))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def edit_file(self, relative: str, line: int = 1) -> None:
        """Open a repository file at a line in $VISUAL, $EDITOR, vi or nano, then read the repository again."""
        path = self.repo.root / relative
        try:
            self.launch_editor(path, line)
        except CicatextError as error:
            self.notify(error.format(), title="Cannot open the editor", severity="error")
            return
        self.call_later(self.action_reload)

    def _launch_editor(self, path: Path, line: int) -> None:
        from textual.app import SuspendNotSupported

        from cicatext.tui.editor import editor_command

        # Found before the terminal is handed over: a missing editor is a message, not a blank screen.
        command = editor_command(path, line)
        failure: OSError | None = None
        try:
            with self.suspend():
                try:
                    subprocess.call(command)
                except OSError as error:
                    # Caught inside, so that the terminal is always given back to the app.
                    failure = error
        except SuspendNotSupported:
            raise CicatextError("this terminal cannot hand over to an editor",
                                hint=f"open {path} at line {line} yourself") from None
        if failure is not None:
            raise CicatextError(f"the editor {command[0]!r} could not be started: {failure.strerror or failure}",
                                hint="set $EDITOR (or $VISUAL) to an editor that is installed")

_TOP_LEVEL = {"ValidationScreen", "DelegationsScreen", "CoordinatorsScreen", "DiffScreen", "HistoryScreen"}


def make_app(repo: Repository, **options) -> CicatextApp:
    """The application over a repository; the CLI and the tests build it here.

    Options: `as_of` (date deadlines are judged against), `validate_on_start`,
    `use_cache`, `watch` (poll the disk for outside changes), `theme`
    (`dark` or `light`), `launch_editor` (a callable taking path and line).
    """
    return CicatextApp(repo, **options)


def run_app(repo: Repository, **options) -> int:
    """Run the application in the terminal; the exit code."""
    app = make_app(repo, **options)
    # Workers read and index in threads; a shorter switch interval keeps the screen responsive meanwhile.
    sys.setswitchinterval(0.001)
    result = app.run()
    return int(result or 0)
