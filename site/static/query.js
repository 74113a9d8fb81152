// The query page: runs the query against /sparql and shows the result as a table.
// Every value is written with textContent: data never becomes markup.
"use strict";

const SOLUTION_FORMATS = ["json", "xml", "csv", "tsv"];
const GRAPH_FORMATS = ["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"];

function element(tag, text) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  return node;
}

function downloadLinks(query, formats) {
  const paragraph = document.getElementById("downloads");
  paragraph.replaceChildren(document.createTextNode("Download: "));
  formats.forEach((format, position) => {
    const link = element("a", format);
    link.href = "/sparql?" + new URLSearchParams({ query, format }).toString();
    if (position > 0) paragraph.append(" · ");
    paragraph.append(link);
  });
}

// The query's own prefixes, longest namespace first: an IRI is shown as prefix:name, as
// the query writes it (on a phone, full IRIs made each row a column of tall cells).
function prefixesOf(query) {
  const found = [...query.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gi)];
  return found.map((m) => [m[1] || "", m[2]]).sort((a, b) => b[1].length - a[1].length);
}

function shortened(iri, prefixes) {
  for (const [prefix, namespace] of prefixes) {
    const local = iri.slice(namespace.length);
    if (namespace && iri.startsWith(namespace) && /^[\w-]([\w.-]*[\w-])?$/.test(local)) {
      return prefix + ":" + local;
    }
  }
  // One of ours, by its path under the base (its link goes there on this server).
  return iri.startsWith(window.KG_BASE) ? iri.slice(window.KG_BASE.length) : iri;
}

function cell(term, prefixes) {
  const td = element("td");
  if (!term) return td;
  if (term.type === "uri") {
    const link = element("a", shortened(term.value, prefixes));
    link.title = term.value;
    link.className = "iri"; // breaks only where it cannot fit: the box scrolls instead
    const local = new URL(term.value);
    link.href = term.value.startsWith(window.KG_BASE) ? "/" + term.value.slice(window.KG_BASE.length) : local.href;
    td.append(link);
  } else if (term["xml:lang"]) {
    // The text in its language (read aloud so); the tag after it as SPARQL writes it, muted:
    // "Opposes @en", never "Opposes (en)", which read as part of the value.
    const text = element("span", term.value);
    text.lang = term["xml:lang"];
    const tag = element("span", "@" + term["xml:lang"]);
    tag.className = "lang";
    tag.title = "language tag";
    td.append(text, " ", tag);
  } else {
    td.textContent = term.value;
    // A date is never broken at its hyphens ("2019-10- / 08").
    if (/#date(Time)?$/.test(term.datatype || "")) td.className = "date";
  }
  return td;
}

function table(result, prefixes) {
  const vars = result.head.vars;
  const tableNode = element("table");
  const head = element("thead");
  const headRow = element("tr");
  vars.forEach((name) => {
    const th = element("th", name);
    th.scope = "col";
    headRow.append(th);
  });
  head.append(headRow);
  const body = element("tbody");
  result.results.bindings.forEach((binding) => {
    const row = element("tr");
    vars.forEach((name) => row.append(cell(binding[name], prefixes)));
    body.append(row);
  });
  tableNode.append(head, body);
  // In a box that scrolls sideways on a phone, as the site's tables are: words wrap between
  // words, never inside one ("Oppo-ses"). Focusable, so that a keyboard can scroll it.
  const box = element("div");
  box.className = "scroll";
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", "Query results");
  box.append(tableNode);
  return box;
}

async function run(event) {
  if (event) event.preventDefault();
  const query = document.getElementById("query").value;
  // The address is the query's, to share: opened in a browser, it shows this page and runs it.
  history.replaceState(null, "", "/sparql?" + new URLSearchParams({ query }).toString());
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  status.textContent = "Running…";
  results.replaceChildren();
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/sparql-results+json, text/turtle;q=0.9",
    },
    body: new URLSearchParams({ query }),
  });
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok) {
    // What is wrong, wrapped (in a <pre> a long one ran off the page: trial 31); then, in a
    // <pre>, a syntax error's line and the caret under it, lined up.
    status.textContent = "Error " + response.status + ":";
    const [said, ...where] = (await response.text()).split("\n");
    results.append(element("p", said));
    if (where.join("").trim()) results.append(element("pre", where.join("\n")));
    return;
  }
  if (type.startsWith("application/sparql-results+json")) {
    const result = await response.json();
    downloadLinks(query, SOLUTION_FORMATS);
    if ("boolean" in result) {
      status.textContent = "Answer: " + (result.boolean ? "yes (true)" : "no (false)");
      return;
    }
    const count = result.results.bindings.length;
    status.textContent = count + " row" + (count === 1 ? "" : "s") +
      (response.headers.get("KG-Results-Truncated") ? " (cut at the result limit)" : "");
    results.append(table(result, prefixesOf(query)));
  } else {
    downloadLinks(query, GRAPH_FORMATS);
    status.textContent = "Graph result (Turtle):";
    const pre = element("pre", await response.text());
    pre.tabIndex = 0;
    results.append(pre);
  }
}

// The menu says what the box holds: once the box is edited, "Your own query", which gives
// the edited text back after an example was looked at.
let ownQuery = "";

function exampleText(id) {
  return document.getElementById("example-" + id).innerHTML
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

function chooseExample() {
  const id = document.getElementById("example").value;
  const box = document.getElementById("query");
  if (id) box.value = exampleText(id);
  else if (ownQuery) box.value = ownQuery; // nothing typed yet: the box stays as it is
  clearResults();
}

// The results shown, and their download links, answered the query before: not this one.
function clearResults() {
  document.getElementById("results").replaceChildren();
  document.getElementById("downloads").replaceChildren();
  document.getElementById("status").textContent = "Run the query to see its results.";
}

function edited() {
  const menu = document.getElementById("example");
  ownQuery = document.getElementById("query").value;
  if (menu.value && ownQuery !== exampleText(menu.value)) menu.value = "";
  clearResults();
}

window.KG_BASE = document.documentElement.dataset.base || "https://w3id.org/entitylist-kg/";
document.getElementById("example").addEventListener("change", chooseExample);
document.getElementById("query").addEventListener("input", edited);
document.getElementById("query-form").addEventListener("submit", run);
// Opened from a link to a query (/sparql?query=...): the example it is, or "Your own
// query", and its results.
if (document.getElementById("query-form").dataset.run !== undefined) {
  const asked = document.getElementById("query").value;
  const menu = document.getElementById("example");
  const example = [...menu.options].find((option) => option.value && exampleText(option.value) === asked);
  menu.value = example ? example.value : "";
  ownQuery = example ? "" : asked;
  run();
}
