"""``python -m snapplan``: the ``snapplan`` command."""

from snapplan.cli.app import main

raise SystemExit(main())
