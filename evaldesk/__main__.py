"""`python -m evaldesk` runs the command line."""

import sys

from evaldesk.cli import main

sys.exit(main())
