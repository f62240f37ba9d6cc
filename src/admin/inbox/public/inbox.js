// Inbox conversation page: fetches messages that arrive after the page was drawn and appends them to
// the history, every few seconds while the tab is visible. Plain browser JavaScript, no inline code
// (the console's CSP allows only scripts from our own origin). Messages are built with textContent:
// a citizen's text is never parsed as HTML.
(function () {
  'use strict';

  var POLL_MS = 4000;
  var log = document.getElementById('inbox-chat');
  var notice = document.getElementById('inbox-notice');
  if (!log || !notice) return;

  var url = log.getAttribute('data-poll-url');
  var lastId = Number(log.getAttribute('data-last-id')) || 0;
  var state = log.getAttribute('data-state');
  var timer = null;
  var inFlight = false;
  var stopped = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var bubbleClass = { in: 'bubble in', out: 'bubble out', official: 'bubble out official' };

  // The same structure as the server's `bubble()` in views.ts.
  function bubble(m) {
    var div = el('div', bubbleClass[m.kind] || 'bubble out');
    div.setAttribute('data-id', String(m.id));
    var head = el('div', 'muted');
    head.appendChild(el('small', null, m.author + ' · ' + m.time));
    div.appendChild(head);
    var body = el('div');
    String(m.text).split(/\r\n|\r|\n/).forEach(function (line, i) {
      if (i > 0) body.appendChild(document.createElement('br'));
      body.appendChild(document.createTextNode(line));
    });
    div.appendChild(body);
    if (m.meta) {
      var meta = el('div', 'muted');
      meta.appendChild(el('small', null, m.meta));
      div.appendChild(meta);
    }
    return div;
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function append(messages) {
    var follow = nearBottom();
    var empty = log.querySelector('[data-empty]');
    if (empty && messages.length) empty.parentNode.removeChild(empty);
    messages.forEach(function (m) {
      if (log.querySelector('[data-id="' + Number(m.id) + '"]')) return;
      log.appendChild(bubble(m));
    });
    if (follow) log.scrollTop = log.scrollHeight;
  }

  // Someone claimed or handed back the conversation: the buttons on this page are out of date.
  function showChanged() {
    notice.textContent = notice.getAttribute('data-changed') + ' ';
    var a = el('a', null, notice.getAttribute('data-reload'));
    a.href = window.location.pathname;
    notice.appendChild(a);
    notice.hidden = false;
  }

  function stop(message) {
    stopped = true;
    if (timer) clearTimeout(timer);
    notice.textContent = message;
    notice.hidden = false;
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  function poll() {
    if (stopped || inFlight) return;
    if (document.hidden) return schedule();
    inFlight = true;
    fetch(url + '?after=' + lastId, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) {
        // A redirect to the sign-in page or a 401/403: the session ended; polling on would be useless.
        if (res.redirected || res.status === 401 || res.status === 403 || res.status === 404) {
          stop(notice.getAttribute('data-stopped'));
          return null;
        }
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (!data || !Array.isArray(data.messages)) return;
        append(data.messages);
        if (typeof data.lastId === 'number' && data.lastId > lastId) lastId = data.lastId;
        if (data.state && data.state !== state) showChanged();
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () {
        inFlight = false;
        schedule();
      });
  }

  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && !stopped) poll();
  });
  log.scrollTop = log.scrollHeight;
  schedule();
})();
