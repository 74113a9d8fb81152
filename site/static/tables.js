// Tables that sort and page: progressive enhancement of a table the page already holds whole.
// Without this script every row shows; with it, a header is a button that sorts by its column
// and the rows show a page at a time (data-page-size). Rows are moved, never rewritten.
"use strict";

function enhance(table) {
  const size = Number(table.dataset.pageSize) || 100;
  const body = table.tBodies[0];
  let rows = Array.from(body.rows);
  let page = 0;
  // A pager above the table and one below: a phone's page of 100 rows is several screens
  // long. The one below brings the table's top back into view.
  const pagers = ["above", "below"].map((where) => {
    const nav = document.createElement("nav");
    nav.className = "pager";
    nav.setAttribute("aria-label", "Pages of " + (table.caption ? table.caption.textContent : "the table") + " (" + where + ")");
    const previous = document.createElement("button");
    const next = document.createElement("button");
    const status = document.createElement("span");
    if (where === "above") status.setAttribute("aria-live", "polite");
    previous.type = next.type = "button";
    previous.textContent = "Previous";
    next.textContent = "Next";
    nav.append(previous, status, next);
    const turn = (by) => {
      page += by;
      show();
      // The new page from its first row: a box that scrolls (a phone's) kept its place at
      // the bottom, and showed the last rows of the next page.
      table.parentElement.scrollTop = 0;
      if (where === "below") table.parentElement.scrollIntoView();
    };
    previous.addEventListener("click", () => turn(-1));
    next.addEventListener("click", () => turn(1));
    return { nav, previous, next, status };
  });

  function show() {
    const pages = Math.max(1, Math.ceil(rows.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    rows.forEach((row, n) => { row.hidden = Math.floor(n / size) !== page; });
    const first = page * size + 1, last = Math.min(rows.length, (page + 1) * size);
    for (const pager of pagers) {
      pager.status.textContent = rows.length ? `Rows ${first} to ${last} of ${rows.length}` : "No rows";
      pager.previous.disabled = page === 0;
      pager.next.disabled = page >= pages - 1;
    }
  }

  if (rows.length > size) {
    table.parentElement.before(pagers[0].nav);
    table.parentElement.after(pagers[1].nav);
  }

  table.querySelectorAll("thead th").forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    header.textContent = "";
    header.append(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows = rows.slice().sort((a, b) => {
        const x = a.cells[column].textContent, y = b.cells[column].textContent;
        return ascending ? x.localeCompare(y) : y.localeCompare(x);
      });
      body.append(...rows);
      page = 0;
      show();
    });
  });
  if (rows.length > size) show();
}

document.querySelectorAll("table[data-sortable]").forEach(enhance);
