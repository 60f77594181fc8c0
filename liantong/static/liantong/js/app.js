/* The pages' own behaviour, as a file (the Content-Security-Policy allows no inline handlers):
   - <select data-autosubmit> submits its form when changed;
   - <a data-back> goes back one page;
   - <input data-filter-for="ID"> shows only the options of <select id="ID"> whose text holds what is typed
     (chosen ones stay shown), and says how many in the element named by its data-filter-count. */
(function () {
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.matches && el.matches('[data-autosubmit]') && el.form) { el.form.submit(); }
  });
  document.addEventListener('input', function (e) {
    var box = e.target;
    if (!box || !box.matches || !box.matches('[data-filter-for]')) { return; }
    var select = document.getElementById(box.getAttribute('data-filter-for'));
    if (!select) { return; }
    var q = box.value.trim().toLowerCase(), shown = 0;
    for (var i = 0; i < select.options.length; i++) {
      var o = select.options[i];
      var hit = !q || o.selected || o.text.toLowerCase().indexOf(q) !== -1;
      o.hidden = !hit;
      if (hit) { shown++; }
    }
    var count = document.getElementById(box.getAttribute('data-filter-count') || '');
    if (count) { count.textContent = q ? '显示 ' + shown + ' / ' + select.options.length + ' 项' : ''; }
  });
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('[data-back]') : null;
    if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });
})();
