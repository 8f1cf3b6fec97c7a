"""Negotiation over git: delegation branches, proposals, rounds, agreement, and reading the history.

Each delegation works on `delegations/CODE` (`branches`) and changes only
`positions/CODE/` there (`propose`). A round, on `main`, merges the
delegations' branches and compiles the document's next revision (`rounds`);
the secretariat agrees or drops a bracket on `main` (`decisions`). `history`
reads the rounds and a document's commits back, `diff` compares the texts
between two refs, and `driver` makes git show document texts bracket-aware.
`refs` names the branches and refs they all use, and `checks` holds the
refusals they share. Import a name from the module that owns it.
"""
