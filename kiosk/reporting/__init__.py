"""Report figures shared by the kiosk and the hub, so a number means the same in both places."""
