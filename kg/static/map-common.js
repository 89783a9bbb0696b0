/* ftz-kg maps: DOM helpers shared by the relation map (view.js) and the overview
 * (overview.js). Every text goes in with textContent, never as HTML. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }
  function button(text, onClick) {
    var b = el("button", null, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  var SVG = "http://www.w3.org/2000/svg";
  var POINTS = {
    diamond: "10,1 19,10 10,19 1,10",
    triangle: "10,2 19,18 1,18",
    triangleDown: "1,2 19,2 10,18",
    hexagon: "10,1 18,5.5 18,14.5 10,19 2,14.5 2,5.5",
    star: "10,1 12.6,7.2 19,7.6 14,11.8 15.6,18.5 10,14.8 4.4,18.5 6,11.8 1,7.6 7.4,7.2"
  };
  // A small SVG of a vis-network shape, for legends and panels.
  function glyph(shapeName, color, px) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", String(px));
    svg.setAttribute("height", String(px));
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("class", "ftz-glyph");
    var shape;
    if (POINTS[shapeName]) {
      shape = document.createElementNS(SVG, "polygon");
      shape.setAttribute("points", POINTS[shapeName]);
    } else if (shapeName === "square") {
      shape = document.createElementNS(SVG, "rect");
      shape.setAttribute("x", "2"); shape.setAttribute("y", "2");
      shape.setAttribute("width", "16"); shape.setAttribute("height", "16");
    } else {
      shape = document.createElementNS(SVG, "circle");
      shape.setAttribute("cx", "10"); shape.setAttribute("cy", "10"); shape.setAttribute("r", "8");
    }
    shape.setAttribute("fill", color);
    svg.appendChild(shape);
    return svg;
  }
  // The search box (#ftz-search, #ftz-results): ``search(text)`` gives node ids, best first;
  // ``entry(id)`` the button listed for one; Enter selects the first.
  function searchBox(search, entry, select) {
    var input = document.getElementById("ftz-search");
    var results = document.getElementById("ftz-results");
    input.addEventListener("input", function () {
      clear(results);
      search(input.value).slice(0, 12).forEach(function (id) {
        var li = el("li");
        li.appendChild(entry(id));
        results.appendChild(li);
      });
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var hits = search(input.value);
        if (hits.length) { select(hits[0]); }
        ev.preventDefault();
      }
    });
  }
  function showTooltip(tooltip, stage, text, pointer) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    var x = Math.min(pointer.x + 14, stage.clientWidth - tooltip.offsetWidth - 4);
    tooltip.style.left = Math.max(0, x) + "px";
    tooltip.style.top = (pointer.y + 14) + "px";
  }

  // The side panel (#ftz-panel): opening or closing it resizes the map, so vis-network
  // re-measures now (it keeps the view centred) rather than on its next periodic check.
  function sidePanel(network) {
    var panel = document.getElementById("ftz-panel");
    function open() {
      var wasHidden = panel.hidden;
      panel.hidden = false;
      panel.scrollTop = 0;
      if (wasHidden) { network.setSize("100%", "100%"); network.redraw(); }
    }
    function close() {
      if (panel.hidden) { return; }
      panel.hidden = true;
      network.setSize("100%", "100%");
      network.redraw();
    }
    document.getElementById("ftz-close").addEventListener("click", close);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { close(); } });
    return { open: open, close: close };
  }

  // The page's graph (#ftz-data) and its timings (window.__ftzTimes, for benchmarks).
  function load() {
    var times = window.__ftzTimes = { start: performance.now() };
    return { times: times, data: JSON.parse(document.getElementById("ftz-data").textContent) };
  }

  window.ftzCommon = {
    load: load, el: el, clear: clear, button: button, glyph: glyph, searchBox: searchBox,
    showTooltip: showTooltip, sidePanel: sidePanel
  };
}());
