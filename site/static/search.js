// The name search of the static site, over the prebuilt index in entities/search/ (written
// by kg/site/search_index.py). A query's words are folded (search-words.js), each word's
// shard is fetched once and kept, and names are scored as the server's /search scores them
// (kg/match/name_index.py): a word found whole counts 1, a word a name's word begins with 0.7
// (two letters or more, not Chinese; a spelling it begins counts for the word the spelling is
// read as), an acronym of 3 to 6 letters beside other words 0.7 for the words it stands for
// ("Xinjiang PSB"), every word must be found; then the share of the name's words the query covers,
// and a little more for the label. Ties go to the label's order.
// The query and the filters are kept in the address (?q=&list=&kind=&country=), so a search
// can be shared. Data is only ever written with textContent: it never becomes markup.
"use strict";

(() => {
  const PAGE = 20;
  // The most results an address may ask to show at once (`shown`): records are read by
  // chunks, and a link to thousands would read them all.
  const MOST_SHOWN = 1000;
  const form = document.getElementById("name-search");
  const input = document.getElementById("q");
  const status = document.getElementById("search-status");
  const results = document.getElementById("results");
  const more = document.getElementById("more");
  const filters = ["list", "kind", "country"].map((name) => document.getElementById(name));
  const base = new URL(form.dataset.index, document.baseURI);
  const files = new Map();
  const records = new Map(); // entity number -> what its result shows
  let meta = null;
  let latest = 0;
  let shown = PAGE;
  let restored = PAGE; // how many the address asked to show on arrival ("Show more" clicked)
  let lastHits = [];

  function load(path) {
    if (!files.has(path)) {
      files.set(path, fetch(new URL(path, base)).then((answer) => {
        if (!answer.ok) throw new Error(path + ": " + answer.status);
        return answer.json();
      }));
    }
    return files.get(path);
  }

  async function shardOf(word) {
    const key = shardKey(word);
    if (!meta.shards.includes(key)) return { aliases: {}, words: {} };
    const shard = await load("w/" + key + ".json");
    // The records of the first page of the query that is the key: no records file to wait for.
    for (const [entity, record] of shard.first || []) records.set(entity, record);
    return shard;
  }

  async function recordsOf(hits) {
    const chunks = new Set(hits.filter((hit) => !records.has(hit.entity))
      .map((hit) => Math.floor(hit.entity / meta.chunk)));
    await Promise.all([...chunks].map(async (n) => {
      (await load("r/" + n + ".json")).forEach((record, i) => records.set(n * meta.chunk + i, record));
    }));
  }

  async function canonical(word) {
    const shard = await shardOf(word);
    return Object.prototype.hasOwnProperty.call(shard.aliases, word) ? shard.aliases[word] : word;
  }

  // Names holding the word (1) or a longer word it begins (0.7), and, `beside` other words,
  // names it is an acronym of (0.7; kg.match.acronyms): name key -> [weight, words].
  async function candidates(word, beside) {
    const shard = await shardOf(word);
    const found = new Map();
    const add = (postings, weight) => {
      for (let i = 0; i < postings.length; i += 3) {
        const key = postings[i] * 4096 + postings[i + 1];
        if (!found.has(key)) found.set(key, [weight, postings[i + 2]]);
      }
    };
    if (Object.prototype.hasOwnProperty.call(shard.words, word)) add(shard.words[word], 1);
    const initials = shard.initials || {};
    if (beside && /^\p{L}{3,6}$/u.test(word) && Object.prototype.hasOwnProperty.call(initials, word)) {
      add(initials[word], 0.7);
    }
    if ([...word].length >= 2 && !isCjk(word)) {
      for (const other of Object.keys(shard.words)) {
        if (other !== word && other.startsWith(word)) add(shard.words[other], 0.7);
      }
      // A spelling the word begins stands for its class: "moham" for mohammed, which the
      // index holds as muhammad (in its own shard).
      const readAs = new Set(Object.keys(shard.aliases).sort()
        .filter((spelling) => spelling.startsWith(word)).map((spelling) => shard.aliases[spelling]));
      for (const other of readAs) {
        const held = (await shardOf(other)).words;
        if (other !== word && Object.prototype.hasOwnProperty.call(held, other)) add(held[other], 0.7);
      }
    }
    return found;
  }

  // The query's words that tell a name apart, as the index counts a name's (`size`): all
  // but legal forms, or every word of a query that is all legal form (kg.match.words.naming).
  function naming(words) {
    const legal = new Set(meta.legal || []);
    const telling = words.filter((word) => !legal.has(word));
    return telling.length ? telling : words;
  }

  async function holds(word) {
    return Object.prototype.hasOwnProperty.call((await shardOf(word)).words, word);
  }

  // Two neighbours joined where the index holds them as one word of meta.joined_from letters
  // or more: "hik vision" is hikvision, as /search and screening read it
  // (kg.match.name_index.NameIndex._joined).
  async function joined(words) {
    const found = [];
    for (const word of words) {
      const pair = found.length ? found[found.length - 1] + word : "";
      if ([...pair].length >= (meta.joined_from || Infinity) && (await holds(pair))) {
        found[found.length - 1] = pair;
      } else {
        found.push(word);
      }
    }
    return found;
  }

  // The words as written and, where two neighbours are one word of the index, as joined:
  // each entity by its best (NameIndex.search).
  async function scoreEither(words) {
    const best = await score(words);
    const other = await joined(words);
    if (other.join(" ") !== words.join(" ")) {
      for (const [entity, hit] of await score([...new Set(other)])) {
        if (!best.has(entity) || hit.score > best.get(entity).score) best.set(entity, hit);
      }
    }
    return best;
  }

  async function score(words) {
    const beside = new Set(words).size > 1;
    const sets = await Promise.all(words.map((word) => candidates(word, beside)));
    const covering = naming(words).length;
    let totals = null;
    for (const found of sets) {
      const next = new Map();
      for (const [key, [weight, size]] of found) {
        if (totals === null) next.set(key, [weight, size]);
        else if (totals.has(key)) next.set(key, [totals.get(key)[0] + weight, size]);
      }
      totals = next;
    }
    const best = new Map();
    for (const [key, [total, size]] of totals || []) {
      const entity = Math.floor(key / 4096), label = key % 4096 === 0;
      const value = total / words.length + 0.3 * (covering / Math.max(1, size)) + (label ? 0.1 : 0);
      const rounded = Math.round(value * 10000) / 10000;
      const before = best.get(entity);
      if (!before || rounded > before.score) best.set(entity, { entity, score: rounded, name: key % 4096 });
    }
    return best;
  }

  // The entities each chosen filter keeps, by filter.
  async function kept() {
    const chosen = filters.filter((select) => select.value);
    return new Map(await Promise.all(chosen.map(async (select) => [select.id,
      new Set(await load("f/" + select.id + "/" + encodeURIComponent(select.value) + ".json"))])));
  }

  // Each menu counts what its values would keep of the results asked, with the other menus'
  // filters, as faceted searches do (it gave the whole site's counts whatever was asked:
  // "Company (9)" beside 150 results for huawei). The whole site's, when nothing is asked.
  async function count(found, keep) {
    const asked = input.value.trim() !== "" || keep.size > 0;
    const values = asked ? await load("f/values.json") : null;
    for (const select of filters) {
      const counts = meta.facets[select.id].map((value) => (values ? 0 : value[2]));
      if (values) {
        const others = [...keep].filter(([facet]) => facet !== select.id).map(([, set]) => set);
        for (const hit of found) {
          if (others.every((set) => set.has(hit.entity))) {
            for (const place of values[select.id][hit.entity]) counts[place] += 1;
          }
        }
      }
      const byCode = new Map(meta.facets[select.id].map((value, place) => [value[0], place]));
      for (const option of select.options) {
        if (option.value) option.textContent = labelOf(select.id, option.value) + " (" + counts[byCode.get(option.value)] + ")";
      }
    }
  }

  async function search() {
    const started = performance.now();
    const ticket = ++latest;
    const words = [...new Set(await Promise.all(fold(input.value).map(canonical)))];
    const keep = await kept();
    const sets = [...keep.values()];
    let found;
    if (words.length) {
      found = [...(await scoreEither(words)).values()];
    } else if (keep.size) {
      found = Array.from({ length: meta.entities }, (_, entity) => ({ entity, score: 0, name: 0 }));
    } else {
      found = [];
    }
    const hits = found.filter((hit) => sets.every((set) => set.has(hit.entity)));
    hits.sort((a, b) => b.score - a.score || a.entity - b.entity);
    if (ticket !== latest) return;
    lastHits = hits;
    shown = restored;
    restored = PAGE;
    remember();
    await show(ticket);
    if (ticket !== latest) return;
    await count(found, keep);
    if (ticket !== latest) return;
    performance.measure("search", { start: started, detail: input.value });
  }

  async function show(ticket) {
    const page = lastHits.slice(0, shown);
    await recordsOf(page);
    if (ticket !== latest) return;
    results.replaceChildren(...page.map((hit) => item(hit, records.get(hit.entity))));
    more.hidden = lastHits.length <= shown;
    const asked = input.value.trim() || filters.some((select) => select.value);
    const said = unknown.size
      ? "There is " + [...unknown.values()].map((x) => x.said).join("; ") + ". " : "";
    status.textContent = said + (asked
      ? lastHits.length + (lastHits.length === 1 ? " entity matches" : " entities match") +
        (lastHits.length > shown ? "; the first " + shown + " are shown." : ".")
      : status.dataset.summary + " Type a name, or choose a list, kind or country.");
    // "xinjiang psb" found nothing and said no more (trial 27): where a server screens
    // (its Screen link in the header), a name misspelt or abbreviated may be found there.
    const screen = document.querySelector('a.service[href="/screen"]');
    if (!lastHits.length && input.value.trim() && screen) {
      const link = document.createElement("a");
      link.href = "/screen?" + new URLSearchParams({ name: input.value.trim() });
      link.textContent = "screening “" + input.value.trim() + "”";
      status.append(" Names are found by their words as written; one misspelt or abbreviated may be found by ", link, ".");
    }
  }

  function labelOf(facet, code) {
    const found = meta.facets[facet].find((value) => value[0] === code);
    return found ? found[1] : code;
  }

  function item(hit, record) {
    const [label, path, kind, lists, countries, since, names, inferred, births] = record;
    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = form.dataset.root + path;
    link.textContent = label;
    const details = document.createElement("span");
    details.className = "details";
    const kindText = labelOf("kind", kind) + (inferred ? " (inferred by us, not stated by the list)" : "");
    const parts = [kindText, lists.map((code) => labelOf("list", code)).join("; ")];
    if (countries.length) parts.push(countries.map((code) => labelOf("country", code)).join(", "));
    if (births.length) parts.push("born " + births.join(" or "));
    // The earliest start date a list gives, not when the party was first listed: MAHAN
    // AIRWAYS, denied since 2008, read "listed since 2021-11-17", a renewal's (trial 55b).
    if (since) parts.push("the list's start date " + since);
    details.textContent = parts.filter(Boolean).join(" · ");
    entry.append(link, " ", details);
    if (hit.name !== 0) {
      const matched = document.createElement("span");
      matched.className = "matched";
      matched.textContent = "matched “" + names[hit.name] + "”";
      entry.append(" ", matched);
    }
    return entry;
  }

  function remember() {
    const params = new URLSearchParams();
    if (input.value) params.set("q", input.value);
    // A filter that named nothing stays in the address as it was written, so that a shared
    // link says it again, until the reader chooses that filter in its menu.
    filters.forEach((select) => {
      const value = select.value || (unknown.get(select.id) || {}).wanted;
      if (value) params.set(select.id, value);
    });
    // What "Show more" showed, so that Back from a result, or a shared link, shows it again.
    if (shown > PAGE) params.set("shown", shown);
    const query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  // A filter in the address is its code, a word /search takes for it (data-also, "|"
  // between them: "SDN", "organization", "united kingdom"), or the start of its name in any
  // case ("pakistan"); one that names none is said, never dropped silently (every value is
  // then searched). A code or word first: "uk" is the United Kingdom, not Ukraine.
  const unknown = new Map(); // filter -> { wanted: as written, said: what is wrong }
  // As kg.match.countries folds names: "Korea, North" is "korea north", "Türkiye" "turkiye".
  const key = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/&/g, " and ").replace(/[^a-z0-9]+/g, " ").trim();
  function choose(select, wanted) {
    const folded = wanted.trim().toLowerCase();
    const keyed = key(wanted);
    const options = [...select.options].filter((o) => o.value);
    const named = (o) => o.value.toLowerCase() === folded ||
      (o.dataset.also || "").split("|").some((word) => key(word) === keyed);
    const exact = folded ? options.filter(named) : [];
    // Else the options whose name it begins ("denied", "org"), as /search reads it.
    const begun = folded && !exact.length
      ? options.filter((o) => o.textContent.toLowerCase().startsWith(folded)) : [];
    const several = exact.length ? exact : begun;
    const option = several.length === 1 ? several[0] : null;
    select.value = option ? option.value : "";
    if (several.length > 1) {
      // A name of two countries ("Korea"), or the start of several names: asked, never
      // guessed, as /search asks.
      const which = several.map((o) => o.textContent.replace(/ \(\d+\)$/, ""));
      const listed = which.slice(0, -1).join(", ") + " and " + which[which.length - 1];
      unknown.set(select.id, { wanted: wanted.trim(),
        said: "more than one " + select.id + (exact.length ? " “" : " beginning “") +
          wanted.trim() + "”, " + listed + ": choose which (every " + select.id + " is searched)" });
    } else if (folded && !option) {
      // Several values (list=SSI,CAP, as /search takes them): one menu holds one.
      unknown.set(select.id, { wanted: wanted.trim(), said: folded.includes(",")
        ? "one " + select.id + " at a time here, not “" + wanted.trim() + "” (every " + select.id + " is searched)"
        : "no " + select.id + " “" + wanted.trim() + "” (every " + select.id + " is searched)" });
    }
  }

  function failed(error) {
    status.textContent = "The search index could not be read (" + error.message + ").";
  }

  async function setUp() {
    meta = await load("meta.json");
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    filters.forEach((select) => choose(select, params.get(select.id) || ""));
    const asked = Number.parseInt(params.get("shown") || "", 10);
    if (asked > PAGE) restored = Math.min(asked, MOST_SHOWN);
    // Results follow the typing: the form has nothing to submit.
    form.addEventListener("submit", (event) => event.preventDefault());
    input.addEventListener("input", () => search().catch(failed));
    filters.forEach((select) => select.addEventListener("change", () => {
      unknown.delete(select.id);
      search().catch(failed);
    }));
    more.addEventListener("click", () => {
      shown += PAGE;
      remember();
      show(latest).catch(failed);
    });
    await search();
  }

  setUp().catch(failed);
})();
