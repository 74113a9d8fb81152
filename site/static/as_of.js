"use strict";
// The lists as of a day, from as-of/counts.json and one file per list (kg/site/as_of.py):
// each entry's window was computed at build time by the one as-of rule (kg/in_force.py);
// here a window holds a day when from <= day < until, ISO dates comparing as text.
(function () {
  const form = document.getElementById("as-of");
  if (!form) return;
  const day = document.getElementById("day");
  const list = document.getElementById("list");
  const status = document.getElementById("as-of-status");
  const section = document.getElementById("as-of-entries");
  const body = document.getElementById("entries-body");
  const more = document.getElementById("more");
  const reviewSection = document.getElementById("as-of-review");
  const reviewBody = document.getElementById("review-body");
  // A name to find among a list's entries: the rows come 200 at a time, and a reader who
  // searched the page for AMINI before "Show more" read him as not listed (trial 50c).
  const find = document.getElementById("find");
  const folded = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const named = (row) => !find.value.trim() || folded(row[1]).includes(folded(find.value.trim()));
  const PAGE = 200;
  const ISO = /^\d{4}-\d{2}-\d{2}$/;
  const files = new Map();
  let counts = null;
  let shown = [];
  let next = 0;

  // What of the address could not be shown, said once beside the answer: a day the
  // browser does not take (2019-02-30), a list the build does not have.
  let notice = "";
  const params = new URLSearchParams(window.location.search);
  const askedDay = params.get("day");
  if (askedDay) {
    if (ISO.test(askedDay)) day.value = askedDay;
    if (day.value !== askedDay) {
      day.value = day.defaultValue;
      notice = "“" + askedDay + "” is no day (YYYY-MM-DD): showing " + day.value + ", the day the page shows first. ";
    }
  }
  find.value = params.get("find") || "";
  const askedList = params.get("list");
  if (askedList) {
    // A list by its abbreviation too (list=DPL): it was "no list" (trial 50b).
    const abbreviated = Array.from(list.options).find(
      (o) => o.dataset.abbreviation && o.dataset.abbreviation.toLowerCase() === askedList.toLowerCase());
    list.value = abbreviated ? abbreviated.value : askedList;
    if (!list.value) {
      list.value = "";
      notice += "This site has no list “" + askedList + "”. ";
    }
  }
  const number = (n) => n.toLocaleString("en");
  // One party's entries are rows apart (an order printed twice, an airline under three
  // records): the counts say how many parties they are too (trial 50c).
  const parties = (rows, at) => new Set(rows.map((r) => r[at])).size;
  const ofParties = (rows, at) => {
    const n = parties(rows, at);
    return n === rows.length ? "" : " (" + number(n) + " part" + (n === 1 ? "y" : "ies") + ")";
  };
  // Before the first snapshot of the whole list a count is a lower bound (as-of/'s text);
  // after the last, what the partial snapshots since show, with no removal: neither bound.
  // Each figure of such a day says so. No snapshot of the whole list: every day is before.
  const wholeFrom = form.dataset.wholeFrom || "9999-12-31";
  const wholeUntil = form.dataset.wholeUntil || "9999-12-31";
  const atLeast = (when, n) => (when < wholeFrom ? (n ? "at least " + number(n) : "none known") : number(n));
  const asKnown = (when, mark) => (when > wholeUntil ? mark + "as far as known" : "");
  function say(text) {
    status.replaceChildren(withDates(notice + text));  // its dates whole too (trial 51c)
    notice = "";
  }

  function load(name) {
    if (!files.has(name)) files.set(name, fetch(name).then((r) => r.json()));
    return files.get(name);
  }
  function holds(entry, when) {
    return entry[2] <= when && (entry[4] === "" || when < entry[4]);
  }
  function countOn(steps, when) {
    let n = 0;
    for (const [d, change] of steps) {
      if (d > when) break;
      n += change;
    }
    return n;
  }
  function remember() {
    const query = new URLSearchParams({ day: day.value });
    if (list.value) query.set("list", list.value);
    if (find.value.trim()) query.set("find", find.value.trim());
    window.history.replaceState(null, "", "?" + query.toString());
  }
  function cell(row, label, content) {
    const td = document.createElement("td");
    td.dataset.label = label;
    td.append(content);
    row.append(td);
  }
  function date(day, note) {
    const span = document.createElement("span");
    span.className = "date";
    span.textContent = day;
    const part = document.createDocumentFragment();
    part.append(span, note);
    return part;
  }
  // A reason's text, its dates whole: "(2022-05-" above "06)" in 57 cells (trial 51c).
  function withDates(text) {
    const part = document.createDocumentFragment();
    text.split(/(\d{4}-\d{2}-\d{2})/).forEach((piece, i) => part.append(i % 2 ? date(piece, "") : piece));
    return part;
  }
  // The last day of a span [from, until): its days read inclusive, as a reader reads them.
  function dayBefore(until) {
    const d = new Date(until + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - 1);
    return d.toISOString().slice(0, 10);
  }
  function showMore() {
    for (const entry of shown.slice(next, next + PAGE)) {
      const row = document.createElement("tr");
      const link = document.createElement("a");
      link.href = "../" + entry[0];
      link.textContent = entry[1];
      cell(row, "Name", link);
      cell(row, "In force from", date(entry[2], entry[3] ? " (first observed; no start date)" : ""));
      cell(row, "No longer in force from", date(entry[4] || "—", ""));
      body.append(row);
    }
    next = Math.min(next + PAGE, shown.length);
    more.hidden = next >= shown.length;
    // "Show 139 more of 139" read as a slip (trial 51c).
    const rest = shown.length - next;
    more.textContent = "Show " + number(Math.min(PAGE, rest)) + " more" + (rest > PAGE ? " of the " + number(rest) + " not shown" : "");
  }
  // The entries not in force by their dates on the day that may have been: each row is
  // [entry page, name, from, until, why, party page], the days [from, until) computed at
  // build time (until "": no end).
  function showReview(data, when) {
    const review = (data.review || []).filter((r) => r[2] <= when && (r[3] === "" || when < r[3]) && named(r));
    reviewBody.replaceChildren();
    for (const r of review) {
      const row = document.createElement("tr");
      const link = document.createElement("a");
      link.href = "../" + r[0];
      link.textContent = r[1];
      cell(row, "Name", link);
      cell(row, "Why", withDates(r[4]));
      // Labelled, not a bare "(from X until Y)" after the reason (trial 50c).
      // Dates whole, never broken at their hyphens (trial 51a: "2021-11-" above "16").
      const days = document.createDocumentFragment();
      days.append(date(r[2], r[3] ? " to " : " on, no end known"));
      if (r[3]) days.append(date(dayBefore(r[3]), ""));
      cell(row, "Days it may have been in force", days);
      reviewBody.append(row);
    }
    document.getElementById("review-caption").replaceChildren(withDates(
      data.name + ": " + number(review.length) + " more" + ofParties(review, 5) + " not known to be in force on " +
      when + ", to review"));
    reviewSection.hidden = !review.length;
    return review;
  }
  async function update() {
    const when = day.value;
    if (!counts || !ISO.test(when)) return;
    document.getElementById("counts-day").textContent = when;
    for (const item of counts.lists) {
      const row = document.querySelector('tr[data-list="' + CSS.escape(item.file.replace(/\.json$/, "")) + '"]');
      if (row) row.cells[1].textContent = atLeast(when, countOn(item.steps, when)) + asKnown(when, " ");
    }
    if (!list.value) {
      section.hidden = true;
      reviewSection.hidden = true;
      say("Entries in force on " + when + ". Choose a list to see its entries.");
      return;
    }
    const data = await load(list.value + ".json");
    if (day.value !== when) return; // a later choice is on its way
    shown = data.entries.filter((entry) => holds(entry, when) && named(entry));
    const observed = shown.filter((entry) => entry[3]).length;
    body.replaceChildren();
    next = 0;
    // "none known entries" read badly: a day with none before the whole lists says so.
    const held = (shown.length || when >= wholeFrom
      ? atLeast(when, shown.length) + (shown.length === 1 ? " entry" : " entries") + ofParties(shown, 0)
      : "no entry known") + (find.value.trim() ? " named “" + find.value.trim() + "”" : "");
    document.getElementById("entries-caption").replaceChildren(withDates(
      data.name + ": " + held + " in force on " + when + asKnown(when, ", ")));
    const review = showReview(data, when);
    say(held[0].toUpperCase() + held.slice(1) + (shown.length || when >= wholeFrom ? " of the " : " on the ") + data.name + " in force on " + when + asKnown(when, ", ") +
      (observed ? "; " + number(observed) + " of them counted from their first observation" : "") +
      (review.length ? "; " + number(review.length) + " more" + ofParties(review, 5) +
        " not known to be in force that day, to review (in the table under the counts)" : "") + ".");
    section.hidden = false;
    showMore();
  }
  function changed(event) {
    if (event) event.preventDefault();
    remember();
    update();
  }
  form.addEventListener("submit", changed);
  day.addEventListener("change", () => changed());
  list.addEventListener("change", () => changed());
  find.addEventListener("change", () => changed());
  more.addEventListener("click", showMore);
  load("counts.json").then((data) => {
    counts = data;
    update();
  });
})();
