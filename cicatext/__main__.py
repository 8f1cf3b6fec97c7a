"""Run the command line as `python -m cicatext`."""

from cicatext.cli.main import main

raise SystemExit(main())
