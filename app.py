"""The hotspots app (Streamlit): Karta, Patrullplan, Utvärdering, Data and Lägesbild.

Run with ``hotspots app`` (binds to 127.0.0.1) or ``streamlit run app.py``. The store is
``HOTSPOTS_DB`` (default ``data/hotspots.gpkg``). The pages live in :mod:`hotspots.app`
(installed with the package); this file only starts them.
"""

import runpy

if __name__ == "__main__":  # not in the app's worker process (it imports this as __mp_main__)
    runpy.run_module("hotspots.app.entry", run_name="__main__")
