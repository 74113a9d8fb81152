// Long tables (class "pageable") shown a page at a time and sorted by any column. Without
// JavaScript the whole table is there, sorted as built; this only hides rows and reorders
// them. Cell text is compared as text and never becomes markup.
"use strict";

(() => {
  const SIZE = 100;

  function enhance(table) {
    const body = table.tBodies[0];
    let rows = Array.from(body.rows);
    let page = 0;
    const pager = document.createElement("div");
    pager.className = "pager";
    const previous = button("Previous page"), next = button("Next page");
    const where = document.createElement("span");
    where.setAttribute("aria-live", "polite");
    pager.append(previous, where, next);
    table.closest(".scroll").after(pager);

    function show() {
      const pages = Math.max(1, Math.ceil(rows.length / SIZE));
      page = Math.min(Math.max(page, 0), pages - 1);
      rows.forEach((row, i) => { row.hidden = Math.floor(i / SIZE) !== page; });
      const first = page * SIZE + 1, last = Math.min(rows.length, (page + 1) * SIZE);
      where.textContent = "Rows " + first + "–" + last + " of " + rows.length;
      previous.disabled = page === 0;
      next.disabled = page === pages - 1;
      pager.hidden = pages === 1;
    }

    previous.addEventListener("click", () => { page -= 1; show(); });
    next.addEventListener("click", () => { page += 1; show(); });
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((header, column) => {
      const sort = button(header.textContent);
      header.replaceChildren(sort);
      sort.addEventListener("click", () => {
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach((h) => h.removeAttribute("aria-sort"));
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = (row) => row.cells[column].textContent;
        rows = rows.slice().sort((a, b) => (ascending ? 1 : -1) * key(a).localeCompare(key(b)));
        body.append(...rows);
        page = 0;
        show();
      });
    });
    show();
  }

  function button(text) {
    const made = document.createElement("button");
    made.type = "button";
    made.textContent = text;
    return made;
  }

  document.querySelectorAll("table.pageable").forEach(enhance);
})();
