"""The ASGI app that ``hotspots app`` serves: the Streamlit pages behind the gate.

``streamlit run`` finds ``app`` here (an ``st.App``) and serves it with its own server. The
gate (:mod:`hotspots.app.gate`) runs before Streamlit for every request, and the login and
logout pages (:mod:`hotspots.app.login`) sit beside Streamlit's routes.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from hotspots.app.gate import Gate
from hotspots.app.login import routes

app = st.App(
    Path(__file__).with_name("entry.py"),
    routes=routes(),
    middleware=[Middleware(Gate)],
)
