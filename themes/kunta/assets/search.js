/* Kuntasivu search: the search page's results, with the Pagefind index built with the site.
 *
 * Without this script the search form is a plain GET to the search page, which then says that
 * search needs JavaScript and lists the site's pages (components/search). With it:
 *  - nothing of Pagefind is fetched until the first search: then pagefind/pagefind.js is imported
 *    from the site's own root (found from the page's data-pagefind address, so a site published
 *    under a sub-path works) and loads the index of the page's language (<html lang>);
 *  - a search runs on submit, and on load when the address has ?q=; the address is updated with
 *    history.replaceState, so results can be linked to;
 *  - the number of results is written into the role=status element, which screen readers read
 *    politely; focus stays where it was (the field or the button). The element is emptied when a
 *    search starts and the text written a moment later, in a task of its own: a text that replaces
 *    the same text in one task is not read again (a repeated search, a cached index);
 *  - results are ordinary links named by the page's title, with Pagefind's excerpt rebuilt from
 *    text nodes and <mark> elements (never innerHTML);
 *  - "Show more results" adds the next results and moves focus to the first of them.
 * Pagefind runs on the page's own thread (noWorker): no worker script to fetch or allow in the
 * Content-Security-Policy. WebAssembly needs script-src 'wasm-unsafe-eval'.
 * No third-party code, no build step, no animation.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var ANNOUNCE_DELAY_MS = 100;
  var root = document.querySelector(".search[data-pagefind]");
  if (!root) return;
  var form = root.querySelector("form");
  var field = form.querySelector("input[name=q]");
  var status = root.querySelector(".search__status");
  var results = root.querySelector(".search__results");
  var list = results.querySelector(".search__list");
  var more = results.querySelector(".search__more");
  var texts = JSON.parse(root.querySelector("script.search__texts").textContent);
  var bundle = new URL(root.getAttribute("data-pagefind"), document.baseURI);
  // Result addresses start from the site's root, the folder above pagefind/.
  var siteRoot = new URL("../", bundle).pathname;

  var engine = null;
  var latest = 0;
  var found = [];
  var shown = 0;
  var announcement = 0;

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  /* The status is emptied now and ``text`` written after ANNOUNCE_DELAY_MS, if ``search`` is still
     the latest; a newer search's emptying cancels what an older one had waiting. */
  function announce(search, text) {
    window.clearTimeout(announcement);
    status.textContent = "";
    announcement = window.setTimeout(function () {
      if (search === latest) status.textContent = text;
    }, ANNOUNCE_DELAY_MS);
  }

  function silence() {
    window.clearTimeout(announcement);
    status.textContent = "";
  }

  /* Pagefind's module, imported once, at the first search (a failed import is tried again next time). */
  function pagefind() {
    if (!engine) {
      engine = import(bundle.href).then(function (module) {
        return module.options({ baseUrl: siteRoot, noWorker: true, excerptLength: 30 }).then(function () {
          return module;
        });
      });
      engine.catch(function () {
        engine = null;
      });
    }
    return engine;
  }

  /* Pagefind's excerpt is the page's text with < and > escaped and the matches in <mark>: built
     here from text nodes and <mark> elements, so no markup from the index is ever parsed. */
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "search-result__excerpt";
    var parts = html.split(/(<mark>[\s\S]*?<\/mark>)/);
    parts.forEach(function (part) {
      var marked = /^<mark>([\s\S]*)<\/mark>$/.exec(part);
      var text = (marked ? marked[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (!text) return;
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(text));
      }
    });
    return paragraph;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h3");
    heading.className = "search-result__title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    li.appendChild(heading);
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  /* The next PAGE_SIZE results into the list; resolves to their links (empty if a newer search began). */
  function showMore(search) {
    var next = found.slice(shown, shown + PAGE_SIZE);
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (search !== latest) return [];
      var links = pages.map(function (data) {
        var li = item(data);
        list.appendChild(li);
        return li.querySelector("a");
      });
      shown += pages.length;
      more.hidden = shown >= found.length;
      return links;
    });
  }

  function setAddress(query) {
    var address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query);
    else address.searchParams.delete("q");
    window.history.replaceState(window.history.state, "", address.href);
  }

  function run(query) {
    var search = ++latest;
    setAddress(query);
    // Emptied first (and any older search's announcement cancelled), so the same count is read again.
    silence();
    if (!query) {
      results.hidden = true;
      announce(search, texts.empty);
      return Promise.resolve();
    }
    return pagefind()
      .then(function (module) { return module.search(query); })
      .then(function (response) {
        if (search !== latest) return;
        found = response.results;
        shown = 0;
        list.textContent = "";
        if (!found.length) {
          results.hidden = true;
          announce(search, format(texts.none, { query: query }));
          return;
        }
        return showMore(search).then(function () {
          if (search !== latest) return;
          results.hidden = false;
          var text = found.length === 1 ? texts.count_one : texts.count_many;
          announce(search, format(text, { count: found.length, query: query }));
        });
      })
      .catch(function (error) {
        if (search !== latest) return;
        results.hidden = true;
        announce(search, texts.failed);
        if (window.console) window.console.error("Kuntasivu search:", error);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(field.value.trim());
  });

  more.addEventListener("click", function () {
    showMore(latest).then(function (links) {
      if (links.length) links[0].focus();
    });
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial && initial.trim()) {
    field.value = initial;
    run(initial.trim());
  }
})();
