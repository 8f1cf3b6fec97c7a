"""The reader: one document's paragraphs with coloured brackets, bracket by bracket.

Toggle the bracketed and the clean text (`b`), show one delegation's brackets
only (`f`), jump from bracket to bracket (`n`/`N` or `]`/`[`), switch language
(`l`), show a second language beside the first, aligned by paragraph id
(`L`), and, for the secretariat, agree (`a`) or drop (`x`) the selected
bracket after a confirmation; that commits exactly as `cicatext agree` and
`cicatext drop` do. The side panel names the selected bracket's attributions
and the round that introduced it.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from cicatext.errors import CicatextError
from cicatext.notation.reader import Reading
from cicatext.notation.tree import Paragraph
from cicatext.notation.views import BracketInfo, bracket_list, locate
from cicatext.store.layout import document_text_path
from cicatext.store.register.texts import OpenDocument, load_document
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen
from cicatext.tui.screens.dialogs import ConfirmAction, PickOne
from cicatext.tui.widgets.bracket_panel import BracketPanel
from cicatext.tui.widgets.bracketed import STANCE_KIND, bracket_kind, grouped_brackets
from cicatext.tui.widgets.document_view import DocumentView
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.parallel_view import ParallelView
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar


class ReaderScreen(LiteralScreen):
    """One document, paragraph by paragraph, bracket by bracket."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("n,right_square_bracket", "next_bracket", "Next [", key_display="n"),
        Binding("N,left_square_bracket", "previous_bracket", "Prev [", key_display="N"),
        Binding("j,down", "next_paragraph", "Down", show=False),
        Binding("k,up", "previous_paragraph", "Up", show=False),
        Binding("b", "toggle_clean", "Clean/bracketed"),
        Binding("f", "filter", "Delegation"),
        Binding("F", "clear_filter", "All", show=False),
        Binding("l", "language", "Language"),
        Binding("L", "parallel", "Side by side", show=False),
        Binding("a", "agree", "Agree"),
        Binding("x", "drop", "Drop"),
        Binding("h", "history", "History", show=False),
        Binding("D", "diff", "Diff", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("q,escape", "back", "Back"),
    ]

    class ShowHistory(Message):
        """Show this document's history."""

        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    class ShowDiff(Message):
        """Show this document's differences between rounds."""

        def __init__(self, slug: str) -> None:
            super().__init__()
            self.slug = slug

    class Changed(Message):
        """The document was changed by a commit made here."""

        def __init__(self, slug: str, commit: str) -> None:
            super().__init__()
            self.slug = slug
            self.commit = commit

    def __init__(self, repo: Repository, document: OpenDocument, *, language: str | None = None,
                 bracket: str | None = None, paragraph: str | None = None, delegation: str | None = None,
                 names: Mapping[str, str] | None = None, codes=None) -> None:
        super().__init__()
        self.repo = repo
        self.document = document
        """The document shown."""
        languages = document.languages
        self.language = language if language in languages else (languages[0] if languages else "en")
        """The language shown."""
        self.clean = False
        """True while the clean (agreed) text is shown."""
        self.parallel: str | None = None
        """The language shown beside the reader's language, or None when one language is shown."""
        self.delegation = delegation
        """The delegation whose brackets alone are shown, or None for all."""
        self.selected: str | None = None
        """The id of the selected bracket."""
        self.current = 0
        """The index of the current paragraph."""
        self.names = dict(names or {})
        self.codes = codes
        self._start_bracket = bracket
        self._start_paragraph = paragraph
        self._brackets: list[BracketInfo] = []
        self._origins: dict[tuple[str, str], str] = {}
        self._authors = None
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.banner = Static("", id="reader-problems", markup=False)
        self.empty = Static("", id="reader-empty", markup=False)
        self._view = DocumentView(id="reader-text")
        self._parallel_view = ParallelView(id="reader-parallel")
        self._parallel_view.display = False
        self.panel = BracketPanel(id="reader-panel")
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield self.banner
        with Horizontal(id="reader-body"):
            with Vertical(id="reader-main"):
                yield self.empty
                yield self._view
                yield self._parallel_view
            yield self.panel
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.document.symbol
        self._show_language()
        if self._start_bracket and any(b.id == self._start_bracket for b in self.visible_brackets):
            self.select(self._start_bracket)
        elif self._start_paragraph:
            for index, paragraph in enumerate(self.paragraphs):
                if paragraph.id == self._start_paragraph:
                    self.move_to_paragraph(index)
                    break
        elif self.delegation and self.visible_brackets:
            self.select(self.visible_brackets[0].id)
        self.view.focus()

    @property
    def reading(self) -> Reading | None:
        """The reading of the language shown."""
        return self.document.readings.get(self.language)

    @property
    def view(self) -> DocumentView:
        """The widget showing the text: the single text, or the two languages side by side."""
        return self._parallel_view if self.parallel else self._view

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs of the text shown, in order."""
        reading = self.reading
        return list(reading.draft.paragraphs) if reading is not None else []

    @property
    def shown_paragraphs(self) -> list[str]:
        """The ids of the paragraphs on the page (the filter and the clean text leave some out)."""
        paragraphs = self.paragraphs
        return [paragraphs[index].id for index in self.view.shown]

    @property
    def current_paragraph(self) -> Paragraph | None:
        """The current paragraph."""
        paragraphs = self.paragraphs
        return paragraphs[self.current] if 0 <= self.current < len(paragraphs) else None

    def _show_language(self) -> None:
        reading = self.reading
        self.sub_title = self.document.title(self.language) or self.document.slug
        banner = self.banner
        problems = [p for p in self.document.problems if p.severity == "error"]
        if problems:
            first = problems[0]
            more = f" (and {len(problems) - 1} more: press v)" if len(problems) > 1 else " (press v for all problems)"
            banner.update(f"⚠ {first.headline()}{more}")
            banner.display = True
        else:
            banner.display = False
        empty = self.empty
        if reading is None:
            self._brackets = []
            empty.update("This document has no text" + (f" in {self.language}" if self.document.readings else "")
                         + " (earlier revisions may be known by symbol, sponsor and date only).")
            empty.display = True
            self.view.set_paragraphs([])
        else:
            empty.display = False
            self._brackets = bracket_list(reading.draft, self.repo.bracket_kinds)
            other = self.document.readings.get(self.parallel) if self.parallel else None
            if self.parallel and other is None:
                # The other language's text is gone (read again after a change): one language again.
                self.parallel = None
                self._view.display, self._parallel_view.display = True, False
                self.remove_class("-parallel")
            if other is not None:
                self._parallel_view.set_languages(reading.draft.paragraphs, other.draft.paragraphs,
                                                  self.language, self.parallel,
                                                  awaiting=self.document.awaiting(self.parallel))
            else:
                self.view.set_paragraphs(reading.draft.paragraphs)
        self.current = min(self.current, max(len(self.paragraphs) - 1, 0))
        if self.selected and not any(b.id == self.selected for b in self.visible_brackets):
            self.selected = None
        self._redraw()

    @property
    def brackets(self) -> list[BracketInfo]:
        """Every bracket of the text shown, in document order."""
        return self._brackets

    @property
    def visible_brackets(self) -> list[BracketInfo]:
        """The brackets the filter leaves (all of them without a filter)."""
        if self.delegation is None:
            return list(self._brackets)
        return [b for b in self._brackets if any(a.code == self.delegation for a in b.attributions)]

    @property
    def selected_info(self) -> BracketInfo | None:
        """The selected bracket, if any."""
        for info in self._brackets:
            if info.id == self.selected:
                return info
        return None

    def _redraw(self) -> None:
        hidden: set[int] = set()
        if self.delegation is not None and not self.clean:
            visible_paragraphs = {b.paragraph for b in self.visible_brackets}
            hidden = {i for i, p in enumerate(self.paragraphs) if p.id not in visible_paragraphs}
        self.view.show(clean=self.clean, selected=None if self.clean else self.selected,
                       delegation=self.delegation, current=self.current, hidden=hidden)
        self._update_panel()
        self._say()

    def _say(self) -> None:
        if self.parallel:
            language = f"{self.language} beside {self.parallel}"
        else:
            language = self.language + (f" (of {', '.join(self.document.languages)})"
                                        if len(self.document.languages) > 1 else "")
        parts = [self.document.symbol, language]
        parts.append("clean text" if self.clean else "bracketed")
        if self.delegation:
            parts.append(f"only {self.delegation}")
        visible = self.visible_brackets
        if self.selected and not self.clean:
            position = next((i for i, b in enumerate(visible, 1) if b.id == self.selected), 0)
            parts.append(f"bracket {position} of {len(visible)}")
        else:
            parts.append(f"{len(visible)} bracket{'' if len(visible) == 1 else 's'}")
        if self.current_paragraph is not None:
            parts.append(f"¶ {self.current_paragraph.id}")
        self.status.say(" · ".join(parts))

    def _update_panel(self) -> None:
        panel = self.panel
        info = self.selected_info
        if info is None or self.clean:
            note = "Clean text: only what is agreed." if self.clean else ""
            if self.delegation:
                note += f"\nShowing only {self.delegation}'s brackets (F: all)."
            panel.show(None, note=note.strip())
            return
        kind = "plain"
        reading = self.reading
        if reading is not None:
            try:
                paragraph, bracket, _ = locate(reading.draft, info.id)
                kind = bracket_kind(bracket, id(bracket) in grouped_brackets(paragraph), self.repo.bracket_kinds)
                if bracket.continues and info.attributions:
                    kind = STANCE_KIND[info.attributions[0].stance]  # a spanning bracket's, where it ends
            except CicatextError:
                pass
        origin = self._origins.get((self.language, info.id))
        panel.show(info, kind=kind, names=self.names, origin=origin)
        if origin is None:
            self._find_origin(info)

    @work(thread=True, exclusive=True, group="origin", exit_on_error=False)
    def _find_origin(self, info: BracketInfo) -> None:
        try:
            if self._authors is None:
                from cicatext.store.trust.verify import Authorship

                self._authors = Authorship(self.repo)
            text = bracket_origin_text(self.repo, self.document.slug, self.language, info, self.reading,
                                       authors=self._authors)
        except CicatextError as error:
            text = f"unknown ({error.message})"
        self.app.call_from_thread(self._origin_found, self.language, info.id, text)

    def _origin_found(self, language: str, bracket_id: str, text: str) -> None:
        self._origins[(language, bracket_id)] = text
        if self.selected == bracket_id and language == self.language:
            self._update_panel()

    def select(self, bracket_id: str | None) -> None:
        """Select a bracket and bring it into view."""
        self.selected = bracket_id
        info = self.selected_info
        index = None
        if info is not None:
            for number, paragraph in enumerate(self.paragraphs):
                if paragraph.id == info.paragraph:
                    index = self.current = number
                    break
        self._redraw()
        if index is not None:
            start = next((b.start for b in self.view.brackets_of(index) if b.id == bracket_id), 0)
            self.call_after_refresh(self.view.bring_into_view, index, offset=start, center=True)

    def move_to_paragraph(self, index: int) -> None:
        """Make a paragraph the current one and bring it into view."""
        if not self.paragraphs:
            return
        self.current = max(0, min(len(self.paragraphs) - 1, index))
        self._redraw()
        self.call_after_refresh(self.view.bring_into_view, self.current)

    def _step_bracket(self, delta: int) -> None:
        if self.clean:
            self.clean = False
        visible = self.visible_brackets
        if not visible:
            self.notify("No brackets here" + (f" for {self.delegation}" if self.delegation else ""),
                        severity="information")
            self._redraw()
            return
        ids = [b.id for b in visible]
        if self.selected in ids:
            position = (ids.index(self.selected) + delta) % len(ids)
        else:
            # Start from the current paragraph.
            order = {p.id: i for i, p in enumerate(self.paragraphs)}
            after = [i for i, b in enumerate(visible) if order.get(b.paragraph, 0) >= self.current]
            before = [i for i, b in enumerate(visible) if order.get(b.paragraph, 0) <= self.current]
            if delta > 0:
                position = after[0] if after else 0
            else:
                position = before[-1] if before else len(ids) - 1
        self.select(ids[position])

    def action_next_bracket(self) -> None:
        self._step_bracket(1)

    def action_previous_bracket(self) -> None:
        self._step_bracket(-1)

    def _step_paragraph(self, delta: int) -> None:
        shown = self.view.shown
        if not shown:
            return
        if delta > 0:
            following = [i for i in shown if i > self.current]
            target = following[0] if following else shown[-1]
        else:
            preceding = [i for i in shown if i < self.current]
            target = preceding[-1] if preceding else shown[0]
        self.move_to_paragraph(target)

    def action_next_paragraph(self) -> None:
        self._step_paragraph(1)

    def action_previous_paragraph(self) -> None:
        self._step_paragraph(-1)

    @on(DocumentView.ParagraphClicked)
    def _paragraph_clicked(self, event: DocumentView.ParagraphClicked) -> None:
        paragraph = self.paragraphs[event.index]
        ids = [b.id for b in self.visible_brackets if b.paragraph == paragraph.id]
        self.current = event.index
        if ids and not self.clean:
            self.selected = ids[(ids.index(self.selected) + 1) % len(ids)] if self.selected in ids else ids[0]
        self._redraw()

    def action_toggle_clean(self) -> None:
        self.clean = not self.clean
        self._redraw()

    def action_filter(self) -> None:
        counts: dict[str, int] = {}
        for info in self._brackets:
            for code in {a.code for a in info.attributions}:
                counts[code] = counts.get(code, 0) + 1
        if not counts:
            self.notify("No bracket in this text carries an attribution.")
            return
        choices = [("", f"All delegations ({len(self._brackets)} brackets)")]
        for code in sorted(counts):
            name = self.names.get(code)
            label = f"{code}" + (f" · {name}" if name and name != code else "") + f" ({counts[code]})"
            choices.append((code, label))
        self.app.push_screen(PickOne("Show one delegation's brackets", choices, current=self.delegation or ""),
                             callback=self._filter_chosen)

    def _filter_chosen(self, code: str | None) -> None:
        if code is None:
            return
        self.set_delegation(code or None)

    def set_delegation(self, code: str | None) -> None:
        """Show only this delegation's brackets (None: all)."""
        self.delegation = code
        if self.selected and not any(b.id == self.selected for b in self.visible_brackets):
            self.selected = None
        if code and self.visible_brackets and self.selected is None:
            self.select(self.visible_brackets[0].id)
            return
        self._redraw()

    def action_clear_filter(self) -> None:
        self.set_delegation(None)

    def action_language(self) -> None:
        languages = self.document.languages
        if len(languages) < 2:
            self.notify(f"{self.document.symbol} has a text in {self.language} only.")
            return
        self.set_language(languages[(languages.index(self.language) + 1) % len(languages)])

    def action_parallel(self) -> None:
        languages = self.document.languages
        if self.parallel is None and len(languages) < 2:
            self.notify(f"{self.document.symbol} has a text in {self.language} only.")
            return
        if self.parallel is None:
            others = [lang for lang in languages if lang != self.language]
            self.set_parallel(others[0])
        else:
            self.set_parallel(None)

    def set_parallel(self, language: str | None) -> None:
        """Show `language` beside the reader's language, aligned by paragraph id (None: one language again)."""
        if language == self.language or (language is not None and language not in self.document.readings):
            language = None
        paragraph_id = self.current_paragraph.id if self.current_paragraph else None
        had_focus = self.view.has_focus
        self.parallel = language
        self._view.display = language is None
        self._parallel_view.display = language is not None
        self.set_class(language is not None, "-parallel")
        self._show_language()
        self._keep_paragraph(paragraph_id)
        if had_focus or self.focused is None:
            self.view.focus()

    def _keep_paragraph(self, paragraph_id: str | None) -> None:
        if paragraph_id:
            for index, paragraph in enumerate(self.paragraphs):
                if paragraph.id == paragraph_id:
                    self.move_to_paragraph(index)
                    break

    def set_language(self, language: str) -> None:
        """Show the text in another language, keeping the paragraph where ids align."""
        paragraph_id = self.current_paragraph.id if self.current_paragraph else None
        if self.parallel == language:
            self.parallel = self.language  # the two sides change places
        self.language = language
        self.current = 0
        self._show_language()
        if paragraph_id:
            for index, paragraph in enumerate(self.paragraphs):
                if paragraph.id == paragraph_id:
                    self.move_to_paragraph(index)
                    break

    def action_agree(self) -> None:
        self._confirm("agree")

    def action_drop(self) -> None:
        self._confirm("drop")

    def _confirm(self, verb: str) -> None:
        info = self.selected_info
        if info is None or self.clean:
            self.notify("Select a bracket first: n or ] jumps to the next one.", severity="warning")
            return
        if verb == "agree" and info.options:
            self.notify(f"{info.id} is an options group, which cannot be agreed: agree one of its alternatives "
                        "(n selects them), or drop the ones not wanted.", severity="warning")
            return
        excerpt = info.text if len(info.text) <= 240 else info.text[:239] + "…"
        if verb == "agree":
            title = f"Agree bracket {info.id}?"
            body = (f"Lift the brackets and keep the text:\n\n[{excerpt}]\n\n"
                    f"This commits to {self.document.symbol} ({self.language}) as `cicatext agree` does.")
        else:
            title = f"Drop bracket {info.id}?"
            body = (f"Remove the bracket and its text:\n\n[{excerpt}]\n\n"
                    f"This commits to {self.document.symbol} ({self.language}) as `cicatext drop` does.")
        self.app.push_screen(ConfirmAction(title, body, confirm=verb.capitalize()),
                             callback=lambda confirmed: self._decided(verb, info, confirmed))

    def _decided(self, verb: str, info: BracketInfo, confirmed: bool | None) -> None:
        if confirmed:
            self._commit(verb, info)

    @work(thread=True, exclusive=True, group="commit", exit_on_error=False)
    def _commit(self, verb: str, info: BracketInfo) -> None:
        app = self.app
        bracket_id = info.id
        app.call_from_thread(app.begin_work, "commit", f"{'agreeing' if verb == 'agree' else 'dropping'} {bracket_id}")
        try:
            try:
                from cicatext.store.negotiation import decisions
            except ImportError:
                raise CicatextError(f"{verb} is not available in this installation",
                                    hint="update cicatext; `cicatext agree` and `drop` need the negotiation module")
            operation = decisions.agree_bracket if verb == "agree" else decisions.drop_bracket
            # The bracket by its whole code, which no other bracket (nor an earlier one) shares, and only if it
            # still reads as the officer saw and confirmed it.
            decision = operation(self.repo, self.document.slug, info.full_id, language=self.language,
                                 expect=info.text)
        except CicatextError as error:
            app.call_from_thread(app.notify, error.format(), title=f"Could not {verb} {bracket_id}",
                                 severity="error", timeout=10, markup=False)
            return
        finally:
            app.call_from_thread(app.end_work, "commit")
        app.call_from_thread(self._committed, decision.describe(), decision.commit)

    def _committed(self, said: str, commit: str) -> None:
        self.notify(f"{said} · commit {commit[:10]}", title="Committed")
        self.reload()
        self.post_message(self.Changed(self.document.slug, commit))

    def reload(self) -> None:
        """Read the document again from disk (after a commit or an outside change)."""
        self.document = load_document(self.repo, self.document.slug, self.codes)
        self._origins.clear()
        self._authors = None  # a commit may have changed the key registry
        paragraph_id = self.current_paragraph.id if self.current_paragraph else None
        self.selected = None
        self._show_language()
        if paragraph_id:
            for index, paragraph in enumerate(self.paragraphs):
                if paragraph.id == paragraph_id:
                    self.current = index
                    break
        self._redraw()

    def action_history(self) -> None:
        self.post_message(self.ShowHistory(self.document.slug))

    def action_diff(self) -> None:
        self.post_message(self.ShowDiff(self.document.slug))

    def action_edit(self) -> None:
        info = self.selected_info
        line = info.line if info is not None else 1
        if info is None and self.current_paragraph is not None and self.current_paragraph.pos:
            line = self.current_paragraph.pos.line
        self.app.edit_file(document_text_path(self.document.slug, self.language), line)

    def action_back(self) -> None:
        self.dismiss()


def bracket_origin_text(repo: Repository, slug: str, language: str, info: BracketInfo,
                        reading: Reading | None, *, authors=None) -> str:
    """Where a bracket came from: its round (from the negotiation history), else the commit that first held its text.

    With `authors` (a `cicatext.store.trust.verify.Authorship`) the commit's verified signer follows.
    """
    from cicatext.store.negotiation.history import bracket_source

    def signed(commit: str) -> str:
        if authors is None:
            return ""
        signer = authors.shown(commit)
        plain = ("unsigned", authors.NOT_VERIFIED, authors.NO_KEYS)
        return f" · {signer}" if signer in plain else f" · signed by {signer}"

    source = bracket_source(repo, slug, language, info, reading.draft if reading is not None else None)
    if source is None:
        return "unknown"
    if source.round is not None:
        entry = source.round
        return f"round {entry.tag} ({entry.date[:10]}), {entry.revision}{signed(entry.commit)}"
    if source.commit is None:
        return "not yet committed"
    commit = source.commit
    return f"commit {commit.commit[:7]} of {commit.date}{signed(commit.commit)}: {commit.subject}"
