"""Data: upload a file, see what was accepted and rejected, download the rejects."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_incidents
from hotspots.app.session import session_lang, tr
from hotspots.core.errors import (
    HotspotsError,
)
from hotspots.core.taxonomy import (
    label,
)
from hotspots.store import open_store


def page_data(db: str, version: str) -> None:
    """Data: what is stored, and import with a validation report and rejects download."""
    st.header(tr("app_page_data"))
    store = open_store(db)
    inc = cached_incidents(db, version)
    st.write(tr("app_store_summary", path=str(db), n=len(inc), version=version[:12]))
    counts = inc["category"].astype(str).value_counts()
    st.dataframe(
        pd.DataFrame(
            {
                tr("category"): [label(c, session_lang()) for c in counts.index],
                tr("incidents"): counts,
            }
        ),
        hide_index=True,
    )
    imports = store.imports()
    if len(imports):
        st.subheader(tr("app_imports"))
        st.dataframe(imports, hide_index=True, width="stretch")

    st.subheader(tr("app_import"))
    kind = st.radio(
        tr("app_import_kind"),
        ["incidents", "survey"],
        horizontal=True,
        key="import_kind",
        format_func=lambda k: tr(f"app_kind_{k}"),
    )
    fmt = st.selectbox(
        tr("app_import_format"),
        ["auto", "csv", "geojson", "gpkg", "shp", "policeuk", "polisen"],
        key="import_format",
    )
    crs = st.text_input(tr("app_import_crs"), value="", key="import_crs") or None
    upload = st.file_uploader(tr("app_upload"), key="upload")
    if upload is None or not st.button(tr("app_import_button"), key="import_button"):
        return
    from hotspots.load.ingest import import_file  # noqa: PLC0415 (on demand only)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            summary = import_file(path, db=db, kind=kind, fmt=fmt, crs=crs)
        except HotspotsError as exc:
            st.error(f"{tr('app_import_failed')}: {exc}")
            return
        st.success(
            tr(
                "app_import_done",
                accepted=summary.accepted,
                inserted=summary.inserted,
                updated=summary.updated,
                rejected=summary.rejected,
            )
        )
        if summary.rejects_path is not None and Path(summary.rejects_path).exists():
            rejects = Path(summary.rejects_path).read_bytes()
            st.dataframe(pd.read_csv(Path(summary.rejects_path)).head(200), hide_index=True)
            st.download_button(
                tr("app_rejects_download"), rejects, Path(summary.rejects_path).name, "text/csv"
            )
