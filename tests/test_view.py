"""The relation-map pages and the `view`/`stats`/`export` commands, without a browser."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.result import BuildResult
from kg.build.views_output import views_output
from kg.cli import main
from kg.views.html import SETTLE_FIRST_NODES, describe, render_html, view_payload
from kg.views.network import Edge, Network, Node, Term
from kg.views.read_graph import build_network
from kg.views.selection import Selection, select

INJECTIONS = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(2)>',
    "</script><script>window.__pwned=1</script>",
)
INJECTION_TEXT = (
    '满洲里片区"><svg onload=alert(2)>新路径<img src=x onerror=alert(1)>\n\n'
    "□王晓明\n\n"
    "满洲里片区重点发展跨境贸易和跨境金融，面向俄罗斯和蒙古国，<img src=x onerror=alert(3)>是向北开放的窗口。\n\n"
    "内蒙古自贸试验区包括满洲里片区和呼和浩特片区。</script><script>window.__pwned=1</script>满洲里片区面向俄罗斯。\n"
)


def page_data(page: bytes) -> dict:  # type: ignore[type-arg]
    match = re.search(rb'<script type="application/json" id="ftz-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds its graph as one JSON blob"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# -- the page ------------------------------------------------------------------------------


def test_page_is_self_contained_and_byte_stable(seed_network):
    page = render_html(seed_network, subtitle="s")
    assert page == render_html(seed_network, subtitle="s")
    text = page.decode("utf-8")
    assert not re.search(r"<(script|img|iframe)[^>]*\ssrc=", text, re.I)
    assert not re.search(r"<link\b", text, re.I)
    assert not re.search(r"sourceMappingURL", text)
    assert "vis-network" in text and '<meta charset="utf-8">' in text


def test_content_security_policy_allows_only_the_pages_own_scripts(seed_network):
    text = render_html(seed_network, subtitle="s").decode("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 2
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "script-src 'sha256-" in csp and "'unsafe-inline'" not in csp.split("style-src")[0]


def test_payload_matches_the_network(seed_network):
    data = view_payload(seed_network)
    assert len(data["nodes"]) == len(seed_network.nodes)
    assert len(data["edges"]) == len(seed_network.edges)
    assert data["settleFirst"] is False
    area = next(n for n in data["nodes"] if n["label"] == "满洲里片区")
    assert data["classes"][area["cls"]]["name"] == "Area"
    assert area["en"] == "Manzhouli Area" and area["src"]
    assert all("满洲里" in data["sentences"][i]["text"] for i in area["src"])
    edge = next(e for e in data["edges"] if e["from"] == area["id"])
    relation = data["relations"][edge["rel"]]
    assert relation["zh"] and relation["en"] and relation["name"]
    degrees = sorted((n["deg"], n["size"]) for n in data["nodes"])
    assert [s for _, s in degrees] == sorted(s for _, s in degrees), "size grows with degree"


def test_untrusted_text_is_escaped_in_the_page_and_kept_literally_in_the_data(graph_from_text):
    network = build_network(graph_from_text(INJECTION_TEXT, name="inj.txt"))
    page = render_html(network, subtitle='focus "><svg onload=alert(9)>')
    for raw in (*INJECTIONS, "<img src=x onerror=alert(3)>", "onload=alert(9)>"):
        assert raw.encode() not in page
    assert page.count(b"</script>") == 3  # the data blob and the two scripts, nothing more
    data = page_data(page)
    texts = [n["label"] for n in data["nodes"]] + [s["text"] for s in data["sentences"]]
    blob = "\n".join(texts)
    for raw in INJECTIONS:
        assert raw in blob, f"{raw} is kept as text"
    assert "&quot;&gt;&lt;svg onload=alert(9)&gt;" in page.decode("utf-8")


def test_large_views_are_settled_before_display_and_say_so():
    n = SETTLE_FIRST_NODES + 1
    nodes = tuple(Node(f"urn:n{i:05d}", "Sector", f"产业{i}", "", (), ()) for i in range(n))
    edges = tuple(
        Edge(f"urn:n{i:05d}", f"urn:n{i + 1:05d}", "skos:broader", ()) for i in range(n - 1)
    )
    network = Network(
        nodes,
        edges,
        classes={"Sector": Term("Sector", "urn:Sector", "产业领域", "Sector")},
        relations={"skos:broader": Term("skos:broader", "urn:b", "上位概念", "broader")},
    )
    subtitle = describe(network, "big.ttl", [])
    assert "layout settled before display" in subtitle
    assert view_payload(network)["settleFirst"] is True
    page = render_html(network, subtitle=subtitle)
    assert b"layout settled before display" in page.split(b"</title>")[0]
    small = network.restrict([f"urn:n{i:05d}" for i in range(10)])
    assert "settled before display" not in describe(small, "big.ttl", [])


# -- build writer --------------------------------------------------------------------------


def test_build_writes_the_map_area_views_and_an_index(seed_build: BuildResult, tmp_path: Path):
    stale = tmp_path / "views" / "gone.html"
    stale.parent.mkdir(parents=True)
    stale.write_text(
        '<!DOCTYPE html>\n<meta name="generator" content="ftz-kg build">', encoding="utf-8"
    )
    mine = tmp_path / "views" / "notes.html"
    mine.write_text("<p>kept</p>", encoding="utf-8")
    # a view someone wrote with `ftz-kg view` into views/ is theirs: the build keeps it
    user_view = tmp_path / "views" / "focus-x-d1-out.html"
    user_view.write_text(
        '<!DOCTYPE html>\n<meta name="generator" content="ftz-kg view">', encoding="utf-8"
    )
    result = BuildResult(tmp_path, 1, [], seed_build.dataset, seed_build.graph, seed_build.report)
    written = views_output(result)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    areas = [n for n in build_network(seed_build.graph).nodes if n.cls == "Area"]
    assert "kg.html" in names and "views/index.html" in names and "views/all.html" in names
    area_pages = [n for n in names if n.startswith("views/")]
    assert len(area_pages) == len(areas) + 2
    assert "views/neimenggu-manzhouli.html" in names
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    for area in areas:
        assert area.label in index
    assert 'href="neimenggu-manzhouli.html"' in index and 'href="../kg.html"' in index
    assert 'href="all.html"' in index
    assert not stale.exists() and mine.exists() and user_view.exists()
    area_page = (tmp_path / "views" / "neimenggu-manzhouli.html").read_bytes()
    labels = {n["label"] for n in page_data(area_page)["nodes"]}
    expected = select(build_network(seed_build.graph), Selection(focus="满洲里片区", depth=1))
    assert labels == {n.label for n in expected.nodes}
    assert b'href="index.html"' in area_page


class GraphCounter:
    """What ``views_output`` reads of a build, counting reads of the whole graph."""

    def __init__(self, out_dir: Path, graph: object) -> None:
        self.out_dir = out_dir
        self._graph = graph
        self.graph_reads = 0

    @property
    def graph(self) -> object:
        self.graph_reads += 1
        return self._graph


def _pages(written: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in written}


def test_build_views_read_the_store_and_match_the_graph(
    seed_build: BuildResult, seed_store: Path, tmp_path: Path
):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy2(seed_store / "kg.trig", out / "kg.trig")  # same size and time: the same file
    shutil.copytree(seed_store / "store", out / "store")  # the folder the link points to

    from_store = GraphCounter(out, seed_build.graph)
    pages = _pages(views_output(from_store))  # type: ignore[arg-type]
    assert from_store.graph_reads == 0, "the views come from the store, not the rdflib graph"

    shutil.rmtree(out / "store")  # built without the store output: the graph is used
    from_graph = GraphCounter(out, seed_build.graph)
    assert _pages(views_output(from_graph)) == pages  # type: ignore[arg-type]
    assert from_graph.graph_reads == 2  # the maps' network and the zone pages' store


def test_build_views_ignore_a_store_left_by_an_earlier_build(
    seed_build: BuildResult, seed_store: Path, tmp_path: Path
):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copytree(seed_store / "store", out / "store")
    (out / "kg.trig").write_bytes((seed_store / "kg.trig").read_bytes() + b"# rebuilt\n")
    result = GraphCounter(out, seed_build.graph)
    views_output(result)  # type: ignore[arg-type]
    # once for the maps, once for the zone pages (kg.views.zone_pages)
    assert result.graph_reads == 2, "kg.trig changed since the store was loaded from it"


# -- commands ------------------------------------------------------------------------------


def test_view_command_writes_the_whole_map(data_file, seed_network, tmp_path: Path):
    out = tmp_path / "map.html"
    code, output = run("view", "--data", data_file, "-o", str(out))
    assert code == 0, output
    assert f"{len(seed_network.nodes)} entities, {len(seed_network.edges)} relations" in output
    data = page_data(out.read_bytes())
    assert len(data["nodes"]) == len(seed_network.nodes)


def test_view_focus_manzhouli_depth_one(data_file, seed_network, tmp_path: Path):
    out = tmp_path / "mzl.html"
    code, output = run(
        "view", "--data", data_file, "--focus", "满洲里片区", "--depth", "1", "-o", str(out)
    )
    assert code == 0, output
    page = out.read_bytes()
    labels = {n["label"] for n in page_data(page)["nodes"]}
    expected = select(seed_network, Selection(focus="满洲里片区", depth=1))
    assert labels == {n.label for n in expected.nodes} and "满洲里片区" in labels
    assert "中国（内蒙古）自由贸易试验区" not in labels
    assert "focus 满洲里片区 (depth 1, out)".encode() in page


def test_view_class_relation_and_query_options(data_file, tmp_path: Path):
    out = tmp_path / "v.html"
    code, output = run(
        "view", "--data", data_file, "--class", "Area,Sector,Country", "-o", str(out)
    )
    assert code == 0, output
    data = page_data(out.read_bytes())
    assert {c["name"] for c in data["classes"]} == {"Area", "Sector", "Country"}

    code, output = run(
        "view", "--data", data_file, "--relation", "focusesOnSector,facesCountry", "-o", str(out)
    )
    assert code == 0, output
    assert {r["name"] for r in page_data(out.read_bytes())["relations"]} == {
        "focusesOnSector",
        "facesCountry",
    }

    query = tmp_path / "faces.rq"
    query.write_text(
        "CONSTRUCT { ?a ftz:facesCountry ?c } WHERE { ?a ftz:facesCountry ?c }", encoding="utf-8"
    )
    code, output = run("view", "--data", data_file, "--query", str(query), "-o", str(out))
    assert code == 0, output
    page = out.read_bytes()
    assert {r["name"] for r in page_data(page)["relations"]} == {"facesCountry"}
    assert b"query faces.rq" in page


def test_view_errors_say_what_to_do(data_file, tmp_path: Path):
    code, output = run(
        "view", "--data", data_file, "--focus", "火星片区", "-o", str(tmp_path / "x.html")
    )
    assert code == 2 and "error[E450]: no entity is called '火星片区'" in output
    code, output = run(
        "view", "--data", data_file, "--class", "Planet", "-o", str(tmp_path / "x.html")
    )
    assert code == 2 and "unknown class 'Planet'; use one or more of" in output
    select_rq = tmp_path / "select.rq"
    select_rq.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    code, output = run(
        "view", "--data", data_file, "--query", str(select_rq), "-o", str(tmp_path / "x.html")
    )
    assert code == 2 and "error[E400]" in output and "CONSTRUCT" in output
    code, output = run("view", "--data", str(tmp_path / "missing.ttl"))
    assert code == 2 and "--data" in output and "missing.ttl: no such file" in output
    assert not (tmp_path / "x.html").exists()


def test_stats_command(data_file, seed_network):
    code, output = run("stats", "--data", data_file, "--format", "json", "--top", "3")
    assert code == 0, output
    stats = json.loads(output)
    assert stats["nodes"] == len(seed_network.nodes) and len(stats["top_degree"]) == 3
    code, output = run("stats", "--data", data_file)
    assert code == 0, output
    assert "entities per class:" in output and "top entities by betweenness" in output
    assert "片区 / Area" in output


def test_export_network_formats(data_file, tmp_path: Path):
    code, output = run(
        "export", "--format", "graphml", "--data", data_file, "-o", str(tmp_path / "kg.graphml")
    )
    assert code == 0, output
    assert (tmp_path / "kg.graphml").read_bytes().startswith(b"<?xml")
    code, output = run("export", "--format", "gexf", "--data", data_file)
    assert code == 0 and "<gexf" in output
    code, output = run(
        "export", "--format", "csv", "--data", data_file, "-o", str(tmp_path / "csv")
    )
    assert code == 0, output
    assert (tmp_path / "csv" / "nodes.csv").exists() and (tmp_path / "csv" / "edges.csv").exists()


@pytest.mark.parametrize("command", ["view", "stats"])
def test_help_has_an_example(command):
    code, output = run(command, "--help")
    assert code == 0 and "Example:" in output and f"ftz-kg {command}" in output
