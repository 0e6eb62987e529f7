// The dashboard's charts and live numbers. The page's tables already hold the numbers (read
// without script); this file draws them with Chart.js and asks dashboard.json for them again
// every few seconds, so a sync shows without reloading. Everything is written with
// textContent: no text from the server becomes HTML.
"use strict";
(function () {
  const root = document.getElementById("dashboard");
  if (!root) return;
  const source = root.dataset.source;
  const refreshMs = Math.max(2, Number(root.dataset.refresh) || 5) * 1000;
  const charts = {};
  const palette = "#0d6efd";

  function rowsFromTable(table) {
    return Array.from(table.tBodies[0].rows).map(function (tr) {
      return { label: tr.cells[0].textContent, n: Number(tr.cells[1].textContent) };
    });
  }

  function draw(canvas, rows) {
    const id = canvas.dataset.dimension;
    const labels = rows.map(function (r) { return r.label; });
    const values = rows.map(function (r) { return r.n; });
    if (typeof Chart === "undefined") return;
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets[0].data = values;
      charts[id].update("none");
      return;
    }
    const line = canvas.dataset.chart === "line";
    charts[id] = new Chart(canvas, {
      type: line ? "line" : "bar",
      data: { labels: labels, datasets: [{ data: values, backgroundColor: palette, borderColor: palette, fill: false, tension: 0.2, maxBarThickness: 28 }] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: line ? "x" : "y",
        plugins: { legend: { display: false } },
        scales: line ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function fillTable(table, rows) {
    const body = document.createElement("tbody");
    rows.forEach(function (r) {
      const tr = document.createElement("tr");
      const label = document.createElement("td");
      label.textContent = r.label;
      const n = document.createElement("td");
      n.className = "text-end";
      n.textContent = String(r.n);
      tr.append(label, n);
      body.append(tr);
    });
    table.replaceChild(body, table.tBodies[0]);
  }

  function show(data) {
    document.getElementById("dashboard-total").textContent = String(data.total);
    document.getElementById("dashboard-updated").textContent = data.updated || "";
    root.querySelectorAll("table[data-dimension]").forEach(function (table) {
      const rows = data[table.dataset.dimension];
      if (Array.isArray(rows)) fillTable(table, rows);
    });
    root.querySelectorAll("canvas[data-dimension]").forEach(function (canvas) {
      const rows = data[canvas.dataset.dimension];
      if (Array.isArray(rows)) draw(canvas, rows);
    });
  }

  function poll() {
    fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        const json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!r.ok || !json) throw new Error("session");
        return r.json();
      })
      .then(function (data) {
        show(data);
        setTimeout(poll, refreshMs);
      })
      .catch(function () {
        // Logged out or the server away: the numbers shown stay, and say they may be old.
        document.getElementById("dashboard-updated").textContent = root.dataset.stale || "";
        setTimeout(poll, refreshMs * 4);
      });
  }

  root.querySelectorAll("canvas[data-dimension]").forEach(function (canvas) {
    const table = root.querySelector("table[data-dimension='" + canvas.dataset.dimension + "']");
    if (table) draw(canvas, rowsFromTable(table));
  });
  setTimeout(poll, refreshMs);
})();
