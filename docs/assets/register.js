/* The register's scripts: the compare selection, search (Pagefind) and the compare page.
   Every page works without them; they add search, filters and side-by-side comparison.
   Text from the catalogue is only ever put into the page with textContent or as nodes
   of our own (already escaped) pages, never as HTML strings. */
(function () {
  "use strict";

  // The site root, from this script's own address (…/assets/register.js), so the site
  // works at any base path and from a local folder alike.
  var ROOT = new URL("../", document.currentScript.src);
  var STORE = "mc-compare";
  var MAX = 4;
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  // --- the compare selection: ids kept in localStorage, shown in a tray ---------------

  function picked() {
    try {
      var ids = JSON.parse(localStorage.getItem(STORE) || "[]");
      return Array.isArray(ids) ? ids.filter(function (i) { return ID.test(i); }).slice(0, MAX) : [];
    } catch (e) { return []; }
  }
  function setPicked(ids) {
    try { localStorage.setItem(STORE, JSON.stringify(ids)); } catch (e) { /* private mode: selection lasts for the page */ }
    syncPicks(ids);
  }
  function compareUrl(ids) {
    return new URL("compare/?ids=" + ids.map(encodeURIComponent).join(",").replace(/%2F/g, "/"), ROOT).href;
  }

  var tray;
  function syncPicks(ids) {
    document.querySelectorAll("input.mc-pick").forEach(function (box) { box.checked = ids.indexOf(box.value) >= 0; });
    if (!tray) return;
    tray.hidden = ids.length === 0;
    tray.querySelector(".mc-tray__count").textContent =
      ids.length + (ids.length === 1 ? " credential" : " credentials") + " picked to compare" +
      (ids.length < 2 ? " (pick at least 2)" : "");
    var link = tray.querySelector("a");
    link.href = compareUrl(ids);
    link.setAttribute("aria-disabled", ids.length < 2 ? "true" : "false");
  }
  function say(message) {
    if (tray) { tray.hidden = false; tray.querySelector(".mc-tray__note").textContent = message; }
  }

  function setUpPicks() {
    tray = el("div", { className: "mc-tray", role: "region", "aria-label": "Compare selection" }, [
      el("span", { className: "mc-tray__count" }),
      " ",
      el("a", { className: "md-button md-button--primary", href: compareUrl([]), text: "Compare" }),
      " ",
      el("button", { type: "button", className: "md-button", text: "Clear" }),
      el("span", { className: "mc-tray__note", role: "status" })
    ]);
    tray.hidden = true;
    tray.querySelector("button").addEventListener("click", function () { setPicked([]); say(""); });
    document.body.appendChild(tray);

    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.classList || !box.classList.contains("mc-pick")) return;
      var ids = picked().filter(function (i) { return i !== box.value; });
      if (box.checked) {
        if (ids.length >= MAX) { box.checked = false; say("You can compare up to " + MAX + " credentials."); return; }
        ids.push(box.value);
      }
      say("");
      setPicked(ids);
    });
    // With scripts on, "Compare selected" compares the whole selection, also picks made on other pages.
    document.querySelectorAll("form.mc-compare-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.location.href = compareUrl(picked());
      });
    });
    syncPicks(picked());
  }

  // --- search with Pagefind ----------------------------------------------------------

  var FILTERS = [
    ["level", "EQF level"], ["field", "Field"], ["sector", "Sector"], ["workload", "Workload"],
    ["participation", "Participation"], ["language", "Language"], ["country", "Country"],
    ["provider", "Provider"], ["cost", "Cost"], ["status", "Status"]
  ];
  var PAGE = 20;
  // Pagefind keeps each sort order for every page in the first file any search downloads
  // (about 22 KB per order at 10,000 credentials), so the register gives it none. The build
  // indexes the pages in title order, which is the order of a search by filters alone; level
  // and workload sort through filters, whose files load only when used: one search per value,
  // values in the build's order.
  var SORT_FILTERS = { level: "level", workload: "ects" };

  function setUpSearch(box) {
    var form = box.querySelector("#mc-search-form");
    var query = box.querySelector("#mc-q");
    var sort = box.querySelector("#mc-sort");
    var filtersBox = box.querySelector("#mc-filters");
    var status = box.querySelector("#mc-status");
    var list = box.querySelector("#mc-results");
    var more = box.querySelector("#mc-more");
    var clear = box.querySelector("#mc-clear");
    var order = JSON.parse(box.querySelector("#mc-filter-order").textContent || "{}");
    var pagefind, results = [], shown = 0, run = 0;

    // State lives in the URL: ?q=…&sort=level:asc&level=EQF 5&country=France
    function readState() {
      var params = new URLSearchParams(window.location.search);
      var state = { q: params.get("q") || "", sort: params.get("sort") || "", filters: {} };
      FILTERS.forEach(function (f) {
        var values = params.getAll(f[0]);
        if (values.length) state.filters[f[0]] = values;
      });
      return state;
    }
    function currentState() {
      var state = { q: query.value.trim(), sort: sort.value, filters: {} };
      filtersBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (c) {
        (state.filters[c.name] = state.filters[c.name] || []).push(c.value);
      });
      return state;
    }
    function writeState(state) {
      var params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      if (state.sort) params.set("sort", state.sort);
      Object.keys(state.filters).forEach(function (k) { state.filters[k].forEach(function (v) { params.append(k, v); }); });
      var search = params.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    // The filters are drawn once, from the values the build listed; each search updates their counts.
    function drawFilters(state) {
      filtersBox.textContent = "";
      filtersBox.appendChild(el("h3", { text: "Filters" }));
      FILTERS.forEach(function (f) {
        var name = f[0], values = order[name] || [];
        if (!values.length) return;
        var chosen = state.filters[name] || [];
        var set = el("fieldset", { className: "mc-filter" }, [el("legend", { text: f[1] })]);
        values.forEach(function (value, i) {
          var id = "mc-f-" + name + "-" + i;
          var input = el("input", { type: "checkbox", id: id, name: name, value: value });
          input.checked = chosen.indexOf(value) >= 0;
          var label = el("label", { "for": id }, [value + " ", el("span", { className: "mc-count" })]);
          set.appendChild(el("div", { className: "mc-filter__option", "data-value": value }, [input, " ", label]));
        });
        var wrap = el("details", { className: "mc-filter-group", "data-filter": name },
                      [el("summary", {}, [f[1], el("span", { className: "mc-chosen" })]), set]);
        wrap.open = chosen.length > 0 || name === "level";
        filtersBox.appendChild(wrap);
      });
    }

    function updateCounts(counts, state) {
      filtersBox.querySelectorAll("details.mc-filter-group").forEach(function (group) {
        var name = group.getAttribute("data-filter"), tally = counts[name] || {};
        var chosen = (state.filters[name] || []).length;
        group.querySelector(".mc-chosen").textContent = chosen ? " (" + chosen + " chosen)" : "";
        group.querySelectorAll(".mc-filter__option").forEach(function (option) {
          if (!(name in counts)) { option.querySelector(".mc-count").textContent = ""; return; } // not counted while closed
          var n = tally[option.getAttribute("data-value")] || 0;
          option.querySelector(".mc-count").textContent = "(" + n + ")";
          option.classList.toggle("mc-filter__option--empty", n === 0);
        });
      });
    }

    function card(data) {
      var m = data.meta || {};
      var facts = [m.provider, m.level, m.workload, m.participation, m.languages, m.cost, m.countries]
        .filter(Boolean).join(" · ");
      var title = el("a", { href: data.url, text: m.title || data.url });
      var badges = [];
      if (m.status && m.status !== "active") badges.push(el("span", { className: "mc-badge mc-badge--" + m.status, text: m.status === "withdrawn" ? "Withdrawn" : "Suspended" }));
      if (m.example) badges.push(el("span", { className: "mc-badge mc-badge--example", text: "Example" }));
      var pick = el("input", { type: "checkbox", className: "mc-pick", value: m.id || "" });
      var h = el("h3", { className: "mc-card__title" }, [title]);
      badges.forEach(function (b) { h.appendChild(document.createTextNode(" ")); h.appendChild(b); });
      return el("li", { className: "mc-card" }, [
        h,
        el("p", { className: "mc-card__facts", text: facts }),
        m.id ? el("label", { className: "mc-pick-label" }, [pick, " Compare"]) : null
      ]);
    }

    function showMore() {
      var next = results.slice(shown, shown + PAGE);
      shown += next.length;
      return Promise.all(next.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (d) { list.appendChild(card(d)); });
        more.hidden = shown >= results.length;
        syncPicks(picked());
      });
    }

    // Pagefind counts a filter's values only when the filter is part of the search, so the
    // filters shown open go in too (an empty "any" does not narrow). Closed ones stay out: each
    // filter is a file of its own to download. A chosen filter's own counts come from a search
    // without it: they say how many results each further value would add.
    function filtersFor(state, except) {
      var filters = {};
      filtersBox.querySelectorAll("details.mc-filter-group").forEach(function (group) {
        var name = group.getAttribute("data-filter"), chosen = state.filters[name] || [];
        if (group.open || chosen.length) filters[name] = { any: name === except ? [] : chosen };
      });
      return filters;
    }

    // The results of a search, in the order of a filter's values (a value the search already
    // narrows to some values of that filter keeps to those).
    function sortedByFilter(term, filters, name, descending) {
      var chosen = (filters[name] && filters[name].any) || [];
      var values = (order[name] || []).filter(function (v) { return !chosen.length || chosen.indexOf(v) >= 0; });
      if (descending) values = values.slice().reverse();
      return Promise.all(values.map(function (value) {
        var narrowed = Object.assign({}, filters);
        narrowed[name] = { any: [value] };
        return pagefind.search(term, { filters: narrowed });
      })).then(function (parts) {
        return parts.reduce(function (all, r) { return all.concat((r && r.results) || []); }, []);
      });
    }

    // By title: the results of the same search by filters alone, in their (title) order.
    function sortedByTitle(term, filters, descending) {
      return Promise.all([pagefind.search(null, { filters: filters }), term && pagefind.search(term, { filters: filters })])
        .then(function (found) {
          var byTitle = (found[0] && found[0].results) || [], list = byTitle;
          if (term) {
            var rank = {};
            byTitle.forEach(function (r, i) { rank[r.id] = i; });
            list = ((found[1] && found[1].results) || []).slice().sort(function (a, b) { return rank[a.id] - rank[b.id]; });
          }
          return descending ? list.slice().reverse() : list;
        });
    }

    function search(first) {
      var state = currentState(), mine = ++run;
      writeState(state);
      var active = Object.keys(state.filters);
      clear.hidden = !state.q && !active.length && !state.sort;
      var options = { filters: filtersFor(state) };
      var term = state.q || null, ordered = null;
      if (state.sort) {
        var s = state.sort.split(":"), descending = s[1] === "desc";
        if (s[0] === "title") ordered = sortedByTitle(term, options.filters, descending);
        else if (SORT_FILTERS[s[0]]) ordered = sortedByFilter(term, options.filters, SORT_FILTERS[s[0]], descending);
      }
      status.textContent = "Searching…";
      var counts = active.map(function (name) {
        return pagefind.search(term, { filters: filtersFor(state, name) }).then(function (r) { return [name, r && r.filters ? r.filters[name] : {}]; });
      });
      return Promise.all([pagefind.search(term, options), ordered].concat(counts)).then(function (all) {
        if (mine !== run) return; // a newer search has started
        var found = all[0], tally = Object.assign({}, (found && found.filters) || {});
        all.slice(2).forEach(function (pair) { tally[pair[0]] = pair[1] || {}; });
        results = (found && found.results) || [];
        if (all[1]) { // sorted; anything the sort did not place (no value to sort by) goes last
          var placed = {};
          all[1].forEach(function (r) { placed[r.id] = true; });
          results = all[1].concat(results.filter(function (r) { return !placed[r.id]; }));
        }
        updateCounts(tally, state);
        var what = state.q ? " for “" + state.q + "”" : "";
        var message = results.length === 0
          ? "No credentials match" + what + ". Try fewer filters or other words."
          : results.length + (results.length === 1 ? " credential matches" : " credentials match") + what + (active.length ? " with the chosen filters" : "") + ".";
        // The page comes with the first cards of the search without words, filters or sort.
        if (first === true && !state.q && !active.length && !state.sort && list.children.length) {
          shown = Math.min(list.children.length, results.length);
          more.hidden = shown >= results.length;
          status.textContent = message;
          return;
        }
        shown = 0;
        list.textContent = "";
        // announce the count once the first cards are there
        return showMore().then(function () { if (mine === run) status.textContent = message; });
      });
    }

    var timer;
    form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
    query.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 300); });
    sort.addEventListener("change", search);
    filtersBox.addEventListener("change", search);
    // opening a filter group counts its values ("toggle" does not bubble, so listen on the way down)
    // (groups opened by drawFilters fire it too, later: those are counted by the first search)
    var ready = false;
    filtersBox.addEventListener("toggle", function (event) { if (ready && event.target.open) search(); }, true);
    more.addEventListener("click", function () {
      var first = shown;
      showMore().then(function () { var link = list.children[first] && list.children[first].querySelector("a"); if (link) link.focus(); });
    });
    clear.addEventListener("click", function () {
      query.value = ""; sort.value = "";
      filtersBox.querySelectorAll("input:checked").forEach(function (c) { c.checked = false; });
      search().then(function () { query.focus(); });
    });

    filtersBox.textContent = "Loading the search index…";
    import(new URL("pagefind/pagefind.js", ROOT).href).then(function (module) {
      pagefind = module;
      // in the page, not a web worker: searches here are small, and the worker is 13 KB more to fetch
      return pagefind.options({ baseUrl: ROOT.pathname, noWorker: true });
    }).then(function () {
      var state = readState();
      query.value = state.q;
      sort.value = state.sort;
      // Draw the filters with the URL's choices ticked, so search() reads them back.
      drawFilters(state);
      return search(true).then(function () { ready = true; });
    }).catch(function () {
      filtersBox.textContent = "";
      status.textContent = "Search is not available here (the search index did not load). Browse the tables instead.";
    });
  }

  // --- the compare page ----------------------------------------------------------------

  function idsFromUrl() {
    var params = new URLSearchParams(window.location.search), ids = [];
    params.getAll("ids").forEach(function (v) { v.split(",").forEach(function (i) { i = i.trim(); if (ID.test(i) && ids.indexOf(i) < 0) ids.push(i); }); });
    return ids.slice(0, MAX);
  }

  function fetchCredential(id) {
    var url = new URL("credentials/" + id + "/", ROOT);
    return fetch(url.href).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var page = doc.querySelector(".mc-credential");
      if (!page) throw new Error("not a credential page");
      // Links in the fetched page are relative to it; make them absolute before moving them here.
      page.querySelectorAll("a[href]").forEach(function (a) { a.setAttribute("href", new URL(a.getAttribute("href"), url).href); });
      var rows = [];
      page.querySelectorAll("[data-compare]").forEach(function (node) {
        var label = node.getAttribute("data-label") || (node.querySelector("th") || {}).textContent;
        var value = node.querySelector(".mc-value") || node.querySelector("td");
        rows.push({ key: node.getAttribute("data-compare"), label: label, value: value });
      });
      var h1 = page.querySelector("h1");
      var provider = page.querySelector(".mc-offered a");
      return { id: id, url: url.href, title: h1 ? h1.textContent : id, provider: provider ? provider.textContent : "",
               status: page.querySelector(".mc-banner--withdrawn, .mc-banner--suspended") ? "not active" : "", rows: rows };
    }).catch(function () { return { id: id, url: url.href, missing: true, rows: [] }; });
  }

  function setUpCompare(box) {
    var out = box.querySelector("#mc-compare-out");
    var ids = idsFromUrl();
    if (!ids.length && picked().length) ids = picked();
    if (ids.length) { setPicked(ids); history.replaceState(null, "", compareUrl(ids)); }
    if (ids.length < 2) {
      out.textContent = "";
      out.appendChild(el("p", { className: "mc-banner", text: ids.length
        ? "Pick at least one more credential to compare (you have 1)."
        : "No credentials picked yet. Tick “Compare” on 2 to 4 credentials in search results, browse tables or credential pages." }));
      var home = el("a", { href: ROOT.href, text: "Search the register" });
      out.appendChild(el("p", {}, [home]));
      return;
    }
    out.textContent = "Loading " + ids.length + " credentials…";
    Promise.all(ids.map(fetchCredential)).then(function (creds) {
      out.textContent = "";
      var onlyDiff = el("input", { type: "checkbox", id: "mc-only-diff" });
      out.appendChild(el("p", {}, [onlyDiff, " ", el("label", { "for": "mc-only-diff", text: "Show only the elements that differ" })]));
      var table = el("table", { className: "mc-table mc-compare-table" });
      table.appendChild(el("caption", { text: "Comparing " + creds.length + " credentials, element by element" }));
      var head = el("tr", {}, [el("th", { scope: "col", text: "Element" })]);
      creds.forEach(function (c) {
        var remove = el("button", { type: "button", className: "md-button mc-remove", text: "Remove", "aria-label": "Remove " + (c.title || c.id) + " from the comparison" });
        remove.addEventListener("click", function () {
          var rest = ids.filter(function (i) { return i !== c.id; });
          setPicked(rest);
          window.location.href = compareUrl(rest);
        });
        head.appendChild(el("th", { scope: "col" }, c.missing
          ? [el("span", { text: c.id }), el("br"), el("span", { className: "mc-none", text: "Not found in the register" }), el("br"), remove]
          : [el("a", { href: c.url, text: c.title }), el("br"), el("span", { className: "mc-compare-provider", text: c.provider }), el("br"), remove]));
      });
      table.appendChild(el("thead", {}, [head]));
      var body = el("tbody");
      var first = creds.filter(function (c) { return !c.missing; })[0] || { rows: [] };
      first.rows.forEach(function (row) {
        var cells = creds.map(function (c) {
          var mine = c.rows.filter(function (r) { return r.key === row.key; })[0];
          return mine && mine.value ? mine.value : null;
        });
        var texts = cells.map(function (v) { return v ? v.textContent.replace(/\s+/g, " ").trim() : ""; });
        var differs = texts.some(function (t) { return t !== texts[0]; });
        var th = el("th", { scope: "row" }, [row.label]);
        if (differs) th.appendChild(el("span", { className: "mc-differs-tag", text: "differs" }));
        var tr = el("tr", { className: differs ? "mc-differs" : "mc-same", "data-key": row.key }, [th]);
        cells.forEach(function (v) {
          var td = el("td");
          if (v) Array.prototype.slice.call(v.childNodes).forEach(function (n) { td.appendChild(document.importNode(n, true)); });
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      out.appendChild(el("div", { className: "mc-table-wrap", tabindex: "0", role: "region", "aria-label": "Comparison table" }, [table]));
      onlyDiff.addEventListener("change", function () { table.classList.toggle("mc-only-diff", onlyDiff.checked); });
    });
  }

  function start() {
    setUpPicks();
    var search = document.getElementById("mc-search");
    if (search) setUpSearch(search);
    var compare = document.getElementById("mc-compare");
    if (compare) setUpCompare(compare);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
