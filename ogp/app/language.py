"""The session's language: read from the URL or the browser, kept in the URL, and the picker."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ogp.model import i18n, urls

# -- language -----------------------------------------------------------------------------
LANG_PARAM = urls.LANG


def choose_language() -> str:
    """The session's language (dashboard.py calls this first on every run): ?lang=en|es|fr,
    else the language this session already uses, else the browser's (st.context.locale),
    else English. Every value a link carries is language-neutral (codes, slugs, dates,
    numbers, the data's own level and region names: see `coded_choice`), so a link without
    ?lang= reads the same in any language and the browser's language applies to it too.
    Unless English, the language is kept in the URL, so moving between pages and copied
    links keep it."""
    requested = st.query_params.get(LANG_PARAM)
    remembered = st.session_state.get("_lang")
    lang = i18n.activate(i18n.negotiate(requested, remembered, st.context.locale))
    st.session_state["_lang"] = lang
    if requested is not None and i18n.supported(requested) is None:
        del st.query_params[LANG_PARAM]  # ?lang=xx we do not speak: dropped, like any invalid value
    if lang != i18n.DEFAULT and requested != lang:
        st.query_params[LANG_PARAM] = lang
    return lang


def _session_language() -> str | None:
    """The language of the session whose script runs in this thread, without side effects
    (for a page script Streamlit runs on its own, before dashboard.py has run)."""
    try:
        if get_script_run_ctx() is None:
            return None
        return i18n.negotiate(
            st.query_params.get(LANG_PARAM), st.session_state.get("_lang"), st.context.locale
        )
    except Exception:  # no session (bare mode, a worker thread): English
        return None


i18n.set_fallback(_session_language)


def _picked_language(key: str) -> None:
    lang = i18n.supported(st.session_state.get(key)) or i18n.DEFAULT
    st.session_state["_lang"] = lang
    st.query_params[LANG_PARAM] = lang


def language_picker(container=None, key: str = "lang-picker", compact: bool = False) -> None:
    """The language picker (the sidebar's; the deck has its own, `compact`, in its bar). It
    writes ?lang= explicitly, so choosing English in a Spanish browser sticks."""
    target = container if container is not None else st.sidebar
    lang = i18n.current()
    if st.session_state.get(key) != lang:
        st.session_state[key] = lang
    target.selectbox(
        i18n._("Language"),
        list(i18n.available()),
        format_func=i18n.language_name,
        key=key,
        on_change=_picked_language,
        args=(key,),
        icon=":material/translate:",
        label_visibility="collapsed" if compact else "visible",
    )
