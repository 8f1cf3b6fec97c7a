"""Trust: the key registry, verified authorship, the shared repository's guard and information given in confidence."""
