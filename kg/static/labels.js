/* ftz-kg map labels: node labels drawn by importance, never two on top of each other.
 *
 * vis-network draws every node label, so on a dense map they pile up and the most
 * important names (a zone among its areas) disappear under the others. Here the nodes
 * carry no vis label; after each frame the labels are placed in order of importance, each
 * at the first free place around its node (below, above, right, left), and a label whose
 * box would touch one already placed is not drawn. Zooming in makes room, so more labels
 * appear. Labels are canvas text, never HTML. ftzLabels(...).boxes() returns the boxes
 * drawn last, in CSS pixels of the map element, for tests and benchmarks.
 */
(function () {
  "use strict";

  var CELL = 96;  // spatial hash cell, CSS px
  var PAD = 2;    // around each label box, for the white halo

  window.ftzLabels = function (network, options) {
    var px = options.px || 14;
    var face = options.face;
    var font = px + "px " + face;
    var anchorFont = "600 " + (px + 1) + "px " + face;
    var height = Math.ceil(px * 1.3);
    var measure = document.createElement("canvas").getContext("2d");
    var widths = {};
    var order = null;
    var drawn = [];

    function isAnchor(id) { return options.anchor ? options.anchor(id) : false; }
    function width(id) {
      var w = widths[id];
      if (w === undefined) {
        measure.font = isAnchor(id) ? anchorFont : font;
        w = widths[id] = Math.ceil(measure.measureText(options.text(id)).width);
      }
      return w;
    }
    function ranked() {
      if (order === null) {
        order = network.body.nodeIndices.slice();
        order.sort(function (a, b) {
          return options.importance(b) - options.importance(a) || (a < b ? -1 : a > b ? 1 : 0);
        });
      }
      return order;
    }

    function place() {
      var view = network.body.view;
      var scale = view.scale;
      var tx = view.translation.x;
      var ty = view.translation.y;
      var canvas = network.canvas.frame.canvas;
      var W = canvas.clientWidth;
      var H = canvas.clientHeight;
      var grid = {};
      var out = [];
      function cells(b, visit) {
        var x0 = Math.floor(b.x / CELL), x1 = Math.floor((b.x + b.w) / CELL);
        var y0 = Math.floor(b.y / CELL), y1 = Math.floor((b.y + b.h) / CELL);
        for (var gx = x0; gx <= x1; gx++) {
          for (var gy = y0; gy <= y1; gy++) {
            if (visit(gx + "," + gy) === false) { return false; }
          }
        }
        return true;
      }
      function free(b) {
        return cells(b, function (key) {
          var list = grid[key];
          if (!list) { return true; }
          for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) {
              return false;
            }
          }
          return true;
        });
      }
      function take(b) {
        cells(b, function (key) { (grid[key] = grid[key] || []).push(b); });
        out.push(b);
      }
      ranked().forEach(function (id) {
        var node = network.body.nodes[id];
        if (!node || node.options.hidden) { return; }
        var x = node.x * scale + tx;
        var y = node.y * scale + ty;
        var r = (options.radius ? options.radius(id) : node.options.size) * scale;
        if (x < -200 || y < -60 || x > W + 200 || y > H + 60) { return; }
        // Small nodes far out of zoom keep quiet; anchors always try.
        if (r < 2.5 && !isAnchor(id)) { return; }
        var w = width(id) + 2 * PAD;
        var h = height + 2 * PAD;
        var spots = [
          [x - w / 2, y + r + 1],
          [x - w / 2, y - r - 1 - h],
          [x + r + 2, y - h / 2],
          [x - r - 2 - w, y - h / 2]
        ];
        for (var i = 0; i < spots.length; i++) {
          var b = { id: id, x: spots[i][0], y: spots[i][1], w: w, h: h };
          if (free(b)) { take(b); return; }
        }
      });
      return out;
    }

    network.on("afterDrawing", function (ctx) {
      drawn = place();
      var ratio = network.canvas.pixelRatio || 1;
      ctx.save();
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.textBaseline = "top";
      ctx.textAlign = "left";
      ctx.lineJoin = "round";
      ctx.lineWidth = 3;
      ctx.strokeStyle = "rgba(255,255,255,0.95)";
      ctx.fillStyle = options.color || "#1d2329";
      drawn.forEach(function (b) {
        ctx.font = isAnchor(b.id) ? anchorFont : font;
        var text = options.text(b.id);
        ctx.strokeText(text, b.x + PAD, b.y + PAD + 1);
        ctx.fillText(text, b.x + PAD, b.y + PAD + 1);
      });
      ctx.restore();
    });

    return {
      font: font,
      anchorFont: anchorFont,
      // Call when nodes are added or removed, so the order includes them.
      invalidate: function () { order = null; },
      boxes: function () {
        return drawn.map(function (b) {
          return { id: b.id, text: options.text(b.id), x: b.x, y: b.y, w: b.w, h: b.h,
            anchor: isAnchor(b.id) };
        });
      }
    };
  };
}());
