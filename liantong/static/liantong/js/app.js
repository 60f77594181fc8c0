/* The pages' own behaviour, as a file (the Content-Security-Policy allows no inline handlers):
   - <select data-autosubmit> submits its form when changed;
   - <a data-back> goes back one page. */
(function () {
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el && el.matches && el.matches('[data-autosubmit]') && el.form) { el.form.submit(); }
  });
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('[data-back]') : null;
    if (a && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });
})();
