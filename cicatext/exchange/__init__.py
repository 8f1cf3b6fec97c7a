"""Documents out of and into cicatext: Word, HTML, Markdown, plain text, Akoma Ntoso, redlines, Word import.

`source` gathers what every format needs (the record, the text at a revision,
the clean or bracketed paragraphs); each format module turns that into bytes or
text and writes nothing itself; `formats` is the table of the export formats
and their writers. The command line writes the result atomically.
"""
