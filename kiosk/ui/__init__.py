"""The Qt Widgets user interface. The only package that imports PySide6."""
