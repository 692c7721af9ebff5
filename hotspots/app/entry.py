"""The script Streamlit runs (``hotspots app``, or ``streamlit run`` on this file).

Streamlit runs it as ``__main__``. The app's worker process (:mod:`hotspots.app.workers`),
started while a script run is under way, imports it as ``__mp_main__``: it must not draw the
app there.
"""

import streamlit as st

if __name__ == "__main__":
    st.set_page_config(page_title="hotspots", layout="wide", initial_sidebar_state="expanded")

    from hotspots.app.main import main  # the page config must come first

    main()
