/* ftz-kg overview map: zones, areas and what defines them, at precomputed positions.
 *
 * Every text shown comes from documents and is untrusted: it is only ever put into the page
 * with textContent or as canvas text, never parsed as HTML. No request leaves the page.
 * There is no physics: the positions come with the data, so the map is drawn at once;
 * window.__ftzReady turns true (and html[data-ftz-ready]) after the first full frame.
 */
(function () {
  "use strict";

  var common = window.ftzCommon;
  var page = common.load();
  var times = page.times;
  var data = page.data;
  var classes = data.classes;
  var relations = data.relations;
  var byId = data.nodes;  // ids are indices
  var GREY = "#bab0ac";
  var adjacency = {};  // node -> [link row]
  data.links.concat(data.extraLinks).forEach(function (l) {
    (adjacency[l[0]] = adjacency[l[0]] || []).push(l);
    (adjacency[l[1]] = adjacency[l[1]] || []).push(l);
  });

  var el = common.el;
  var clear = common.clear;
  var button = common.button;
  function isCore(id) { return id < data.core; }
  function isZone(n) {
    var c = classes[n.cls].name;
    return c === "PilotFreeTradeZone" || c === "FreeTradePort";
  }
  function colour(n) { return isCore(n.id) ? data.communities[n.com].color : GREY; }
  function linkKey(l) { return l[0] + "-" + l[1]; }
  function width(l) { return 0.8 + 0.7 * Math.log(1 + l[2]) / Math.LN2; }
  function relText(l, from) {
    // "+i": source -> target, "-i": target -> source; written from ``from``'s side
    return l[4].map(function (r) {
      var forward = r.charAt(0) === "+";
      var rel = relations[Number(r.slice(1))];
      var out = (l[0] === from) === forward;
      return (out ? "→ " : "← ") + rel.zh;
    }).join(", ");
  }

  function visNode(n, x, y) {
    var c = classes[n.cls];
    var fill = colour(n);
    return {
      id: n.id, x: x, y: y, shape: c.shape, size: n.size || 9,
      borderWidth: isZone(n) ? 2 : 1,
      color: { background: fill, border: isZone(n) ? "#20303f" : fill,
        highlight: { background: fill, border: "#111" }, hover: { background: fill, border: "#111" } }
    };
  }
  function visEdge(l) {
    return {
      id: linkKey(l), from: l[0], to: l[1], width: width(l),
      dashes: l[2] === 0,
      color: { color: "#aab4bf", highlight: "#20303f", hover: "#50606f", opacity: 0.8 }
    };
  }
  var coreNodes = byId.slice(0, data.core);
  var nodes = new vis.DataSet(coreNodes.map(function (n) { return visNode(n, n.x, n.y); }));
  var edges = new vis.DataSet(data.links.map(visEdge));

  var container = document.getElementById("ftz-network");
  var stage = document.getElementById("ftz-stage");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false },
    nodes: { font: { size: 0 } },
    edges: { smooth: false, selectionWidth: 1.5 },
    interaction: { hover: true, tooltipDelay: 120, multiselect: false, keyboard: false,
      navigationButtons: false }
  });
  var labels = window.ftzLabels(network, {
    face: getComputedStyle(document.body).fontFamily,
    px: 14,
    text: function (id) { return byId[id].label; },
    importance: function (id) { return byId[id].imp !== undefined ? byId[id].imp : -1; },
    anchor: function (id) { return isZone(byId[id]); }
  });

  network.once("afterDrawing", function () {
    times.drawn = performance.now();
    stage.classList.add("ftz-ready");
    window.__ftzReady = true;
    document.documentElement.setAttribute("data-ftz-ready", "1");
  });
  network.fit();

  // -- legends -------------------------------------------------------------------------------
  var communities = document.getElementById("ftz-communities");
  data.communities.forEach(function (c) {
    var row = el("div");
    var swatch = el("span", "ftz-swatch");
    swatch.style.background = c.color;
    row.appendChild(swatch);
    row.appendChild(el("span", null, c.name));
    row.appendChild(el("span", "ftz-n", c.count));
    communities.appendChild(row);
  });
  var legend = document.getElementById("ftz-legend");
  classes.forEach(function (c, i) {
    var count = coreNodes.filter(function (n) { return n.cls === i; }).length;
    if (!count) { return; }
    var row = el("label");
    row.appendChild(common.glyph(c.shape, "#6b7885", 14));
    row.appendChild(el("span", "ftz-zh", c.zh));
    row.appendChild(el("span", "ftz-en", c.en));
    row.appendChild(el("span", "ftz-n", count));
    legend.appendChild(row);
  });
  var isolated = document.getElementById("ftz-isolated");
  data.isolated.forEach(function (n) { isolated.appendChild(el("li", null, n.label)); });
  function updateCount() {
    document.getElementById("ftz-count").textContent =
      "显示 shown: " + nodes.length + " 实体 entities, " + edges.length + " 关系 links (" +
      data.totals.nodes + " / " + data.totals.edges + " in the whole graph)";
  }
  updateCount();

  // -- expanding ---------------------------------------------------------------------------
  var expanded = {};
  function expand(id) {
    if (expanded[id]) { return []; }
    expanded[id] = true;
    var n = byId[id];
    var add = (n.more || []).filter(function (o) { return nodes.get(o) === null; });
    var here = network.getPositions([id])[id];
    var radius = 70 + 4 * add.length;
    nodes.add(add.map(function (o, i) {
      var angle = (2 * Math.PI * i) / Math.max(1, add.length) - Math.PI / 2;
      return visNode(byId[o], here.x + radius * Math.cos(angle), here.y + radius * Math.sin(angle));
    }));
    var newEdges = [];
    add.concat([id]).forEach(function (a) {
      (adjacency[a] || []).forEach(function (l) {
        if (nodes.get(l[0]) !== null && nodes.get(l[1]) !== null && edges.get(linkKey(l)) === null &&
          newEdges.every(function (e) { return e.id !== linkKey(l); })) {
          newEdges.push(visEdge(l));
        }
      });
    });
    edges.add(newEdges);
    labels.invalidate();
    updateCount();
    return add;
  }
  function reset() {
    var extra = nodes.getIds().filter(function (id) { return !isCore(id); });
    nodes.remove(extra);
    edges.remove(edges.getIds().filter(function (e) {
      var parts = String(e).split("-");
      return !isCore(Number(parts[0])) || !isCore(Number(parts[1]));
    }));
    expanded = {};
    labels.invalidate();
    updateCount();
    network.fit();
  }
  document.getElementById("ftz-reset").addEventListener("click", reset);
  document.getElementById("ftz-fit").addEventListener("click", function () { network.fit(); });

  // -- tooltip and panel ---------------------------------------------------------------------
  var tooltip = document.getElementById("ftz-tooltip");
  network.on("hoverNode", function (p) {
    var n = byId[p.node];
    var lines = [n.label];
    if (n.en) { lines.push(n.en); }
    lines.push(classes[n.cls].zh + " · " + classes[n.cls].en);
    if (isCore(n.id)) { lines.push("群组 community: " + data.communities[n.com].name); }
    common.showTooltip(tooltip, stage, lines.join("\n"), p.pointer.DOM);
  });
  function hideTooltip() { tooltip.hidden = true; }
  network.on("blurNode", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  var body = document.getElementById("ftz-panel-body");
  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", null, value));
  }
  function showNode(id) {
    var n = byId[id];
    clear(body);
    body.setAttribute("data-kind", "node");
    body.setAttribute("data-id", String(id));
    body.appendChild(el("h2", "ftz-label", n.label));
    body.appendChild(el("p", "ftz-meta", classes[n.cls].zh + " · " + classes[n.cls].en));
    var dl = el("dl");
    if (n.en) { row(dl, "英文 English", n.en); }
    if (isCore(id)) { row(dl, "群组 community", data.communities[n.com].name); }
    row(dl, "关系数 degree", n.deg + " (全图 whole graph)");
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(el("dd", "ftz-iri", n.iri));
    body.appendChild(dl);
    if (n.profile) {
      var p = el("p");
      var a = el("a", null, "试验区概况 zone profile →");
      a.setAttribute("href", n.profile);
      p.appendChild(a);
      body.appendChild(p);
    }
    var linked = (adjacency[id] || []).filter(function (l) {
      return nodes.get(l[0] === id ? l[1] : l[0]) !== null;
    });
    linked.sort(function (a, b) { return b[2] - a[2]; });
    body.appendChild(el("h3", null, "关系 links (" + linked.length + ")，按文件数 by documents"));
    var ul = el("ul", "ftz-relations");
    linked.forEach(function (l) {
      var other = l[0] === id ? l[1] : l[0];
      var li = el("li");
      li.appendChild(button(byId[other].label, function () { selectNode(other); }));
      li.appendChild(el("span", "ftz-weight", relText(l, id) + " · " +
        (l[2] ? l[2] + " 份文件 documents" : "来自词表 lexicon")));
      ul.appendChild(li);
    });
    body.appendChild(ul);
    sidePanel.open();
  }
  var sidePanel = common.sidePanel(network);
  var closePanel = sidePanel.close;

  function selectNode(id) {
    var root = document.documentElement;
    root.removeAttribute("data-ftz-focus");
    if (nodes.get(id) === null) { return; }
    expand(id);
    network.selectNodes([id]);
    showNode(id);
    network.once("animationFinished", function () { root.setAttribute("data-ftz-focus", String(id)); });
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 300 } });
  }
  network.on("click", function (p) {
    hideTooltip();
    if (p.nodes.length) {
      expand(p.nodes[0]);
      showNode(p.nodes[0]);
    } else { closePanel(); }
  });

  // -- search (the drawn nodes and those a click can add) -------------------------------------
  function norm(text) { return String(text || "").replace(/\s+/g, "").toLowerCase(); }
  function search(query) {
    var q = norm(query);
    if (!q) { return []; }
    var found = byId.filter(function (n) {
      return nodes.get(n.id) !== null && (norm(n.label).indexOf(q) >= 0 || norm(n.en).indexOf(q) >= 0);
    });
    found.sort(function (a, b) {
      return (norm(b.label) === q) - (norm(a.label) === q) || (b.imp || 0) - (a.imp || 0) || a.id - b.id;
    });
    return found.map(function (n) { return n.id; });
  }
  common.searchBox(search, function (id) {
    return button(byId[id].label, function () { selectNode(id); });
  }, selectNode);

  window.ftzMap = {
    network: network, nodes: nodes, edges: edges, data: data, labels: labels,
    expand: expand, reset: reset, selectNode: selectNode, search: search
  };
}());
