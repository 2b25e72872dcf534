"""The kiosk's core: settings, the local database and its migrations, ids, the journal of
assistance sessions, accounts, anonymous lesson runs, local counts and the privacy scrubber.

No Qt and no server stack: the command line, the screens and the hub's tests all use it.
"""
