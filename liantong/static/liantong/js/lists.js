/* List pages (core/object_list.html): remember a list's filters for this browser tab and bring them back
   when the user returns to the bare list address; 清除 forgets them. No inline script (CSP). */
(function () {
  "use strict";
  var KEY = "lt-list:";
  function remember(form) {
    var path = form.getAttribute("data-remember");
    var qs = location.pathname === path ? location.search.replace(/^\?/, "") : "";
    var params = new URLSearchParams(qs);
    params.delete("page");
    params.delete("export");
    try {
      if (params.toString()) { sessionStorage.setItem(KEY + path, params.toString()); }
      else { sessionStorage.removeItem(KEY + path); }
    } catch (e) { /* storage off: nothing remembered */ }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-remember]");
    if (!form) { return; }
    var path = form.getAttribute("data-remember");
    var saved = null;
    try { saved = sessionStorage.getItem(KEY + path); } catch (e) { saved = null; }
    var cameBack = !location.search && saved && !sessionStorage.getItem(KEY + path + ":cleared");
    try { sessionStorage.removeItem(KEY + path + ":cleared"); } catch (e) { /* ignore */ }
    if (cameBack) { location.replace(path + "?" + saved); return; }
    remember(form);
    document.body.addEventListener("htmx:pushedIntoHistory", function () { remember(form); });
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest("[data-clear]");
      if (a) {
        try { sessionStorage.removeItem(KEY + path); sessionStorage.setItem(KEY + path + ":cleared", "1"); } catch (e) { /* ignore */ }
      }
    });
  });
  /* a wide table on a narrow screen: say that it scrolls sideways */
  function hints() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (hint && hint.classList.contains("lt-scroll-hint")) {
        hint.classList.toggle("d-none", box.scrollWidth <= box.clientWidth + 2);
      }
    });
  }
  window.addEventListener("resize", hints);
  document.addEventListener("DOMContentLoaded", hints);
  document.addEventListener("htmx:afterSettle", hints);
})();

/* Actions that cannot be undone ask first (<form data-confirm="…">); a suggestion fills a field
   (<button data-fill="#id_lead" data-value="…">, e.g. 派单建议 → 主办部门). */
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var text = form && form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { ev.preventDefault(); }
  }, true);
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-fill]") : null;
    if (!btn) { return; }
    var field = document.querySelector(btn.getAttribute("data-fill"));
    if (field) {
      field.value = btn.getAttribute("data-value");
      field.dispatchEvent(new Event("change", { bubbles: true }));
      field.focus();
    }
  });
})();
