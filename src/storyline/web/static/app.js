// Storyline web app: small progressive enhancements. Every page works without this file.
// Article text is untrusted: it is only ever inserted with textContent / createTextNode.
"use strict";

(function () {
  var articleCache = {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function fetchArticle(id) {
    if (articleCache[id]) { return Promise.resolve(articleCache[id]); }
    return fetch("/api/articles/" + encodeURIComponent(id), { headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (a) { articleCache[id] = a; return a; });
  }

  // Story page: a citation opens its passage, highlighted, in the reader panel.
  function showPassage(link) {
    var reader = document.getElementById("reader");
    var head = document.getElementById("reader-head");
    var body = document.getElementById("reader-text");
    var id = link.getAttribute("data-article");
    var start = parseInt(link.getAttribute("data-start"), 10);
    var end = parseInt(link.getAttribute("data-end"), 10);
    document.querySelectorAll(".cite.active").forEach(function (c) { c.classList.remove("active"); });
    link.classList.add("active");
    head.textContent = "";
    body.textContent = "Loading…";
    fetchArticle(id).then(function (a) {
      var hint = document.getElementById("reader-hint");
      if (hint) { hint.hidden = true; }
      head.textContent = "";
      head.appendChild(el("div", "outlet", a.outlet || "unknown outlet"));
      var t = el("a", "reader-title", a.title || "(untitled)");
      t.href = "/article/" + encodeURIComponent(a.id) + "?hl=" + start + "-" + end + "#hl";
      head.appendChild(t);
      head.appendChild(el("div", "muted small", (a.published || "undated")));
      body.textContent = "";
      var text = a.text || "";
      var before = text.slice(0, start), passage = text.slice(start, end), after = text.slice(end);
      var p = el("div", "reader-body");
      p.appendChild(document.createTextNode(before));
      var mark = el("mark", "hl", passage);
      mark.id = "reader-mark";
      p.appendChild(mark);
      p.appendChild(document.createTextNode(after));
      body.appendChild(p);
      reader.classList.add("open");
      var top = mark.offsetTop - 80;  // .reader-text is the offset parent
      body.scrollTop = top > 0 ? top : 0;
    }).catch(function (err) {
      body.textContent = "Could not load the article (" + err.message + ").";
    });
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!(target instanceof Element)) { return; }
    var cite = target.closest("a.cite[data-article]");
    if (cite && document.getElementById("reader") && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey) {
      ev.preventDefault();
      showPassage(cite);
      return;
    }
    // Compare view: light up every piece that shares a key (the same fact or entity).
    var keyed = target.closest("[data-k]");
    if (keyed && (keyed.closest(".columns") || keyed.closest(".diffs"))) {
      var keys = (keyed.getAttribute("data-k") || "").split(" ").filter(Boolean);
      var wasLit = keyed.classList.contains("lit");
      document.querySelectorAll(".lit").forEach(function (x) { x.classList.remove("lit"); });
      if (!wasLit) {
        keys.forEach(function (k) {
          document.querySelectorAll('[data-k~="' + CSS.escape(k) + '"]').forEach(function (x) { x.classList.add("lit"); });
        });
      }
    }
  });

  // Article page: toggles show or hide each kind of extracted span.
  document.querySelectorAll("#toggles input[data-kind]").forEach(function (box) {
    var text = document.getElementById("article-text");
    function apply() { text.classList.toggle("hide-" + box.getAttribute("data-kind"), !box.checked); }
    box.addEventListener("change", apply);
    apply();
  });

  var targetPiece = document.querySelector("[data-target]");
  if (targetPiece) { targetPiece.scrollIntoView({ block: "center" }); }
})();
