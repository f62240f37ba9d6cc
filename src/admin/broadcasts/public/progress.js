// Broadcast progress page: re-fetches the live part (counts, reasons, actions) every few seconds
// while the broadcast is scheduled, sending or has messages in flight, and swaps it in. The server
// renders that part with escaping, so it is inserted as it comes; no inline code (strict CSP).
(function () {
  'use strict';

  var POLL_MS = 5000;
  var timer = null;
  var fetching = false;

  function live() {
    return document.getElementById('broadcast-live');
  }

  function schedule() {
    var node = live();
    if (!node || node.getAttribute('data-live') !== '1') return;
    timer = window.setTimeout(refresh, POLL_MS);
  }

  function refresh() {
    timer = null;
    var node = live();
    if (!node) return;
    if (document.hidden || fetching) {
      if (!fetching) schedule();
      return;
    }
    fetching = true;
    fetch(node.getAttribute('data-src'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (markup) {
        var holder = document.createElement('div');
        holder.innerHTML = markup;
        var fresh = holder.querySelector('#broadcast-live');
        // An official typing into the cancel confirmation keeps their page until they submit.
        var busy = node.contains(document.activeElement) && document.activeElement !== document.body;
        if (fresh && !busy) node.parentNode.replaceChild(fresh, node);
      })
      .catch(function () {
        /* keep the numbers shown; try again at the next tick */
      })
      .then(function () {
        fetching = false;
        schedule();
      });
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && timer === null && !fetching) refresh();
  });
  schedule();
})();
