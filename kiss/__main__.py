"""``python -m kiss``: the same as the ``kiss`` command (used by ``kiss web`` per browser tab)."""

from kiss.cli import main

raise SystemExit(main())
