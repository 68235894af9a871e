"""Start the evaldesk desktop program (the same as the ``evaldesk-gui`` command)."""

from __future__ import annotations

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
