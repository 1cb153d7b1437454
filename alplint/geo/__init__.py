"""Offline geography for the location rules: country names and borders.

Nothing here knows about forms.  Data ships in ``data/`` (rebuilt by
``tools/build_borders.py``) and is read lazily, on the first lookup.
"""
