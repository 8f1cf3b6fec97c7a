"""Files, YAML, schemas and git: a cicatext repository on disk. Uses notation and records; knows no front end."""
