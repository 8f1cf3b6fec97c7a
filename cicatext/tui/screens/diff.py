"""Round diff: choose two rounds, branches or commits; the bracket diff paragraph by paragraph, word by word.

For each paragraph that changed: the brackets added, agreed and dropped, the
attributions joined and withdrawn, and the paragraph's words with deletions
struck through in red and insertions underlined in green. The comparison runs
in a worker (it reads git).
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Select, Static

from cicatext.errors import CicatextError
from cicatext.store.negotiation.history import RefChoice, ref_choices
from cicatext.store.register.catalogue import DocumentSummary, default_language
from cicatext.store.repository import Repository
from cicatext.tui.literal import LiteralScreen, literal
from cicatext.tui.widgets.key_bar import KeyBar
from cicatext.tui.widgets.status import StatusLine
from cicatext.tui.widgets.title_bar import TitleBar


def choice_label(choice: RefChoice) -> str:
    """How a ref is offered in the from and to lists."""
    if choice.kind == "worktree":
        return "working tree (uncommitted)"
    if choice.kind in ("round", "branch"):
        return f"{choice.kind} {choice.ref}"
    text = choice.subject if len(choice.subject) <= 50 else choice.subject[:49] + "…"
    return f"{choice.ref} {choice.date} {text}"


def default_refs(choices: list[RefChoice]) -> tuple[str | None, str | None]:
    """The two refs to compare first: the last two rounds, else the last two commits."""
    rounds = [choice.ref for choice in choices if choice.kind == "round"]
    if len(rounds) >= 2:
        return rounds[1], rounds[0]
    commits = [choice.ref for choice in choices if choice.kind == "commit"]
    if len(commits) >= 2:
        return commits[1], commits[0]
    if commits:
        return f"{commits[0]}^", commits[0]
    return None, None


def word_content(paragraph) -> Content:
    """A paragraph's word-level changes: deletions struck in red, insertions underlined in green."""
    parts: list = []
    ops = paragraph.words
    if not ops:
        text = paragraph.new_text or paragraph.old_text
        style = "$text-success" if paragraph.status == "added" else ("$text-error strike"
                                                                     if paragraph.status == "removed" else "")
        return Content.assemble((text, style))
    for op in ops:
        if op.op == "equal":
            parts.append(op.new)
        else:
            if op.old:
                parts.append((op.old, "strike $text-error on $error 15%"))
            if op.new:
                parts.append((op.new, "underline $text-success on $success 15%"))
    return Content.assemble(*parts)


def change_lines(paragraph) -> list[Content]:
    """One line per bracket or attribution change of a paragraph."""
    lines = []
    for mark, style, verb, items in (("+", "$text-success", "added", paragraph.brackets_added),
                                     ("✓", "$text-accent", "agreed", paragraph.brackets_agreed),
                                     ("✗", "$text-error", "dropped", paragraph.brackets_dropped)):
        for item in items:
            reading = " ".join(item.reading.split())
            reading = reading if len(reading) <= 90 else reading[:89] + "…"
            lines.append(Content.assemble((f"  {mark} {verb} ", f"bold {style}"), (item.id, "bold"), " [",
                                          reading, "] ", (" ".join(item.attributions), "bold")))
    for verb, style, items in (("joined", "$text-success", paragraph.attributions_joined),
                               ("withdrew", "$text-warning", paragraph.attributions_withdrawn)):
        for item in items:
            reading = " ".join(item.reading.split())
            reading = reading if len(reading) <= 70 else reading[:69] + "…"
            lines.append(Content.assemble((f"  {item.code} {verb} ", f"bold {style}"),
                                          (item.attribution(), "bold"), f" on {item.bracket} [{reading}]"))
    return lines


def _short(ref: str) -> str:
    """A commit id cut to ten characters; other refs as they are."""
    return ref[:10] if len(ref) == 40 and all(c in "0123456789abcdef" for c in ref) else ref


class DiffScreen(LiteralScreen):
    """The bracket diff between two refs, of one document or of all."""

    BINDINGS = [
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
        Binding("f", "focus_from", "From"),
        Binding("t", "focus_to", "To"),
        Binding("s", "swap", "Swap"),
        Binding("q,escape", "back", "Back"),
    ]

    def __init__(self, repo: Repository, summary: DocumentSummary | None, *, ref_a: str | None = None,
                 ref_b: str | None = None, language: str | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.summary = summary
        """The document compared, or None for every document."""
        self.language = language or default_language(repo)
        self.ref_a = ref_a
        """The older side."""
        self.ref_b = ref_b
        """The newer side."""
        self.diffs: list | None = None
        """The document diffs, once computed."""
        choices = ref_choices(self.repo, self.summary.slug if self.summary else None, self.language)
        self._choices = [(choice_label(choice), choice.ref) for choice in choices]
        if self.ref_a is None and self.ref_b is None:
            self.ref_a, self.ref_b = default_refs(choices)
        for ref in (self.ref_a, self.ref_b):
            if ref and all(ref != value for _, value in self._choices):
                self._choices.append((f"commit {_short(ref)}" if _short(ref) != ref else ref, ref))
        options = [(literal(label if len(label) <= 44 else label[:43] + "…"), ref) for label, ref in self._choices]
        # Made here and kept: the screen's mount can come before its nested widgets are mounted,
        # and workers may report before the screen is composed.
        self.from_select = Select(options, id="diff-from", allow_blank=True, prompt="from…", compact=True,
                                  value=self.ref_a if self.ref_a else Select.BLANK)
        self.to_select = Select(options, id="diff-to", allow_blank=True, prompt="to…", compact=True,
                                value=self.ref_b if self.ref_b else Select.BLANK)
        self.body = VerticalScroll(id="diff-body")
        self.status = StatusLine(id="status")

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="diff-refs"):
            yield Label("from ", classes="diff-label")
            yield self.from_select
            yield Label("  to ", classes="diff-label")
            yield self.to_select
        yield self.body
        yield self.status
        yield KeyBar()

    def on_mount(self) -> None:
        what = self.summary.current_symbol if self.summary else "all documents"
        self.title = f"Round diff · {what}"
        self.sub_title = self.language
        self._compare()
        self.body.focus()

    @on(Select.Changed)
    def _ref_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.BLANK else str(event.value)
        if (self.ref_a if event.select is self.from_select else self.ref_b) == value:
            return
        if event.select is self.from_select:
            self.ref_a = value
        else:
            self.ref_b = value
        self._compare()

    def compare(self, ref_a: str, ref_b: str) -> None:
        """Compare these two refs (rounds, branches, commits or WORKTREE)."""
        self.ref_a, self.ref_b = ref_a, ref_b
        self._compare()

    def _compare(self) -> None:
        if not self.ref_a or not self.ref_b:
            self.diffs = []
            self._show_message("Choose the two rounds, branches or commits to compare (f: from, t: to).")
            return
        self.diffs = None
        self.status.say(f"Comparing {_short(self.ref_a)} with {_short(self.ref_b)}…")
        self.app.begin_work("diff", "comparing")
        self._run(self.ref_a, self.ref_b)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _run(self, ref_a: str, ref_b: str) -> None:
        error_text = None
        diffs: list = []
        try:
            from cicatext.store.negotiation.diff import diff_refs

            diffs = diff_refs(self.repo, ref_a, ref_b, self.summary.slug if self.summary else None,
                              language=self.language)
        except CicatextError as error:
            error_text = error.format()
        except ImportError:
            error_text = "the round diff needs the negotiation module, which this installation lacks"
        except Exception as error:  # noqa: BLE001 - show it, do not end the app
            error_text = f"{type(error).__name__}: {error}"
        finally:
            self.app.call_from_thread(self.app.end_work, "diff")
        self.app.call_from_thread(self._show, ref_a, ref_b, diffs, error_text)

    def _show_message(self, text: str) -> None:
        self.body.remove_children()
        self.body.mount(Static(text, classes="diff-paragraph", markup=False))
        self.status.say(text)

    def _show(self, ref_a: str, ref_b: str, diffs: list, error_text: str | None) -> None:
        if (ref_a, ref_b) != (self.ref_a, self.ref_b):
            return
        if error_text:
            self.diffs = []
            self._show_message(error_text)
            return
        self.diffs = diffs
        body = self.body
        body.remove_children()
        widgets = []
        paragraphs = 0
        for document in diffs:
            if self.summary is None:
                widgets.append(Static(Content.assemble((document.symbol, "bold $text-accent")), classes="diff-doc"))
            for paragraph in document.paragraphs:
                paragraphs += 1
                lines = [Content.assemble(("¶ ", "$text-muted"), (paragraph.summary(), "bold"))]
                lines += change_lines(paragraph)
                if paragraph.text_changed or paragraph.status != "changed":
                    lines.append(word_content(paragraph))
                widgets.append(Static(Content("\n").join(lines), classes="diff-paragraph"))
        if not widgets:
            widgets.append(Static(f"No bracket or word changed between {ref_a} and {ref_b}.",
                                  classes="diff-paragraph", markup=False))
        body.mount_all(widgets)
        self.status.say(
            f"{_short(ref_a)} → {_short(ref_b)} · {paragraphs} paragraph(s) changed in {len(diffs)} document(s)")

    def action_scroll(self, lines: int) -> None:
        self.body.scroll_relative(y=lines * 3, animate=False)

    def action_focus_from(self) -> None:
        select = self.from_select
        select.focus()
        select.action_show_overlay()

    def action_focus_to(self) -> None:
        select = self.to_select
        select.focus()
        select.action_show_overlay()

    def action_swap(self) -> None:
        if self.ref_a and self.ref_b:
            self.ref_a, self.ref_b = self.ref_b, self.ref_a
            for select, ref in ((self.from_select, self.ref_a), (self.to_select, self.ref_b)):
                with select.prevent(Select.Changed):
                    select.value = ref
            self._compare()

    def action_back(self) -> None:
        self.dismiss()
