"""The Modalities records of a repository: loading them, writing appointments back, checking the rules, and the queries and workflows built on them."""
