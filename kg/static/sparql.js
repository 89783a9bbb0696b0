/* The ftz-kg SPARQL page: YASGUI against this server, the saved queries, download links. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ftz-kg-data").textContent);
  var endpoint = new URL(data.endpoint, window.location.href).href;

  // Result tables: IRIs under the project's prefixes as prefixed names (id:area/…, ftz:Area;
  // YASR merges the query's own PREFIX lines over these), and literals as plain text with
  // the language or datatype as a small tag ("满洲里片区"@zh → 满洲里片区 ᶻʰ) instead of
  // YASR's quoted Turtle form. The links keep the full IRI as href.
  var prefixes = data.prefixes || {};
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function prefixed(iri, known) {
    for (var p in known) {
      if (Object.prototype.hasOwnProperty.call(known, p) && known[p] && iri.indexOf(known[p]) === 0) {
        return p + ":" + iri.substring(known[p].length);
      }
    }
    return "<" + iri + ">";
  }
  var Table = Yasgui.Yasr && Yasgui.Yasr.plugins && Yasgui.Yasr.plugins.table;
  if (Table && Table.prototype.formatLiteral) {
    Table.prototype.formatLiteral = function (binding, known) {
      var text = escapeHtml(binding.value);
      var lang = binding["xml:lang"];
      if (lang) {
        return text + "<sup class='ftz-lang' title='language'>" + escapeHtml(lang) + "</sup>";
      }
      if (binding.datatype && binding.datatype !== XSD_STRING) {
        return text + "<sup class='ftz-datatype' title='" + escapeHtml(binding.datatype) + "'>" +
          escapeHtml(prefixed(binding.datatype, known || prefixes)) + "</sup>";
      }
      return text;
    };
  }

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    yasr: { prefixes: prefixes },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "ftz-kg-yasgui-" + window.location.host,
    yasqe: { value: data.queries.length ? data.queries[0].editor_text : "SELECT * WHERE { ?s ?p ?o } LIMIT 10" }
  });

  // the question box (ask.js) opens the query a question became in a new tab
  window.ftzKg = { yasgui: yasgui, endpoint: endpoint };

  function currentQuery() {
    var tab = yasgui.getTab();
    return tab ? tab.getQuery() : "";
  }

  function openSaved(q) {
    var tab = yasgui.addTab(true, { name: q.name });
    tab.setEndpoint(endpoint);
    tab.setQuery(q.editor_text);
    tab.query();
  }

  var list = document.getElementById("saved-queries");
  data.queries.forEach(function (q) {
    var li = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.title = q.question + (q.params.length ? "\n\n" + q.params.map(function (p) {
      return "?" + p.name + " (" + p.type + ")" + (p.default ? " = " + p.default : "") + ": " + p.description;
    }).join("\n") : "");
    button.textContent = q.title;
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = q.name;
    button.appendChild(name);
    button.addEventListener("click", function () { openSaved(q); });
    li.appendChild(button);
    list.appendChild(li);
  });

  var files = document.getElementById("files");
  var labels = { "kg.html": "概览图 Overview map", "views/all.html": "全图 Whole graph",
    "views/index.html": "分区视图 Area views" };
  data.files.forEach(function (f) {
    if (f.name.indexOf("/") >= 0 && !labels[f.name]) { return; }
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = f.url;
    a.textContent = labels[f.name] ? labels[f.name] + " (" + f.name + ")" : f.name;
    li.appendChild(a);
    files.appendChild(li);
    if (f.name === "kg.html") {
      var map = document.getElementById("map-link");
      map.href = f.url;
      map.hidden = false;
    }
  });

  document.getElementById("limits").textContent =
    "timeout " + data.limits.timeout + " s · at most " + data.limits.max_rows + " rows";

  // Entity IRIs in the results open this server's entity page (the w3id.org names are not
  // registered yet), so a result row leads to what the graph says about it.
  var entityBase = data.entity_base;
  document.getElementById("yasgui").addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a || !entityBase || a.href.indexOf(entityBase) !== 0) { return; }
    event.preventDefault();
    window.open("/id/" + a.href.substring(entityBase.length), "_blank", "noopener");
  }, true);

  // Download links follow the query in the editor.
  document.querySelectorAll("#downloads a[data-format]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var query = currentQuery();
      if (!query) { event.preventDefault(); return; }
      a.href = endpoint + "?format=" + a.getAttribute("data-format") + "&query=" + encodeURIComponent(query);
      a.setAttribute("download", "results." + a.getAttribute("data-format"));
    });
  });
})();
