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
})();
