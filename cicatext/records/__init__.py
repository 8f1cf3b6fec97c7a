"""The domain records and the Modalities' rules as frozen values. Pure: no I/O, no git, no YAML, no UI."""
