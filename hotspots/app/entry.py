"""The script Streamlit runs (``hotspots app``, or ``streamlit run`` on this file)."""

import streamlit as st

st.set_page_config(page_title="hotspots", layout="wide", initial_sidebar_state="expanded")

from hotspots.app.main import main  # noqa: E402 - the page config must come first

main()
