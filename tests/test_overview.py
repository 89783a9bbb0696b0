"""The overview map's data and page, `ftz-kg view`'s default path, and to_pyvis: no browser."""

from __future__ import annotations

import base64
import hashlib
import re
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.result import BuildResult
from kg.build.views_output import views_output
from kg.cli import main
from kg.views.html import BUILD_GENERATOR, CLASS_STYLES
from kg.views.network import Network
from kg.views.overview import (
    ANCHOR_CLASSES,
    DEFINING,
    build_overview,
    describe_overview,
    overview_payload,
    profile_links,
    render_overview,
    zone_slug,
)
from kg.views.read_graph import build_network

from .test_view import INJECTION_TEXT, page_data

ZONE = "https://w3id.org/ftz-kg/id/zone/neimenggu"


def _documents(network: Network, a: str, b: str) -> set[str]:
    docs = set()
    for e in network.edges:
        if {e.source, e.target} == {a, b}:
            docs |= {network.sentences[s].document for s in e.sentences}
    return docs - {""}


def test_overview_keeps_the_zones_areas_and_what_defines_each(seed_network):
    overview = build_overview(seed_network)
    drawn = set(overview.core)
    anchors = {n.id for n in seed_network.nodes if n.cls in ANCHOR_CLASSES}
    assert anchors <= drawn | set(overview.isolated)
    assert ZONE in drawn
    # every other node drawn is one of the few that define an anchor it is linked to
    around: dict[str, set[str]] = defaultdict(set)
    for link in overview.links:
        around[link.source].add(link.target)
        around[link.target].add(link.source)
    for node in drawn - anchors:
        assert seed_network.node(node).cls in DEFINING
        assert around[node] & anchors, seed_network.node(node).label
    for anchor in anchors & drawn:
        for cls, limit in DEFINING.items():
            assert sum(1 for o in around[anchor] if seed_network.node(o).cls == cls) <= limit + 2
    labels = {seed_network.node(n).label for n in around[ZONE]}
    assert {"满洲里片区", "呼和浩特片区", "二连浩特片区"} <= labels
    assert {"俄罗斯", "蒙古国"} <= {seed_network.node(n).label for n in drawn}


def test_links_aggregate_relations_and_weigh_by_documents(seed_network):
    overview = build_overview(seed_network)
    assert overview.links
    pairs = set()
    for link in overview.links:
        assert link.source < link.target
        pairs.add((link.source, link.target))
        assert link.documents == len(_documents(seed_network, link.source, link.target))
        stated = {
            e.relation if e.source == link.source else "^" + e.relation
            for e in seed_network.edges
            if {e.source, e.target} == {link.source, link.target}
        }
        assert set(link.relations) == stated
    assert len(pairs) == len(overview.links), "one link per pair"


def test_no_isolated_node_is_drawn_and_the_page_lists_them(seed_network):
    overview = build_overview(seed_network)
    linked = {k.source for k in overview.links} | {k.target for k in overview.links}
    assert set(overview.core) == linked
    payload = overview_payload(overview)
    assert payload["core"] == len(overview.core)
    assert [n["label"] for n in payload["isolated"]] == [
        seed_network.node(n).label for n in overview.isolated
    ]
    assert all("x" in n and "com" in n for n in payload["nodes"][: payload["core"]])
    assert all("x" not in n for n in payload["nodes"][payload["core"] :])


def test_communities_positions_and_page_are_deterministic(seed_network, seed_build):
    first = build_overview(seed_network)
    second = build_overview(build_network(seed_build.graph))  # read again
    assert dict(first.community) == dict(second.community)
    assert dict(first.positions) == dict(second.positions)
    assert set(first.community) == set(first.core)
    page = render_overview(first, subtitle=describe_overview(first, "seeds"))
    assert page == render_overview(second, subtitle=describe_overview(second, "seeds"))


def test_a_click_can_add_the_strongest_other_neighbours(seed_network):
    overview = build_overview(seed_network)
    drawn = set(overview.core)
    more = overview.expand[ZONE]
    assert more, "the zone has neighbours beyond the overview"
    others = [k.target if k.source == ZONE else k.source for k in more]
    assert not set(others) & drawn
    assert [k.documents for k in more] == sorted((k.documents for k in more), reverse=True)


def test_zone_profile_links_only_where_the_page_exists(seed_network, tmp_path: Path):
    overview = build_overview(seed_network)
    assert zone_slug(ZONE) == "neimenggu"
    assert profile_links(overview, tmp_path / "zones") == {}
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "neimenggu.html").write_text("<p>profile</p>", encoding="utf-8")
    links = profile_links(overview, tmp_path / "zones")
    assert links == {ZONE: "zones/neimenggu.html"}
    payload = overview_payload(overview, links)
    zone = next(n for n in payload["nodes"] if n["iri"] == ZONE)
    assert zone["profile"] == "zones/neimenggu.html"
    assert all("profile" not in n for n in payload["nodes"] if n["iri"] != ZONE)


def test_build_writes_the_overview_as_kg_html(seed_build: BuildResult, tmp_path: Path):
    (tmp_path / "zones").mkdir()
    (tmp_path / "zones" / "neimenggu.html").write_text("<p>profile</p>", encoding="utf-8")
    result = BuildResult(tmp_path, 1, [], seed_build.dataset, seed_build.graph, seed_build.report)
    views_output(result)
    page = (tmp_path / "kg.html").read_bytes()
    assert f'<meta name="generator" content="{BUILD_GENERATOR}">'.encode() in page
    data = page_data(page)
    assert data["core"] < len(build_network(seed_build.graph).nodes)
    assert b'href="views/all.html"' in page and b'href="views/index.html"' in page
    assert next(n for n in data["nodes"] if n["iri"] == ZONE)["profile"] == "zones/neimenggu.html"
    whole = page_data((tmp_path / "views" / "all.html").read_bytes())
    assert all("x" in n and "y" in n for n in whole["nodes"]), "the whole graph comes laid out"
    assert len(whole["nodes"]) == len(build_network(seed_build.graph).nodes)


def test_overview_page_escapes_text_and_allows_only_its_scripts(graph_from_text):
    network = build_network(graph_from_text(INJECTION_TEXT, name="inj<img src=x>.txt"))
    overview = build_overview(network)
    page = render_overview(overview, subtitle='x "><svg onload=alert(1)>').decode("utf-8")
    body = page.split('id="ftz-data">', 1)[1]
    assert "<img" not in body.split("</script>", 1)[0]
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)
    assert not re.search(r"fetch\(|XMLHttpRequest|WebSocket|\.src\s*=", scripts[1])


# -- ftz-kg view: where it writes ------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_view_writes_to_views_by_default_and_prints_the_path(data_file, tmp_path: Path):
    (tmp_path / "kg.html").write_text("the build's overview", encoding="utf-8")
    code, output = run("view", "--data", data_file, "--out", str(tmp_path), "--focus", "满洲里片区")
    assert code == 0, output
    path = tmp_path / "views" / "focus-neimenggu-manzhouli-d1-out.html"
    assert path.is_file() and str(path) in output
    assert (tmp_path / "kg.html").read_text(encoding="utf-8") == "the build's overview"
    code, output = run("view", "--data", data_file, "--out", str(tmp_path))
    assert code == 0 and (tmp_path / "views" / "whole.html").is_file(), output
    code, output = run(
        "view", "--data", data_file, "--out", str(tmp_path), "--class", "Area,Sector"
    )
    assert code == 0 and (tmp_path / "views" / "class-area-sector.html").is_file(), output


def test_view_never_replaces_the_builds_maps(seed_build: BuildResult, data_file, tmp_path: Path):
    result = BuildResult(tmp_path, 1, [], seed_build.dataset, seed_build.graph, seed_build.report)
    views_output(result)
    before = {p: p.read_bytes() for p in [tmp_path / "kg.html", *(tmp_path / "views").iterdir()]}
    for target in (
        tmp_path / "kg.html",
        tmp_path / "views" / "all.html",
        tmp_path / "views" / "neimenggu-manzhouli.html",
    ):
        code, output = run("view", "--data", data_file, "--out", str(tmp_path), "-o", str(target))
        assert code == 2, output
        assert "`ftz-kg build` wrote" in output and "-o" in output
    assert {p: p.read_bytes() for p in before} == before


# -- to_pyvis ----------------------------------------------------------------------------------


def test_to_pyvis_has_the_same_nodes_colours_shapes_and_plain_tooltips(graph_from_text):
    pytest.importorskip("pyvis", reason="pyvis is the optional extra ftz-kg[notebook]")
    from pyvis.network import Network as PyvisNetwork

    from kg.views.html import to_pyvis

    network = build_network(graph_from_text(INJECTION_TEXT, name="inj.txt"))
    net = to_pyvis(network)
    assert isinstance(net, PyvisNetwork)
    assert net.get_nodes() == [n.id for n in network.nodes]
    assert net.num_edges() == len(network.edges)
    for node in network.nodes:
        shown = net.get_node(node.id)
        assert (shown["color"], shown["shape"]) == CLASS_STYLES[node.cls]
        assert shown["title"].split("\n")[0] == node.label  # the label as written, no markup
    article = next(n for n in network.nodes if n.cls == "Article")
    assert "<img src=x onerror=alert(1)>" in net.get_node(article.id)["title"]
    labels = {e["label"] for e in net.get_edges()}
    assert labels <= {t.zh for t in network.relations.values()}


def test_without_zones_the_best_connected_entities_anchor_the_overview():
    from kg.views.network import Edge, Node, Term

    hub = Node("urn:hub", "Sector", "数字经济", "", (), ())
    spokes = tuple(Node(f"urn:s{i}", "Sector", f"产业{i}", "", (), ()) for i in range(5))
    alone = Node("urn:alone", "Sector", "孤立", "", (), ())
    edges = tuple(Edge("urn:hub", s.id, "skos:narrower", ()) for s in spokes)
    network = Network(
        (hub, *spokes, alone),
        edges,
        classes={"Sector": Term("Sector", "urn:S", "产业领域", "Sector")},
        relations={"skos:narrower": Term("skos:narrower", "urn:n", "下位概念", "narrower")},
    )
    overview = build_overview(network)
    assert set(overview.core) == {"urn:hub", *(s.id for s in spokes)}
    assert "urn:alone" not in overview.core
    assert all(k.lexicon and k.documents == 0 for k in overview.links)


def test_layout_packs_components_and_puts_isolated_nodes_below():
    from kg.views.layout import spring_positions

    nodes = ["a", "b", "c", "d", "e", "x", "y"]
    edges = [("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0), ("d", "e", 1.0)]
    first = spring_positions(nodes, edges)
    assert first == spring_positions(list(reversed(nodes)), edges), "same graph, same places"
    assert set(first) == set(nodes)
    lowest_linked = max(first[n][1] for n in "abcde")
    assert min(first[n][1] for n in "xy") > lowest_linked, "the unlinked sit below"
    assert len(set(first.values())) == len(nodes), "no two nodes on one spot"
