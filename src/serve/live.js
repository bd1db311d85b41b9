// shiji serve: live reload. Added to pages by `shiji serve` only, never by `shiji build`.
// Listens on a WebSocket: reloads the page after a rebuild that changed it, swaps
// stylesheets after a CSS-only change, shows build problems over the page until they are
// fixed, and reconnects by itself when the server restarts (reloading if the site was
// rebuilt meanwhile).
(function () {
  "use strict";
  var build = null;
  var overlay = null;
  var delay = 250;

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function hideOverlay() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function showOverlay(errors, text) {
    hideOverlay();
    overlay = el("div");
    overlay.id = "shiji-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "shiji-error-title");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;" +
      "background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,sans-serif";
    var title = el("h2", "构建出错，显示的是上一次成功构建的页面 · The site has problems: showing the last good build");
    title.id = "shiji-error-title";
    title.style.cssText = "margin:0 0 1rem;color:#a00;font-size:1.25rem";
    overlay.appendChild(title);
    var list = el("ul");
    list.setAttribute("role", "alert");
    errors.forEach(function (e) {
      // A spreadsheet's problem is at a cell (事项!G4), shown with what the cell holds.
      var place = e.cell ? e.file + " " + e.cell
        : e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "");
      var item = el("li");
      item.appendChild(el("strong", place));
      item.appendChild(document.createTextNode(" " + e.message + " [" + e.code + "]"));
      if (e.cell) item.appendChild(el("div", e.cell + "：" + (e.value || "（空）")));
      if (e.hint) item.appendChild(el("div", e.hint));
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var pre = el("pre", text);
    pre.style.cssText = "white-space:pre-wrap;background:#f4f4f4;padding:1rem;font:14px/1.4 monospace";
    overlay.appendChild(pre);
    document.body.appendChild(overlay);
    title.tabIndex = -1;
    title.focus();
  }

  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href);
      url.searchParams.set("shiji", Date.now());
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = function () { link.remove(); };
      link.after(next);
    });
  }

  function connect() {
    var proto = location.protocol === "https:" ? "wss:" : "ws:";
    var ws = new WebSocket(proto + "//" + location.host + "/__shiji/live");
    ws.onopen = function () { delay = 250; };
    ws.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.type === "hello") {
        if (build !== null && msg.build !== build) { location.reload(); return; }
        build = msg.build;
        if (msg.errors) showOverlay(msg.errors, msg.text); else hideOverlay();
      } else if (msg.type === "reload") {
        // A reload that names its pages (an edit's, then the long lists after) is for them only.
        var here = decodeURI(location.pathname).replace(/index\.html$/, "");
        if (!msg.pages || msg.pages.indexOf(here) >= 0) { location.reload(); return; }
        if (msg.build) build = msg.build;
      } else if (msg.type === "css") {
        build = msg.build;
        swapStyles();
      } else if (msg.type === "error") {
        showOverlay(msg.errors, msg.text);
      }
    };
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 2000);
    };
  }
  connect();
})();
