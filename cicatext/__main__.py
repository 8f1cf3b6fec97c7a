"""Run the command line as `python -m cicatext`."""

from cicatext.cli.launch import main

raise SystemExit(main())
