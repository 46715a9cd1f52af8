"""``python -m snapplan.cli``: the same as the ``snapplan`` command."""

from snapplan.cli.app import main

raise SystemExit(main())
