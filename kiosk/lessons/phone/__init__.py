"""The mock phone screen's parts, by concern: ``geometry`` (the phone's measures), ``text``
(fonts, wrapping, fitting), ``paint`` (Pillow drawing in logical units, the screen's fixed parts,
the highlight, the frame), ``elements`` (one drawing function per element type) and ``layout``
(where each element goes, scrolling the target into view, where the arrow fits).

``kiosk.lessons.mockscreen`` puts them together; import from there.
"""
