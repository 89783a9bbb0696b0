/* ftz-kg relation map: draws the graph embedded in #ftz-data with vis-network.
 *
 * Every text shown comes from documents and is untrusted: it is only ever put into the page
 * with textContent or as canvas labels, never parsed as HTML. No request leaves the page.
 * window.__ftzReady turns true once the layout has settled and the map has been drawn.
 * Node labels are drawn by ftzLabels (labels.js): by importance, none over another.
 * Views that come with positions (x, y on every node) open with physics off.
 */
(function () {
  "use strict";

  var common = window.ftzCommon;
  var page = common.load();
  var times = page.times;
  var data = page.data;
  var classes = data.classes;
  var relations = data.relations;
  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  data.edges.forEach(function (e) { edgeById[e.id] = e; });
  var large = data.settleFirst;
  var fixed = data.nodes.length > 0 && data.nodes[0].x !== undefined;

  var el = common.el;
  var clear = common.clear;
  var link = common.button;
  function glyph(cls, px) { return common.glyph(cls.shape, cls.color, px); }
  function className(n) { var c = classes[n.cls]; return c.zh + " · " + c.en; }
  function relName(e) { var r = relations[e.rel]; return r.zh + " · " + r.en; }

  // -- the network ----------------------------------------------------------------------
  var hidden = {};  // class index -> true when filtered out
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = classes[n.cls];
    var node = {
      id: n.id,
      fullLabel: n.label,
      shape: c.shape,
      size: n.size,
      color: { background: c.color, border: c.color,
        highlight: { background: c.color, border: "#111" },
        hover: { background: c.color, border: "#111" } }
    };
    if (fixed) { node.x = n.x; node.y = n.y; }
    return node;
  }));
  // A laid-out whole graph has thousands of lines: their names show on hover only.
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return fixed ? { id: e.id, from: e.from, to: e.to }
      : { id: e.id, from: e.from, to: e.to, label: relations[e.rel].zh };
  }));
  var nodeView = new vis.DataView(nodes, {
    filter: function (n) { return !hidden[byId[n.id].cls]; }
  });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return !hidden[byId[e.from].cls] && !hidden[byId[e.to].cls]; }
  });

  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: false },
    nodes: {
      borderWidth: 1,
      font: { face: data.font, size: 18, color: "#1d2329", strokeWidth: 3, strokeColor: "#ffffff" }
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.45 } },
      color: { color: "#aab4bf", highlight: "#20303f", hover: "#50606f" },
      font: { face: data.font, size: 12, color: "#50606f", strokeWidth: 3, strokeColor: "#ffffff",
        align: "middle" },
      smooth: large ? false : { enabled: true, type: "continuous", roundness: 0.3 },
      width: 1,
      selectionWidth: 2
    },
    physics: {
      enabled: !fixed,
      solver: "barnesHut",
      // Large views trade precision for speed (coarser Barnes-Hut, fixed timestep) and are
      // frozen once laid out; small ones keep settling while nodes are dragged.
      barnesHut: large
        ? { theta: 1.0, gravitationalConstant: -3000, centralGravity: 0.3, springLength: 90,
          springConstant: 0.04, damping: 0.5, avoidOverlap: 0 }
        : { gravitationalConstant: -5000, centralGravity: 0.7, springLength: 110,
          springConstant: 0.04, damping: 0.5, avoidOverlap: 0.2 },
      adaptiveTimestep: !large,
      minVelocity: large ? 2.0 : 1.5,
      stabilization: { enabled: true, iterations: large ? 200 : 600, updateInterval: 25, fit: true }
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: large, hideEdgesOnZoom: large,
      multiselect: false, navigationButtons: false, keyboard: false }
  };

  // (vis-network's own labels are off: font size 0; ftzLabels draws them)
  options.nodes.font.size = 0;
  var container = document.getElementById("ftz-network");
  var stage = document.getElementById("ftz-stage");
  var network = new vis.Network(container, { nodes: [], edges: [] }, options);
  var physicsOn = !fixed;
  var layoutDone = false;

  function markReady() {
    if (layoutDone) { return; }
    layoutDone = true;
    times.layout = performance.now();
    if (large) { setPhysics(false); }
    stage.classList.add("ftz-ready");
    network.once("afterDrawing", function () {
      times.drawn = performance.now();
      window.__ftzReady = true;
      document.documentElement.setAttribute("data-ftz-ready", "1");
    });
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    var share = p.total ? Math.round((100 * p.iterations) / p.total) : 100;
    document.getElementById("ftz-progress").textContent = share + "%";
  });
  network.once("stabilizationIterationsDone", markReady);
  network.on("stabilized", function () { window.__ftzSettled = true; });

  // -- class legend and filter ----------------------------------------------------------
  var legend = document.getElementById("ftz-legend");
  var boxes = [];
  classes.forEach(function (c, i) {
    var row = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-class", c.name);
    box.addEventListener("change", function () { setClass(i, box.checked); });
    boxes.push(box);
    row.appendChild(box);
    row.appendChild(glyph(c, 14));
    row.appendChild(el("span", "ftz-zh", c.zh));
    row.appendChild(el("span", "ftz-en", c.en));
    row.appendChild(el("span", "ftz-n", c.count));
    legend.appendChild(row);
  });
  function refresh() {
    // Keep where the shown nodes are, so that a class shown again comes back in place.
    // (network.storePositions() cannot be used: it fails on nodes filtered out.)
    var positions = network.getPositions();
    nodes.update(Object.keys(positions).map(function (id) {
      return { id: Number(id), x: positions[id].x, y: positions[id].y };
    }));
    nodeView.refresh();
    edgeView.refresh();
    updateCount();
  }
  function setClass(i, visible) {
    if (visible) { delete hidden[i]; } else { hidden[i] = true; }
    boxes[i].checked = visible;
    refresh();
  }
  function setAll(visible) {
    classes.forEach(function (c, i) {
      if (visible) { delete hidden[i]; } else { hidden[i] = true; }
      boxes[i].checked = visible;
    });
    refresh();
  }
  document.getElementById("ftz-all").addEventListener("click", function () { setAll(true); });
  document.getElementById("ftz-none").addEventListener("click", function () { setAll(false); });
  function updateCount() {
    document.getElementById("ftz-count").textContent =
      "显示 shown: " + nodeView.length + " / " + data.nodes.length + " 实体 entities, " +
      edgeView.length + " / " + data.edges.length + " 关系 relations";
  }

  // -- physics ----------------------------------------------------------------------------
  var physicsButton = document.getElementById("ftz-physics");
  function setPhysics(on) {
    physicsOn = on;
    network.setOptions({ physics: { enabled: on } });
    physicsButton.textContent = on ? "冻结布局 freeze" : "恢复布局 unfreeze";
    physicsButton.setAttribute("aria-pressed", on ? "false" : "true");
    window.__ftzPhysics = on;
  }
  physicsButton.addEventListener("click", function () { setPhysics(!physicsOn); });
  document.getElementById("ftz-fit").addEventListener("click", function () { network.fit(); });

  // -- tooltip ------------------------------------------------------------------------------
  var tooltip = document.getElementById("ftz-tooltip");
  function showTooltip(text, pointer) { common.showTooltip(tooltip, stage, text, pointer); }
  function hideTooltip() { tooltip.hidden = true; }
  network.on("hoverNode", function (p) {
    var n = byId[p.node];
    var lines = [n.label];
    if (n.en) { lines.push(n.en); }
    lines.push(className(n));
    lines.push(n.src.length + " 条来源句子 source sentences");
    showTooltip(lines.join("\n"), p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var e = edgeById[p.edge];
    var r = relations[e.rel];
    showTooltip(r.en + " (" + r.zh + ")\n" + byId[e.from].label + " → " + byId[e.to].label,
      p.pointer.DOM);
  });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  // -- side panel ---------------------------------------------------------------------------
  var body = document.getElementById("ftz-panel-body");
  var MAX_SENTENCES = 50;
  var LEXICON_TAG = "来自词表 from the lexicon";
  var LEXICON_TEXT = "来自词表 from the lexicon：没有句子陈述这条关系，它是词表（ontology/lexicon.ttl）中的领域知识。 " +
    "No sentence states this relation: it is domain knowledge from the lexicon." +
    (data.fromQuery ? " 或由查询构造。 Or the CONSTRUCT query of this map made it." : "");
  function sentenceList(ids, parent) {
    var list = el("ol", "ftz-sentences");
    ids.slice(0, MAX_SENTENCES).forEach(function (i) {
      var s = data.sentences[i];
      var item = el("li");
      item.appendChild(el("p", "ftz-sentence", s.text));
      if (s.doc >= 0) {
        var d = data.documents[s.doc];
        item.appendChild(el("p", "ftz-doc", "— " + d.title + (d.path ? " (" + d.path + ")" : "")));
      }
      list.appendChild(item);
    });
    parent.appendChild(list);
    if (ids.length > MAX_SENTENCES) {
      parent.appendChild(el("p", "ftz-note", "另有 " + (ids.length - MAX_SENTENCES) +
        " 条未列出 " + (ids.length - MAX_SENTENCES) + " more not listed"));
    }
  }
  function row(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", null, value));
  }
  var sidePanel = common.sidePanel(network);
  var openPanel = sidePanel.open;
  var closePanel = sidePanel.close;
  function showNode(id) {
    var n = byId[id];
    clear(body);
    body.setAttribute("data-kind", "node");
    body.setAttribute("data-id", String(id));
    body.appendChild(el("h2", "ftz-label", n.label));
    var meta = el("p", "ftz-meta");
    meta.appendChild(glyph(classes[n.cls], 12));
    meta.appendChild(document.createTextNode(" " + className(n)));
    body.appendChild(meta);
    var dl = el("dl");
    if (n.en) { row(dl, "英文 English", n.en); }
    if (n.aliases.length) { row(dl, "别名 aliases", n.aliases.join("、")); }
    row(dl, "关系数 degree", n.deg);
    var iri = el("dd", "ftz-iri", n.iri);
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(iri);
    body.appendChild(dl);

    var linked = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    if (linked.length) {
      body.appendChild(el("h3", null, "关系 relations (" + linked.length + ")"));
      var ul = el("ul", "ftz-relations");
      linked.forEach(function (e) {
        var out = e.from === id;
        var other = byId[out ? e.to : e.from];
        var text = (out ? "→ " : "← ") + relations[e.rel].zh + " " + other.label;
        var li = el("li");
        li.appendChild(link(text, function () { selectEdge(e.id); }));
        if (!e.src.length) {
          li.className = "ftz-lexicon";
          li.appendChild(el("span", "ftz-source", LEXICON_TAG));
        }
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    if (n.fig.length) {
      body.appendChild(el("h3", null, "数据 figures (" + n.fig.length + ")"));
      var figs = el("ul", "ftz-figures");
      n.fig.forEach(function (f) { figs.appendChild(el("li", null, f[0])); });
      body.appendChild(figs);
    }
    body.appendChild(el("h3", null, "来源句子 source sentences (" + n.src.length + ")"));
    if (n.src.length) {
      sentenceList(n.src, body);
    } else {
      body.appendChild(el("p", "ftz-note", "没有来源句子。 No source sentence in this graph."));
    }
    openPanel();
  }
  function showEdge(id) {
    var e = edgeById[id];
    var r = relations[e.rel];
    clear(body);
    body.setAttribute("data-kind", "edge");
    body.setAttribute("data-id", String(id));
    body.appendChild(el("h2", "ftz-label", byId[e.from].label + " → " + byId[e.to].label));
    body.appendChild(el("p", "ftz-meta", "关系 relation: " + relName(e)));
    var dl = el("dl");
    dl.appendChild(el("dt", null, "从 from"));
    var from = el("dd"); from.appendChild(link(byId[e.from].label, function () { selectNode(e.from); }));
    dl.appendChild(from);
    dl.appendChild(el("dt", null, "到 to"));
    var to = el("dd"); to.appendChild(link(byId[e.to].label, function () { selectNode(e.to); }));
    dl.appendChild(to);
    dl.appendChild(el("dt", null, "IRI"));
    dl.appendChild(el("dd", "ftz-iri", r.iri));
    if (e.rules.length) { row(dl, "规则 rule", e.rules.join(", ")); }
    body.appendChild(dl);
    if (e.src.length) {
      body.appendChild(el("h3", null, "依据句子 evidence (" + e.src.length + ")"));
      sentenceList(e.src, body);
    } else {
      // As `ftz-kg query why` says in its source column: no sentence states this relation;
      // it is domain knowledge from the lexicon (ontology/lexicon.ttl).
      body.appendChild(el("h3", null, "来源 source"));
      body.appendChild(el("p", "ftz-source", LEXICON_TEXT));
    }
    openPanel();
  }
  network.on("click", function (p) {
    hideTooltip();
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
    else { closePanel(); }
  });

  function reveal(id) {
    var n = byId[id];
    if (hidden[n.cls]) { setClass(n.cls, true); }
  }
  function selectNode(id) {
    var root = document.documentElement;
    root.removeAttribute("data-ftz-focus");
    reveal(id);
    network.selectNodes([id]);
    network.once("animationFinished", function () { root.setAttribute("data-ftz-focus", String(id)); });
    showNode(id);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
  }
  function selectEdge(id) {
    var e = edgeById[id];
    reveal(e.from);
    reveal(e.to);
    network.setSelection({ nodes: [], edges: [id] });
    showEdge(id);
  }

  // -- search -------------------------------------------------------------------------------
  function norm(text) { return String(text || "").replace(/\s+/g, "").toLowerCase(); }
  var index = data.nodes.map(function (n) {
    return { n: n, label: norm(n.label), en: norm(n.en), aliases: n.aliases.map(norm) };
  });
  function search(query) {
    var q = norm(query);
    if (!q) { return []; }
    var found = [];
    index.forEach(function (entry) {
      var tier = -1;
      if (entry.label === q || entry.en === q) { tier = 0; }
      else if (entry.aliases.indexOf(q) >= 0) { tier = 1; }
      else if (entry.label.indexOf(q) === 0 || entry.en.indexOf(q) === 0) { tier = 2; }
      else if (entry.label.indexOf(q) >= 0 || entry.en.indexOf(q) >= 0 ||
        entry.aliases.some(function (a) { return a.indexOf(q) >= 0; })) { tier = 3; }
      if (tier >= 0) { found.push({ tier: tier, n: entry.n }); }
    });
    found.sort(function (a, b) {
      return a.tier - b.tier || a.n.cls - b.n.cls || b.n.deg - a.n.deg ||
        a.n.label.length - b.n.label.length || a.n.id - b.n.id;
    });
    return found.map(function (f) { return f.n.id; });
  }
  common.searchBox(search, function (id) {
    var n = byId[id];
    var b = link("", function () { selectNode(id); });
    b.appendChild(el("span", null, n.label + " "));
    b.appendChild(el("span", "ftz-cls", classes[n.cls].zh));
    return b;
  }, selectNode);

  // For tests, benchmarks and the curious: the map's objects and actions.
  window.ftzMap = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    data: data, search: search, selectNode: selectNode, selectEdge: selectEdge,
    setClass: setClass, setPhysics: setPhysics
  };

  var ZONES = { PilotFreeTradeZone: true, FreeTradePort: true };
  var labels = window.ftzLabels(network, {
    face: data.font,
    px: 15,
    text: function (id) { return byId[id].short; },
    importance: function (id) {
      return (ZONES[classes[byId[id].cls].name] ? 1e6 : 0) + byId[id].deg;
    },
    anchor: function (id) { return ZONES[classes[byId[id].cls].name] === true; }
  });
  window.ftzMap.labels = labels;
  nodeView.on("*", function () { labels.invalidate(); });

  network.setData({ nodes: nodeView, edges: edgeView });
  updateCount();
  if (fixed) {
    setPhysics(false);
    network.fit();
    markReady();
  } else if (!data.nodes.length) { markReady(); }
}());
