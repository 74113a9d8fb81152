// The entity index: search over names, aliases and transliterations (Latin or Chinese
// script), run in the browser on the prebuilt search-index.json, and sortable columns.
// Data is only ever written with textContent or compared as text: it never becomes markup.
"use strict";

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

function fold(text) {
  const plain = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  return plain.replace(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu, " $& ")
    .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function matches(words, names) {
  const folded = names.map(fold);
  return words.every((word) => folded.some((nameWords) =>
    nameWords.some((w) => (CJK.test(word) ? w === word : w.startsWith(word)))));
}

async function setUp() {
  // The search filters as one types: the form has nothing to submit.
  document.getElementById("entity-search").addEventListener("submit", (event) => event.preventDefault());
  const table = document.getElementById("entities");
  const rows = Array.from(table.tBodies[0].rows);
  const script = document.querySelector('script[src$="entities.js"]');
  const indexUrl = new URL("../entities/search-index.json", script.src);
  const entries = await (await fetch(indexUrl)).json();
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const input = document.getElementById("q");
  const status = document.getElementById("search-status");

  function search() {
    const words = fold(input.value);
    let shown = 0;
    rows.forEach((row) => {
      const path = new URL(row.querySelector("a").href).pathname;
      const entry = Array.from(byPath.values()).find((e) => path.endsWith("/" + e.path));
      const visible = words.length === 0 || (entry && matches(words, [entry.label, ...entry.names]));
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    status.textContent = words.length ? shown + " of " + rows.length + " entries match." : rows.length + " entries.";
  }

  input.addEventListener("input", search);
  if (input.value) search();

  table.querySelectorAll("thead th").forEach((header, column) => {
    header.querySelector("button").addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const sorted = rows.slice().sort((a, b) => {
        const x = a.cells[column].textContent, y = b.cells[column].textContent;
        return ascending ? x.localeCompare(y) : y.localeCompare(x);
      });
      table.tBodies[0].append(...sorted);
    });
  });
}

setUp();
