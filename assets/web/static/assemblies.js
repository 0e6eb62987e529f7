// Live attendance at assemblies: asks assemblies.json every few seconds and writes the counts
// into the table's cells (textContent only), so a sign-in synced shows without reloading.
"use strict";
(function () {
  const root = document.getElementById("attendance");
  if (!root) return;
  const refreshMs = Math.max(2, Number(root.dataset.refresh) || 5) * 1000;
  const status = document.getElementById("attendance-updated");

  function show(data) {
    root.querySelectorAll("tr[data-assembly]").forEach(function (tr) {
      const counts = data.attendance[tr.dataset.assembly] || { people: 0, with_pass: 0, scans: 0 };
      tr.querySelectorAll("td[data-count]").forEach(function (td) {
        td.textContent = String(counts[td.dataset.count] || 0);
      });
    });
    status.textContent = data.updated || "";
  }

  function poll() {
    fetch(root.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok || (r.headers.get("Content-Type") || "").indexOf("application/json") !== 0) throw new Error("session");
        return r.json();
      })
      .then(function (data) {
        show(data);
        setTimeout(poll, refreshMs);
      })
      .catch(function () {
        status.textContent = root.dataset.stale || "";
        setTimeout(poll, refreshMs * 4);
      });
  }
  setTimeout(poll, refreshMs);
})();
