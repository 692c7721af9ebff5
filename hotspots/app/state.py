"""Widget values that survive a language switch and a page switch.

Streamlit forgets a widget's value in two ways that lost a person's filters (issue 14):

* a widget that is not drawn in a run is dropped with its value, so a visit to the Data page
  (which has no filters) reset every filter;
* a selection widget with a ``format_func`` is sent back by the browser as its *labels*: after
  a switch to English the weekdays box still held ``fre, lör``, which match no English option,
  so the next change emptied it and the analysis silently used every day.

So the app keeps the value of each such widget as codes in its own session key
(``keep:<key>``), which Streamlit never drops, and gives it back to the widget whenever
Streamlit dropped the widget or the language changed (:func:`seed`). The widget itself keeps
its plain key (``area``, ``weekdays`` ...), so URLs and tests address it as before.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

__all__ = ["KEEP", "dropped", "kept", "language_changed", "note_language", "remember", "seed"]

#: Prefix of the session keys that hold the remembered values.
KEEP = "keep:"
_PREVIOUS_LANG = "keep::lang"
_LANG_CHANGED = "keep::lang_changed"


def kept(key: str, default: Any = None) -> Any:
    """The remembered value of widget ``key`` (codes, never labels), or ``default``."""
    return st.session_state.get(KEEP + key, default)


def remember(key: str, value: Any) -> None:
    """Remember ``value`` as the value of widget ``key``."""
    st.session_state[KEEP + key] = value


def note_language(lang: str) -> None:
    """Record the language of this run (call once per run, before the other widgets).

    The first run of a session is not a change: values set before it (from the URL, or by a
    test) stand.
    """
    previous = st.session_state.get(_PREVIOUS_LANG)
    st.session_state[_LANG_CHANGED] = previous is not None and previous != lang
    st.session_state[_PREVIOUS_LANG] = lang


def language_changed() -> bool:
    """Whether the language changed with this run (see :func:`note_language`)."""
    return bool(st.session_state.get(_LANG_CHANGED, False))


def seed(key: str, default: Any = None) -> str:
    """Prepare widget ``key`` before it is drawn; returns ``key`` for the widget call.

    When Streamlit dropped the widget's value (its page was not shown) or the language
    changed (its labels did), the widget gets the remembered value back, else ``default``.
    Call :func:`remember` with the widget's value after drawing it. A widget prepared so
    takes no ``value=`` or ``default=`` of its own.
    """
    if dropped(key):
        value = kept(key)
        value = default if value is None else value
        if value is not None:
            st.session_state[key] = value
    return key


def dropped(key: str) -> bool:
    """Whether widget ``key`` must get its value back (see :func:`seed`)."""
    return key not in st.session_state or language_changed()
