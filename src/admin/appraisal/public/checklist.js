// Session page: saves the checklist as the appraiser ticks it during the call, without leaving the
// page. Every save sends the whole list (the last save wins, nothing is merged out of order); one
// request at a time, and a tick made while a save is running is sent right after it. A failed save
// is retried and said on screen, so a tick is never silently lost. The form's own "Lưu" button still
// works without JavaScript. No inline code: the console's CSP allows only scripts from our origin.
(function () {
  'use strict';

  var form = document.getElementById('appraisal-checklist');
  var status = document.getElementById('checklist-status');
  var count = document.querySelector('[data-checklist-count]');
  if (!form || !status || !window.fetch) return;

  var RETRY_MS = 3000;
  var inFlight = false;
  var dirty = false;
  var retryTimer = null;
  var csrf = form.querySelector('input[name="_csrf"]');

  function say(key) {
    status.textContent = form.getAttribute('data-' + key) || '';
  }

  function body() {
    var params = new URLSearchParams();
    params.append('_csrf', csrf ? csrf.value : '');
    Array.prototype.forEach.call(form.querySelectorAll('input[name="ticked"]'), function (box) {
      if (box.checked) params.append('ticked', box.value);
    });
    return params;
  }

  function save() {
    if (inFlight) {
      dirty = true;
      return;
    }
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    inFlight = true;
    dirty = false;
    say('saving');
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: body().toString(),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (data) {
        inFlight = false;
        if (dirty) return save();
        say('saved');
        if (count && typeof data.done === 'number') {
          count.textContent = count.textContent.replace(/\d+\s*\/\s*\d+/, data.done + '/' + data.total);
        }
      })
      .catch(function () {
        inFlight = false;
        say('failed');
        retryTimer = setTimeout(save, RETRY_MS);
      });
  }

  form.addEventListener('change', function (e) {
    if (e.target && e.target.name === 'ticked') save();
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    save();
  });
})();
