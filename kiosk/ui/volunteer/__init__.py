"""The volunteer's side of the kiosk: sign in, record each person helped, today's list, and the
residents waiting for help."""
