"""Offline help-point kiosk for the "Bình dân học vụ số" campaign.

Only ``kiosk.ui`` imports Qt; everything else is usable from the command line and tests.
"""

__version__ = "0.1.0"
