"""The map's boxes: the info box (settings, period, notes) and the legend of the layers shown."""

from __future__ import annotations

from hotspots.core.i18n import Lang, t
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.options import MapOptions
from hotspots.render.privacy import MapContent
from hotspots.render.symbology import (
    HOTSPOT_COLOUR,
    KIND_COLOURS,
    PERCEIVED_COLOUR,
    DensityClasses,
    settings_lines,
)

__all__ = ["info_box", "legend_sections"]


def info_box(content: MapContent, options: MapOptions, notes: list[str]) -> str:
    """The info box: title, the settings behind the map, and ``notes`` (escaped HTML)."""
    lang = options.lang
    lines = settings_lines(
        parameters=content.parameters,
        filters=content.filters,
        period=content.period,
        n_incidents=content.n_incidents,
        lang=lang,
        profile=content.profile,
        compact=True,
    )
    title = options.title or t("title", lang)
    rows = "".join(f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>" for k, v in lines)
    note_html = "".join(f'<div class="note">{escape_html(n)}</div>' for n in notes)
    # folded, the box still says what is analysed: the categories and the hours and days
    values = dict(lines)
    time_key = f"{t('hours', lang)}, {t('weekdays', lang).lower()}"
    brief = " · ".join(v for v in (values.get(t("categories", lang)), values.get(time_key)) if v)
    opened = " open" if options.info_open else ""
    return (
        f"<details{opened}><summary>{escape_html(title)}"
        f'<span class="hs-sum">{escape_html(brief)}</span></summary>'
        f"<table>{rows}</table>{note_html}</details>"
    )


def _swatches(classes: DensityClasses, lang: Lang) -> str:
    return "".join(
        f'<span class="sw" style="background:{colour}"></span>{escape_html(text)}<br>'
        for colour, text in zip(classes.colours, classes.labels(lang=lang), strict=True)
    )


def legend_sections(
    *,
    classes: DensityClasses | None,
    survey_classes: DensityClasses | None,
    kinds: list[str],
    n_hotspots: int,
    n_perceived: int,
    lang: Lang,
    harm: bool = False,
    straight_loops: bool = False,
) -> list[tuple[str, str]]:
    """Legend sections ``(key, html)``; each key names the layer the section belongs to.

    With ``harm`` the density is harm per km² (``--weights``), not incidents. With
    ``straight_loops`` the suggestions' section says that walking loops are straight lines
    (the geography has no walking network).

    The hotspot and perceived-place entries carry their counts (the numbers the app's metric
    and tables show).
    """
    parts: list[tuple[str, str]] = []
    if classes is not None:
        key = "legend_density_harm" if harm else "legend_density"
        head = f"<b>{escape_html(t(key, lang))}</b><br>"
        parts.append(("density", head + _swatches(classes, lang)))
    if survey_classes is not None:
        head = f"<b>{escape_html(t('legend_perceived', lang))}</b><br>"
        parts.append(("survey", head + _swatches(survey_classes, lang)))
    if n_hotspots:
        parts.append(
            (
                "hotspots",
                f'<span class="sw" style="border:2px solid {HOTSPOT_COLOUR};background:none">'
                f"</span>{escape_html(t('layer_hotspots', lang))}: "
                f'<span class="hs-n">{int(n_hotspots)}</span><br>',
            )
        )
    if n_perceived:
        parts.append(
            (
                "perceived",
                f'<span class="sw" style="border:2px dashed {PERCEIVED_COLOUR};'
                f'background:none"></span>{escape_html(t("perceived_hotspot", lang))}: '
                f'<span class="hs-n">{int(n_perceived)}</span><br>',
            )
        )
    if kinds:
        parts.append(
            (
                "suggestions",
                "".join(
                    f'<span class="sw" style="background:{KIND_COLOURS.get(kind, "#444")};'
                    f'border-radius:7px"></span>{escape_html(t(f"kind_{kind}", lang))}<br>'
                    for kind in kinds
                )
                + (
                    f"<i>{escape_html(t('legend_loops_straight', lang))}</i><br>"
                    if straight_loops
                    else ""
                ),
            )
        )
    return parts
