"""The printed take-home guide: a real PDF made with fpdf2 (text, embedded font, vector QR codes).

No Qt: the kiosk prints it and the command line makes it the same way.
"""
