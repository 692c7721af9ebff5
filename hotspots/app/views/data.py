"""Data: upload a file, see what was accepted and rejected and why, download the rejects."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1

from hotspots.app.cache import cached_incidents
from hotspots.app.session import session_lang, tr, viewer
from hotspots.core.errors import HotspotsError
from hotspots.core.i18n import Lang
from hotspots.core.taxonomy import restricted_mask
from hotspots.io.csv_safety import read_excel_csv
from hotspots.render import labels
from hotspots.render.number_format import number_text, table_styler
from hotspots.store import open_store

#: Most rejected rows listed on the page (the download has them all).
MAX_REJECTS_SHOWN = 50


def read_rejects(data: bytes) -> pd.DataFrame:
    """The rejects file an import wrote, as columns ``row, column, value, reason`` (text).

    The file is the project's Excel CSV (``;``-separated, UTF-8 with a BOM, headers in the
    language of the import); its headers are mapped back to the column names, so a file
    written in either language reads the same.
    """
    frame = read_excel_csv(data)
    return frame.rename(columns={c: labels.column_code(str(c)) for c in frame.columns})


def rejects_table(rejects: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The rejected rows for reading: headers and reasons in ``lang``, the first 50."""
    shown = rejects.head(MAX_REJECTS_SHOWN)
    keep = [c for c in ("row", "column", "value", "reason") if c in shown.columns]
    return labels.localise_frame(shown[keep], lang)


#: The columns of the imports table on the page, in order (the paths are left out: an
#: upload's is a temporary folder of the server, which tells a reader nothing).
IMPORT_COLUMNS_SHOWN: tuple[str, ...] = (
    "file_name",
    "kind",
    "imported_at",
    "rows_read",
    "accepted",
    "inserted",
    "updated",
    "unchanged",
    "merged",
    "rejected",
    "format",
    "crs",
    "sha256",
)


def imports_table(imports: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The imports (provenance) with headers and kinds in ``lang``; the checksum shortened."""
    shown = imports[[c for c in IMPORT_COLUMNS_SHOWN if c in imports.columns]].copy()
    if "kind" in shown:
        shown["kind"] = [labels.import_kind(k, lang) for k in shown["kind"].tolist()]
    if "sha256" in shown:
        shown["sha256"] = [str(v)[:12] for v in shown["sha256"].fillna("").tolist()]
    if "imported_at" in shown:
        shown["imported_at"] = pd.to_datetime(shown["imported_at"]).dt.strftime("%Y-%m-%d %H:%M")
    headers = {c: labels.IMPORT_COLUMNS.get(str(c), {}).get(lang, str(c)) for c in shown.columns}
    return shown.rename(columns=headers)


def _import(upload: Any, db: str, kind: str, fmt: str, crs: str | None) -> dict[str, Any] | None:
    """Import the uploaded file; what the page shows of it, or ``None`` after an error."""
    from hotspots.load.ingest import import_file  # noqa: PLC0415 (on demand only)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            summary = import_file(
                path,
                db=db,
                kind=kind,  # type: ignore[arg-type]
                fmt=fmt,
                crs=crs,
                lang=session_lang(),
                user=viewer().name,
            )
        except HotspotsError as exc:
            st.error(f"{tr('app_import_failed')}: {exc}")
            return None
    rejects = None
    if summary.rejects_path is not None and Path(summary.rejects_path).exists():
        data = Path(summary.rejects_path).read_bytes()
        rejects = {"name": Path(summary.rejects_path).name, "data": data}
    return {
        "file": upload.name,
        "accepted": summary.accepted,
        "inserted": summary.inserted,
        "updated": summary.updated,
        "rejected": summary.rejected,
        "rejects": rejects,
    }


def _show_import(done: dict[str, Any]) -> None:
    """The outcome of the last import: counts, the rejected rows and why, their download."""
    lang = session_lang()
    counts = ("accepted", "inserted", "updated", "rejected")
    st.success(tr("app_import_done", **{k: number_text(done[k], lang) for k in counts}))
    rejects = done.get("rejects")
    if not rejects:
        return
    frame = read_rejects(rejects["data"])
    st.subheader(tr("app_rejects_heading"))
    if len(frame) > MAX_REJECTS_SHOWN:
        shown, total = number_text(MAX_REJECTS_SHOWN, lang), number_text(len(frame), lang)
        st.caption(tr("app_rejects_shown", shown=shown, total=total))
    # a data table, not st.table: st.table renders its cells as Markdown, and these cells are
    # the file's own text (a cell =HYPERLINK("http://...") became a live link)
    table = rejects_table(frame, lang)
    widths = {"row": 50, "column": 90, "value": 190, "reason": 640}  # pixels: room for why
    st.dataframe(
        table_styler(table, lang, plain=[labels.column("row", lang)]),  # a row number is a name
        hide_index=True,
        width="stretch",
        column_config={
            labels.column(name, lang): st.column_config.TextColumn(width=width)
            for name, width in widths.items()
        },
    )
    st.download_button(
        tr("app_rejects_download"),
        rejects["data"],
        rejects["name"],
        "text/csv",
        key="rejects_download",
        on_click="ignore",
    )


def page_data(db: str, version: str) -> None:
    """Data: what is stored, and import with a validation report and rejects download."""
    lang = session_lang()
    st.header(tr("app_page_data"))
    store = open_store(db)
    inc = cached_incidents(db, version)
    n = number_text(len(inc), lang)
    st.write(tr("app_store_summary", path=str(db), n=n, version=version[:12]))
    codes = inc["category"].astype(str)
    restricted = restricted_mask(codes)
    counts = codes[~restricted].value_counts()
    names = [labels.category(c, lang) for c in counts.index]
    if restricted.any():  # one line, never per category: they appear nowhere else either
        names.append(tr("app_restricted_total"))
        counts = pd.concat([counts, pd.Series([int(restricted.sum())])])
    categories = pd.DataFrame({tr("category"): names, tr("incidents"): counts.to_numpy()})
    st.dataframe(table_styler(categories, lang), hide_index=True)
    imports = store.imports()
    if len(imports):
        st.subheader(tr("app_imports"))
        st.dataframe(
            table_styler(imports_table(imports, lang), lang), hide_index=True, width="stretch"
        )

    st.subheader(tr("app_import"))
    kind = st.radio(
        tr("app_import_kind"),
        ["incidents", "survey"],
        horizontal=True,
        key="import_kind",
        format_func={k: tr(f"app_kind_{k}") for k in ("incidents", "survey")}.__getitem__,
    )
    fmt = st.selectbox(
        tr("app_import_format"),
        ["auto", "csv", "geojson", "gpkg", "shp", "policeuk", "polisen"],
        key="import_format",
    )
    crs = st.text_input(tr("app_import_crs"), value="", key="import_crs") or None
    upload = st.file_uploader(tr("app_upload"), key="upload")
    if upload is not None and st.button(tr("app_import_button"), key="import_button"):
        done = _import(upload, db, str(kind), str(fmt), crs)
        st.session_state["last_import"] = done
        if done is not None:
            st.rerun()  # the counts and imports above show the store as it is now
    done = st.session_state.get("last_import")
    if done is not None and upload is not None and done["file"] == upload.name:
        _show_import(done)
