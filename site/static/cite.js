// The BibTeX entry of the page, written from its citation, which says the same: "Publisher.
// “Label”. Title, version V (N-Quads SHA-256 ...), DATE. IRI" with the label as <cite>.
// kg/site/cite.py's bibtex() is the same entry in Python; the tests hold the two to the
// same text. Without this script the citation shows and the entry stays hidden. The release's date is the entry's `date`
// (and `year`); `urldate`, the day its reader read it, is the reader's today.
"use strict";

(function () {
  const box = document.querySelector(".cite details[data-key]");
  if (!box) return;
  const citation = box.previousElementSibling;
  const label = citation.querySelector("cite").textContent;
  const text = citation.textContent;
  const author = text.slice(0, text.indexOf(". “"));
  // After the label: ". Title, version V, DATE. IRI" (an IRI has no space).
  const rest = text.slice(text.indexOf("“") + 1 + label.length + 3);
  const iri = rest.slice(rest.lastIndexOf(". ") + 2);
  const work = rest.slice(0, rest.lastIndexOf(". "));
  const date = work.slice(work.lastIndexOf(", ") + 2);
  const note = work.slice(0, work.lastIndexOf(", "));
  const special = { "\\": "\\textbackslash{}", "^": "\\^{}", "~": "\\~{}" };
  const now = new Date();
  const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
    .map((part) => String(part).padStart(2, "0")).join("-");
  const escape = (value) => value.replace(/[\\{}%&$#_^~]/g, (c) => special[c] || "\\" + c);
  box.querySelector("pre").textContent = [
    `@misc{${box.dataset.key},`,
    `  title = {${escape(label)}},`,
    `  author = {{${escape(author)}}},`,
    `  howpublished = {\\url{${iri}}},`,
    `  note = {${escape(note)}},`,
    `  year = {${date.slice(0, 4)}},`,
    `  date = {${date}},`,
    `  urldate = {${today}}`,
    "}",
  ].join("\n");
  box.hidden = false;
})();
