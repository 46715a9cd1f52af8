"""The ``snapplan`` command: ``demo``, ``load``, ``plan``, ``requirements``, ``drift``, ``export``.

Run ``snapplan --help`` (or ``python -m snapplan.cli --help``). The command line needs the
``sql`` extra (SQLAlchemy); it is the only part of snapplan that reads environment variables
(``SNAPPLAN_DB``, the default of ``--db``).
"""

from snapplan.cli.app import main
from snapplan.cli.parser import build_parser

__all__ = ["build_parser", "main"]
