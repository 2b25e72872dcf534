"""The phone's measures, in logical units (a 360×740 phone; pictures multiply by ``scale``)."""

W, H, BEZEL = 360, 740, 10                       # the phone, and its dark frame
SW, SH = W - 2 * BEZEL, H - 2 * BEZEL            # the screen inside the frame
STATUS_H, BAR_H, TABS_H, HOME_H = 30, 56, 62, 20
CONTENT_TOP = STATUS_H + BAR_H
PAD, GAP = 18, 14                                # side margin, space between elements
CW = SW - 2 * PAD                                # content width
Box = tuple[int, int, int, int]
