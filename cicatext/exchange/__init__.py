"""Documents out of and into cicatext: Word, HTML, Markdown, plain text, Akoma Ntoso, redlines, Word import.

`source` gathers what every format needs (the record, the text at a revision,
the clean or bracketed paragraphs); each format module turns that into bytes or
text and writes nothing itself. The command line writes the result atomically.
"""

EXTENSIONS = {"docx": "docx", "html": "html", "htm": "html", "md": "md", "markdown": "md",
              "xml": "akn", "akn": "akn", "txt": "txt", "text": "txt"}
"""Output file extensions and the format each implies when `--format` is not given."""
