"""The ASGI app that ``hotspots app`` serves: the Streamlit pages behind the gate.

``streamlit run`` finds ``app`` here (an ``st.App``) and serves it with uvicorn. The gate
(:mod:`hotspots.app.gate`) runs before Streamlit for every request, and the login and logout
pages (:mod:`hotspots.app.login`) sit beside Streamlit's routes.

Streamlit's server shuts down gracefully on SIGINT but leaves SIGTERM to the default action,
which ends the process without its ``atexit`` handlers (they remove the map component's
temporary folder). So SIGTERM here is turned into SIGINT: the same graceful shutdown.
"""

import signal
import threading
from pathlib import Path
from types import FrameType

import streamlit as st
from starlette.middleware import Middleware

from hotspots.app.gate import Gate
from hotspots.app.login import routes


def _as_interrupt(signum: int, frame: FrameType | None) -> None:
    signal.raise_signal(signal.SIGINT)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _as_interrupt)

app = st.App(
    Path(__file__).with_name("entry.py"),
    routes=routes(),
    middleware=[Middleware(Gate)],
)
