"""The app's caches: the store opened once per data folder, named queries answered once per
snapshot set and parameters, figures and derived tables built once per language and content.
Every cache key names its language explicitly (`key_for`), never from an ambient variable
alone."""

from __future__ import annotations

import contextvars
import functools
import hashlib
import inspect
import pickle
import threading
import weakref
from collections import OrderedDict
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from ogp.data.store import Store
from ogp.model import i18n, paths
from ogp.model.filters import Filters
from ogp.render.charts import Chart


def shared(max_entries: int):
    """Like `st.cache_resource(max_entries=...)` for the caches a rerun asks a few dozen times
    (queries, figures, shaped tables): the value is shared by every session, kept per key, the
    least recently used dropped first. The key is the call's positional arguments, except those
    whose parameter name starts with "_" (as Streamlit's rule); lists and dicts in it count by
    value. Streamlit's cache hashes every argument and inspects the function on every call;
    this one only builds a tuple (tests/test_reruns.py prints both costs).
    Concurrent first calls of one key may both compute it; the last one is kept."""

    def wrap(fn):
        keyed = [i for i, name in enumerate(inspect.signature(fn).parameters) if not name.startswith("_")]
        items: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def call(*args):
            key = tuple(_hashable(args[i]) for i in keyed)
            with lock:
                if key in items:
                    items.move_to_end(key)
                    return items[key]
            value = fn(*args)
            with lock:
                items[key] = value
                while len(items) > max_entries:
                    items.popitem(last=False)
            return value

        def clear() -> None:
            with lock:
                items.clear()

        call.clear = clear
        return call

    return wrap


def _hashable(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


@st.cache_resource(show_spinner="Opening the snapshots…", max_entries=2)
def _open_store(data_dir: str, listing: tuple[tuple[str, int], ...]) -> Store:
    return Store(data_dir)


_last_store: list = [None]  # [(key, store)] of the last run: no trip through Streamlit's cache

# What one script run keeps for itself: the store it opened, the filters the bar chose, the
# widgets a resumed browser brought. A context variable of the session's script thread, started
# afresh by `begin_run` (dashboard.py, first thing in every run): nothing is hung on Streamlit's
# run context. Outside a run (a test calling `run`, a worker thread) there is no memo.
_RUN: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("ogp_run", default=None)


def begin_run() -> None:
    """Start this script run's memo (see `_RUN`)."""
    _RUN.set({})


def run_memo() -> dict[str, Any]:
    """This script run's memo, or a throwaway dict outside a run."""
    memo = _RUN.get()
    return {} if memo is None else memo


def get_store() -> Store:
    """The store over the data directory ($OGP_DATA_DIR or data/), reopened when a snapshot
    is added or removed: one directory listing per rerun, nothing more (a page asks for the
    store a dozen times; the answer is kept for the rest of the script run)."""
    memo = run_memo()
    if "store" in memo:
        return memo["store"]
    base = paths.data_dir()
    key = (str(base), paths.snapshot_listing(base))  # a snapshot replaced under its date counts
    last = _last_store[0]
    store = last[1] if last is not None and last[0] == key else _open_store(*key)
    _last_store[0] = (key, store)
    memo["store"] = store
    return store


@shared(max_entries=2048)
def _cached_query(version: tuple, name: str, params: tuple) -> pd.DataFrame:
    return get_store().query(name, **dict(params))


def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run a named query, cached per data version and parameters; national members' names in
    the reader's language (CLDR), everything else as stored. The cached frame is shared by
    every session (`shared`: st.cache_data unpickled a copy on every call, a sixth of an
    overview rerun); each caller gets a shallow copy, which pandas' copy-on-write keeps apart
    from the shared one when the caller changes it."""
    store = get_store()
    merged = {**(filters.params() if filters else {}), **params}
    return i18n.localise_members(_cached_query(store.version, name, _frozen(merged))).copy(deep=False)


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


# -- figures built once ---------------------------------------------------------------------
class FrozenSpec(dict):
    """A frozen figure's dict with its JSON made once: st.plotly_chart serialises the dict
    (plotly.io.to_json) on every rerun; for a FrozenSpec the JSON it kept is the answer."""

    __slots__ = ("json",)
    json: str


_plotly_to_json = pio.to_json


def _to_json(fig, validate=True, pretty=False, remove_uids=True, engine=None):
    if type(fig) is FrozenSpec and not pretty and remove_uids and engine is None:
        return fig.json
    return _plotly_to_json(fig, validate, pretty, remove_uids, engine)


pio.to_json = _to_json  # Streamlit calls plotly.io.to_json(figure_dict, validate=False)


class FrozenFigure(go.Figure):
    """A finished figure whose dict and JSON are computed once. st.plotly_chart calls
    `to_dict()` (a deep copy of the whole figure) and serialises it on every rerun; this one
    answers with the dict it kept, whose JSON is kept too (FrozenSpec). Cached figures are
    shared by every session: never change one after it is frozen."""

    @classmethod
    def freeze(cls, fig: go.Figure) -> FrozenFigure:
        """The same object, frozen in place (a builder's fresh figure: nothing else holds it)."""
        frozen = FrozenSpec(go.Figure.to_dict(fig))
        frozen.json = _plotly_to_json(frozen, validate=False)  # drops the traces' uids, as Plotly does
        fig.__class__ = cls
        fig._frozen_dict = frozen
        return fig

    def to_dict(self) -> dict:
        frozen = self.__dict__.get("_frozen_dict")
        return frozen if frozen is not None else super().to_dict()


def _freeze(chart: Chart) -> Chart:
    return Chart(FrozenFigure.freeze(chart.fig), chart.alt, chart.data, chart.name)


@shared(max_entries=1024)
def _built_chart(
    builder_name: str, lang: str, digest: str, args: tuple, kwargs: dict, _data, _builder
) -> Chart:
    with i18n.using(lang):
        return _freeze(_builder(_data, *args, **kwargs))


def content_digest(data: pd.DataFrame) -> str:
    """A key for a frame's content (values, dtypes, index, columns): its pickle, hashed, which
    costs far less than Streamlit's own hashing of a frame (pandas' hash_pandas_object on Arrow
    strings). A frame that `derived` shares (never changed after) keeps the digest made when it
    was computed, so a chart of it is keyed without hashing again."""
    known = _digests.get(id(data))
    if known is not None and known[0]() is data:
        return known[1]
    return hashlib.blake2b(pickle.dumps(data, protocol=5), digest_size=16).hexdigest()


_digests: dict[int, tuple[weakref.ref, str]] = {}  # id(shared frame) -> (the frame, its digest)


def _forget_digest(key: int, _gone: weakref.ref) -> None:
    _digests.pop(key, None)


def _remember_digests(value) -> None:
    for frame in value if isinstance(value, tuple) else (value,):
        if isinstance(frame, pd.DataFrame):
            key = id(frame)
            _digests[key] = (
                weakref.ref(frame, functools.partial(_forget_digest, key)),
                content_digest(frame),
            )


def key_for(fn) -> tuple[str, str]:
    """The cache key of a builder in this session: its qualified name and the session's language.
    Every cache of this module keys by both, and the cached function runs in that language
    (`i18n.using(lang)`), so a cache cannot forget the language nor answer in another one."""
    return f"{fn.__module__}.{fn.__qualname__}", i18n.current()


def chart(builder, data: pd.DataFrame, *args, **kwargs) -> Chart:
    """`builder(data, *args, **kwargs)` (a pure builder of ogp.render.charts or ogp.render.deck), built once
    per content of `data` and arguments and shared by every session: a rerun that shows the
    same chart hashes a small frame instead of building a Plotly figure (no pickling either: a
    cached figure would cost more to unpickle than to build). One per language: a chart's
    words are in the language of the session that built it."""
    name, lang = key_for(builder)
    return _built_chart(name, lang, content_digest(data), args, kwargs, data, builder)


@shared(max_entries=1024)
def _shaped(name: str, lang: str, digest: str, args: tuple, _data, _fn):
    with i18n.using(lang):
        return _fn(_data, *args)


def shaped(fn, data: pd.DataFrame, *args):
    """`fn(data, *args)`: a table shaped for display (labels in the reader's language, ready
    for st.dataframe), made once per content of `data`, arguments and language and shared by
    every session: never change what it returns."""
    name, lang = key_for(fn)
    return _shaped(name, lang, content_digest(data), args, data, fn)


def restyled(fn, chart: Chart) -> Chart:
    """`fn(chart)` for a chart that came from a cache (e.g. deck.map_chart(world_map(...))),
    made once and kept on that shared chart, per language."""
    kept = chart.__dict__.setdefault("_restyled", {})
    key = key_for(fn)
    if key not in kept:
        kept[key] = _freeze(fn(chart))
    return kept[key]


@shared(max_entries=1024)
def _derived(version: tuple, lang: str, name: str, args: tuple, _fn):
    with i18n.using(lang):
        value = _fn(*args)
    _remember_digests(value)
    return value


def derived(fn, *args):
    """`fn(*args)`: a pure page helper that shapes `run` results (e.g. a theme against all by
    cycle), computed once per data version, language and arguments and shared by every session:
    never change what it returns. Arguments must be hashable by Streamlit (filters, strings)."""
    name, lang = key_for(fn)
    return _derived(get_store().version, lang, name, args, fn)


def population_covered(filters: Filters):
    """ogp.data.population.covered for the members in scope, computed once per data version and
    filters."""
    return derived(_population_covered, filters)


def _population_covered(filters: Filters):
    from ogp.data import population

    return population.covered(run("by_member", filters))
