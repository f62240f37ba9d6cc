/*
 * "Add row" for repeatable form rows (documents, opening hours). A button `data-add-row="X"` clones
 * the last `[data-row]` of `[data-repeat="X"]`, renumbers its inputs (`doc_3_name` -> `doc_4_name`)
 * and empties them. Without JavaScript the page still offers spare empty rows, so nothing depends on it.
 */
(function () {
  'use strict';
  var INDEX = /_(\d+)_/;

  function renumber(el, n) {
    ['name', 'id', 'for', 'aria-describedby'].forEach(function (attr) {
      var v = el.getAttribute(attr);
      if (v && INDEX.test(v)) el.setAttribute(attr, v.replace(INDEX, '_' + n + '_'));
    });
  }

  function clear(el) {
    if (el.tagName === 'SELECT') el.selectedIndex = 0;
    else if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if ('value' in el) el.value = el.getAttribute('data-default') || '';
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }

  function addRow(container) {
    var rows = container.querySelectorAll('[data-row]');
    var last = rows[rows.length - 1];
    if (!last) return;
    var copy = last.cloneNode(true);
    var n = rows.length;
    copy.querySelectorAll('.field-error').forEach(function (e) { e.remove(); });
    copy.querySelectorAll('[name], [id], [for]').forEach(function (el) { renumber(el, n); });
    copy.querySelectorAll('input, select, textarea').forEach(clear);
    copy.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    container.appendChild(copy);
    var first = copy.querySelector('input:not([type=checkbox]), select, textarea');
    if (first) first.focus();
  }

  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function () {
      var container = document.querySelector('[data-repeat="' + button.getAttribute('data-add-row') + '"]');
      if (container) addRow(container);
    });
  });
})();
