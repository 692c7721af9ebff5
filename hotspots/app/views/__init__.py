"""The app's pages, one module each.

Named ``views``, not ``pages``: Streamlit treats a ``pages`` folder beside the script it runs
(``hotspots/app/entry.py``) as its own multipage navigation, and showed every module of it
(``entry``, ``data``, ``map`` ...) as a page in the sidebar.
"""
