"""The ASGI app that ``hotspots app`` serves: the Streamlit pages behind the gate.

``streamlit run`` finds ``app`` here (an ``st.App``) and serves it with uvicorn. The gate
(:mod:`hotspots.app.gate`) runs before Streamlit for every request, and the login and logout
pages (:mod:`hotspots.app.login`) sit beside Streamlit's routes.

``hotspots app`` stops this process with SIGTERM. While it serves, uvicorn catches SIGTERM,
shuts the server down gracefully, then raises the signal again; outside of that (starting
up) SIGTERM would otherwise take the default action, which ends the process without its
``atexit`` handlers (they remove the map component's temporary folder). Here SIGTERM is a
normal exit (``SystemExit(0)``): the handlers run, and nothing is printed (a SIGINT, as
before, came back as a KeyboardInterrupt that Streamlit's command line printed as
"Aborted!" at every normal stop).
"""

import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import streamlit as st
from starlette.middleware import Middleware

from hotspots.app.gate import Gate
from hotspots.app.login import routes


def _exit_normally(signum: int, frame: FrameType | None) -> None:
    sys.exit(0)


if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _exit_normally)

app = st.App(
    Path(__file__).with_name("entry.py"),
    routes=routes(),
    middleware=[Middleware(Gate)],
)
