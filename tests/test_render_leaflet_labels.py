"""The map for a person (issue 14, item 7): its info box folds to one line, district and place
names are written on it, nearby suggestions cluster, and the legend counts the hotspots."""

from __future__ import annotations

import folium
from privacy_town import analysed

from hotspots.render.leaflet.layers import (
    DISTRICT_LABEL_ZOOM,
    PLACE_LABEL_ZOOM,
    PLACE_ORDER,
    add_geography,
)
from hotspots.render.leaflet.legend import info_box, legend_sections
from hotspots.render.leaflet.options import MapOptions
from hotspots.render.leaflet.templates import VectorLayer
from hotspots.render.privacy import apply_privacy
from hotspots.spatial.geography import default_geography


def _layers(m: folium.Map) -> dict[str, VectorLayer]:
    return {c.layer_name: c for c in m._children.values() if isinstance(c, VectorLayer)}


def test_district_and_place_names_are_labels_at_their_zooms() -> None:
    geography = default_geography()
    m = folium.Map(tiles=None)
    add_geography(m, geography, lang="sv", show=True, base=False)
    layers = _layers(m)
    districts, places = layers["Stadsdelar"], layers["Platser"]
    assert (districts.label_class, districts.label_zoom) == ("districts", DISTRICT_LABEL_ZOOM)
    assert (places.label_class, places.label_zoom) == ("places", PLACE_LABEL_ZOOM)
    names = [f["properties"]["_l"] for f in districts.data["features"]]
    assert set(names) == set(geography.districts["name"])
    # the largest district first: where two names would overlap the larger keeps its own
    areas = geography.districts.set_index("name").geometry.area
    assert [areas[n] for n in names] == sorted(areas, reverse=True)
    # places: squares and stations before venues and car parks; drawn from street zoom only
    order = [f["properties"]["_l"] for f in places.data["features"]]
    kind_of = dict(zip(geography.places["name"], geography.places["kind"], strict=True))
    ranks = [PLACE_ORDER.index(kind_of[n]) for n in order if kind_of[n] in PLACE_ORDER]
    assert ranks == sorted(ranks)
    assert kind_of[order[0]] == "square"
    assert all(
        f["properties"]["_s"]["className"] == "hs-only-places" for f in places.data["features"]
    )
    html = m.get_root().render()
    assert ".hs-z-districts .hs-label-districts { display: block; }" in html
    assert "declutter" in html


def test_the_info_box_folds_to_what_is_analysed() -> None:
    content = apply_privacy(analysed(), profile="internal")
    folded = info_box(content, MapOptions(lang="sv", info_open=False), [])
    assert folded.startswith("<details><summary>Brottskoncentrationer")
    assert '<span class="hs-sum">alla (utom skyddade) · 00-24; alla</span>' in folded
    assert info_box(content, MapOptions(lang="sv"), []) == folded  # folded by default
    unfolded = info_box(content, MapOptions(lang="en", info_open=True), [])
    assert unfolded.startswith("<details open><summary>Crime hotspots")


def test_the_legend_counts_hotspots_and_unsafe_places() -> None:
    sections = dict(
        legend_sections(
            classes=None, survey_classes=None, kinds=[], n_hotspots=3, n_perceived=18, lang="sv"
        )
    )
    assert 'Brottskoncentrationer: <span class="hs-n">3</span>' in sections["hotspots"]
    assert 'Otrygg plats (enkät): <span class="hs-n">18</span>' in sections["perceived"]
    none = legend_sections(
        classes=None, survey_classes=None, kinds=[], n_hotspots=0, n_perceived=0, lang="en"
    )
    assert none == []


def test_suggestion_points_are_clustered_lines_are_not() -> None:
    layer = VectorLayer({"type": "FeatureCollection", "features": []}, name="x", cluster=True)
    m = folium.Map(tiles=None)
    layer.add_to(m)
    script = m.get_root().render()
    assert "L.markerClusterGroup" in script
    assert "spiderfyOnMaxZoom: true" in script
    assert "f.geometry.type !== 'Point'" in script  # loops stay lines on the map
