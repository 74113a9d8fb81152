// Answered by `kg serve` for the static site's static/service.js: here /search, /screen and
// /sparql answer, so the header links them (the pages kg serve renders itself already do).
(() => {
  const nav = document.querySelector("header.site nav");
  if (!nav || nav.querySelector(".service")) return;
  for (const [text, path] of [["Search", "/search"], ["Screen", "/screen"], ["SPARQL", "/sparql"]]) {
    const link = document.createElement("a");
    link.className = "service";
    link.href = path;
    link.textContent = text;
    nav.append(link);
  }
  // Here each IRI is answered in TriG and N-Quads too, each fact in the graph that states it:
  // the site's files, and the Turtle, merge the graphs (a kind only we infer reads there as
  // the list's). A static host has no such file, so only this script links them.
  const turtle = document.querySelector("p.rdf a[type='text/turtle']");
  if (!turtle) return;
  const stem = turtle.getAttribute("href").replace(/\.ttl$/, "");
  let after = document.querySelector("p.rdf a[type='application/n-triples']") || turtle;
  for (const [text, suffix, type] of [
    ["TriG", ".trig", "application/trig"],
    ["N-Quads", ".nq", "application/n-quads"],
  ]) {
    const link = document.createElement("a");
    link.className = "service";
    link.href = stem + suffix;
    link.type = type;
    link.textContent = text;
    link.title = "each fact in the graph that states it";
    after.after(" · ", link);
    after = link;
  }
})();
