"""The register of documents: the catalogue of every document, their texts at a ref, search, languages, init and import."""
