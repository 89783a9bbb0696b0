/* The question box of the SPARQL page: GET /ask?q=… turns a question into SPARQL, which
   opens in a new editor tab and runs there (its rows carry their source sentences). */
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var input = document.getElementById("ask-q");
  var status = document.getElementById("ask-status");
  if (!form || !window.ftzKg) { return; }

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "hint error" : "hint";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) { say("请输入问题 Type a question first.", true); return; }
    say("…");
    fetch("/ask?q=" + encodeURIComponent(question), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; },
          function () { return { ok: false, body: { error: "HTTP " + response.status } }; });
      })
      .then(function (reply) {
        var body = reply.body;
        if (!reply.ok) {
          var near = (body.nearest || []).map(function (k) { return k.example; }).join(" · ");
          say((body.error || "error") + (near ? "  例 e.g. " + near : ""), true);
          return;
        }
        var found = body.entities.map(function (e) { return e.text + " → " + e.label; }).join("; ");
        say("问题类型 kind: " + body.kind + " — " + body.title + (found ? " · " + found : "") +
          " · " + body.rows.length + " 行 rows" + (body.message ? " · " + body.message : ""), false);
        var yasgui = window.ftzKg.yasgui;
        var tab = yasgui.addTab(true, { name: question.slice(0, 24) });
        tab.setEndpoint(window.ftzKg.endpoint);
        tab.setQuery(body.sparql);
        tab.query();
      })
      .catch(function (error) { say(String(error), true); });
  });
})();
