"""The lesson studio: ward staff edit, publish and roll back lessons at the hub (issue 11).

``store`` is the storage API the studio's pages call (drafts, publishing, history, pictures,
zip import and export).
"""
