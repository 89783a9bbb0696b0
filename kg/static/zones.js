// ftz-kg zones x sectors matrix: a click on a column head sorts the rows by that column.
// Rows are moved, never rewritten, so no text of the graph is parsed as markup here.
"use strict";
(function () {
  const table = document.getElementById("ftz-matrix");
  const body = table.tBodies[0];
  const heads = table.tHead.rows[0].cells;
  let column = -1;
  let descending = true;

  function key(row, index) {
    const cell = row.cells[index];
    return index === 0 ? cell.textContent : Number(cell.dataset.v);
  }

  function sort(index) {
    // Counts sort most first, names A to Z first; a second click reverses.
    descending = index === column ? !descending : index !== 0;
    column = index;
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = key(a, index);
      const y = key(b, index);
      let order = index === 0 ? x.localeCompare(y, "zh-Hans") : x - y;
      if (descending) order = -order;
      return order || Number(a.dataset.order) - Number(b.dataset.order);
    });
    for (const row of rows) body.appendChild(row);
    for (const head of heads) head.removeAttribute("aria-sort");
    heads[index].setAttribute("aria-sort", descending ? "descending" : "ascending");
    document.documentElement.dataset.ftzSorted = index + (descending ? "-desc" : "-asc");
  }

  for (const head of heads) {
    head.addEventListener("click", function () { sort(head.cellIndex); });
  }
  document.documentElement.dataset.ftzReady = "1";
})();
