"""``python -m kiosk.hub`` is ``kiosk-hub``."""

import sys

from kiosk.hub.cli import main

sys.exit(main())
