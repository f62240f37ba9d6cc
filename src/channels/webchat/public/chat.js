// Web chat client for "Trợ lý Một cửa". Plain browser JavaScript with no dependencies and no
// inline code, so the page loads nothing from outside our server and works under a strict CSP.
// Syntax stays at ES2017 (no optional chaining) so older phones still common among citizens run it.
(function () {
  'use strict';

  var API_URL = '/api/webchat/messages';
  var REQUEST_TIMEOUT_MS = 30000;
  var MAX_SAVED_ITEMS = 100;
  var KEY_SESSION = 'motcua.chat.sessionId';
  var KEY_GREETED = 'motcua.chat.greetedSessionId';
  var KEY_TRANSCRIPT = 'motcua.chat.transcript';
  // Officials' replies cannot ride on the response to the person's own message (they come later):
  // the page asks for them after each message, and every OFFICIAL_POLL_MS only while the server says
  // the conversation is with officials, so an ordinary bot chat costs no background traffic.
  var OFFICIAL_POLL_MS = 5000;

  var strings = readStrings();
  var $ = function (id) { return document.getElementById(id); };
  var scroller = $('scroller');
  var log = $('log');
  var form = $('composer');
  var input = $('input');
  var sendButton = $('send');
  var offlineNote = $('offline');
  var reduceMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;

  var state = {
    sessionId: loadSessionId(),
    busy: false,
    items: [], // what a reload of this tab shows again: {role, text, buttons?}
    quickReplies: null,
    typingRow: null,
    officialLastId: 0, // id of the last official reply shown (the server's message id)
    officialTimer: null,
    officialDue: false, // a poll came due while the tab was hidden
    officialWaiting: false, // the server said the conversation is with officials
    officialInFlight: false,
    officialAgain: false, // asked to poll while a poll was running: poll once more after it
  };

  function readStrings() {
    try {
      return JSON.parse(document.getElementById('chat-strings').textContent) || {};
    } catch (e) {
      console.error('chat: the locale strings were not injected into the page', e);
      return {};
    }
  }

  // A missing key shows its name, which a reviewer notices, instead of an empty control.
  function t(key) {
    return typeof strings[key] === 'string' ? strings[key] : key;
  }

  // Storage can be disabled or full (private modes, kiosk policies); the chat must still work.
  function storageGet(area, key) {
    try { return window[area].getItem(key); } catch (e) { return null; }
  }
  function storageSet(area, key, value) {
    try { window[area].setItem(key, value); } catch (e) { /* keep going in memory */ }
  }
  function storageRemove(area, key) {
    try { window[area].removeItem(key); } catch (e) { /* nothing stored */ }
  }

  // randomUUID exists only in secure contexts; an office intranet may serve the page over http.
  function newSessionId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function loadSessionId() {
    var id = storageGet('localStorage', KEY_SESSION);
    if (id && /^[A-Za-z0-9-]{8,64}$/.test(id)) return id;
    id = newSessionId();
    storageSet('localStorage', KEY_SESSION, id);
    return id;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function safeHref(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function externalLink(href, label, className) {
    var a = el('a', className, label);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.appendChild(el('span', 'visually-hidden', ' ' + t('opensInNewTab')));
    return a;
  }

  // Trailing punctuation usually ends the sentence, not the URL; a ")" stays when it closes a "(".
  function trimUrl(s) {
    var count = function (ch) { return s.split(ch).length - 1; };
    while (s.length) {
      var last = s.charAt(s.length - 1);
      if ('.,;:!?…\'"»]}'.indexOf(last) >= 0 || (last === ')' && count('(') < count(')'))) s = s.slice(0, -1);
      else break;
    }
    return s;
  }

  // Bot text is plain text: every piece becomes a text node or an anchor we build, never HTML.
  function appendLinkified(parent, line) {
    var re = /https?:\/\/[^\s<>"'`]+/gi;
    var last = 0;
    var m;
    while ((m = re.exec(line)) !== null) {
      var raw = trimUrl(m[0]);
      var href = safeHref(raw);
      if (!href) continue;
      parent.appendChild(document.createTextNode(line.slice(last, m.index)));
      parent.appendChild(externalLink(href, raw, 'inline-link'));
      last = m.index + raw.length;
    }
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function renderText(parent, text) {
    String(text).split(/\r\n|\r|\n/).forEach(function (line) {
      var cls = 'line';
      if (!line.trim()) cls = 'line blank';
      else if (/^\s*(•|-|\d+[.)])\s/.test(line)) cls = 'line item';
      var div = el('div', cls);
      appendLinkified(div, line);
      parent.appendChild(div);
    });
  }

  function lastRowIsBot() {
    var last = log.lastElementChild;
    return !!last && last.classList.contains('bot');
  }

  function botRow(extraClass) {
    var row = el('div', 'msg bot' + (extraClass ? ' ' + extraClass : ''));
    if (lastRowIsBot()) row.classList.add('follow');
    row.appendChild(document.getElementById('bot-avatar').content.cloneNode(true));
    return row;
  }

  function appendUser(text) {
    var row = el('div', 'msg user');
    var bubble = el('div', 'bubble');
    bubble.appendChild(el('span', 'visually-hidden', t('userLabel') + ': '));
    renderText(bubble, text);
    row.appendChild(bubble);
    log.appendChild(row);
    return row;
  }

  function appendBot(reply) {
    var row = botRow(reply.officialLabel ? 'official' : '');
    var body = el('div', 'msg-body');
    var bubble = el('div', 'bubble');
    // An official's reply says who wrote it, visibly: the person should know a human answered.
    if (reply.officialLabel) bubble.appendChild(el('div', 'line official-label', reply.officialLabel));
    else bubble.appendChild(el('span', 'visually-hidden', t('botLabel') + ': '));
    renderText(bubble, reply.text);
    body.appendChild(bubble);
    var actions = el('div', 'actions');
    (Array.isArray(reply.buttons) ? reply.buttons : []).forEach(function (b) {
      if (!b || typeof b.title !== 'string' || !b.title) return;
      var href = typeof b.url === 'string' ? safeHref(b.url) : null;
      if (href) {
        actions.appendChild(externalLink(href, b.title, 'action'));
      } else if (typeof b.payload === 'string' && b.payload) {
        var button = el('button', 'action', b.title);
        button.type = 'button';
        button.disabled = state.busy;
        button.addEventListener('click', function (e) { sendPayload(b.payload, b.title, e); });
        actions.appendChild(button);
      }
    });
    if (actions.childElementCount) {
      bubble.classList.add('has-actions');
      body.appendChild(actions);
    }
    row.appendChild(body);
    log.appendChild(row);
    return row;
  }

  function appendError(message) {
    var row = botRow('error');
    var bubble = el('div', 'bubble');
    renderText(bubble, message);
    row.appendChild(bubble);
    log.appendChild(row);
    return row;
  }

  function clearQuickReplies() {
    var group = log.querySelector('.quick-replies');
    if (group) group.parentNode.removeChild(group);
    state.quickReplies = null;
  }

  function showQuickReplies(list) {
    clearQuickReplies();
    var valid = (Array.isArray(list) ? list : []).filter(function (q) {
      return q && typeof q.title === 'string' && q.title && typeof q.payload === 'string' && q.payload;
    });
    if (!valid.length) return;
    var group = el('div', 'quick-replies');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', t('quickRepliesLabel'));
    valid.forEach(function (q) {
      var chip = el('button', 'chip', q.title);
      chip.type = 'button';
      chip.disabled = state.busy;
      chip.addEventListener('click', function (e) { sendPayload(q.payload, q.title, e); });
      group.appendChild(chip);
    });
    log.appendChild(group);
    state.quickReplies = valid;
  }

  function setBusy(busy) {
    state.busy = busy;
    sendButton.disabled = busy;
    Array.prototype.forEach.call(log.querySelectorAll('button'), function (b) { b.disabled = busy; });
  }

  function showTyping() {
    var row = botRow('typing');
    var bubble = el('div', 'bubble');
    bubble.appendChild(el('span', 'visually-hidden', t('typing')));
    for (var i = 0; i < 3; i++) bubble.appendChild(el('span', 'dot'));
    row.appendChild(bubble);
    log.appendChild(row);
    state.typingRow = row;
  }

  function hideTyping() {
    if (state.typingRow && state.typingRow.parentNode) state.typingRow.parentNode.removeChild(state.typingRow);
    state.typingRow = null;
  }

  // Long answers (lists of documents) are read from their first line, so scroll to the start of
  // the newest bot message; the browser clamps, so short answers simply end at the bottom.
  function scrollTo(row) {
    var top = row ? row.offsetTop - 12 : scroller.scrollHeight;
    var behavior = reduceMotion && reduceMotion.matches ? 'auto' : 'smooth';
    if (typeof scroller.scrollTo === 'function') scroller.scrollTo({ top: top, behavior: behavior });
    else scroller.scrollTop = top;
  }

  function saveTranscript() {
    var data = {
      sessionId: state.sessionId,
      items: state.items.slice(-MAX_SAVED_ITEMS),
      quickReplies: state.quickReplies,
      officialLastId: state.officialLastId,
    };
    storageSet('sessionStorage', KEY_TRANSCRIPT, JSON.stringify(data));
  }

  // sessionStorage, not localStorage: a reload keeps the conversation, but closing the tab on a
  // shared computer (the office's kiosk) does not leave it for the next person to read.
  function restoreTranscript() {
    var data;
    try { data = JSON.parse(storageGet('sessionStorage', KEY_TRANSCRIPT) || 'null'); } catch (e) { data = null; }
    if (!data || data.sessionId !== state.sessionId || !Array.isArray(data.items)) return;
    if (typeof data.officialLastId === 'number') state.officialLastId = data.officialLastId;
    data.items.forEach(function (item) {
      if (!item || typeof item.text !== 'string') return;
      if (item.role === 'user') appendUser(item.text);
      else if (item.role === 'bot') appendBot(item);
      else return;
      state.items.push(item);
    });
    showQuickReplies(data.quickReplies);
    scrollTo(null);
  }

  function post(body) {
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : 0;
    return fetch(API_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: controller ? controller.signal : undefined,
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        if (res.ok && data && Array.isArray(data.replies)) {
          return { ok: true, replies: data.replies.filter(function (r) { return r && typeof r.text === 'string'; }) };
        }
        // A 400, 413 or 429 carries a message written for the person ("the message is too long",
        // "please wait N seconds"): in `message` (limits) or `error` (validation).
        var said = !data ? undefined : res.status === 400 ? data.error : res.status === 413 || res.status === 429 ? data.message : undefined;
        if (typeof said === 'string' && said) return { ok: false, message: said };
        return { ok: false, message: t('error') };
      });
    }, function () {
      return { ok: false, message: navigator.onLine === false ? t('offline') : t('error') };
    }).then(function (result) {
      clearTimeout(timer);
      return result;
    });
  }

  // Resolves 'ok', 'failed', or 'stale' (the person started a new conversation meanwhile).
  function send(body, userText) {
    if (state.busy) return Promise.resolve('busy');
    var sessionId = state.sessionId;
    var previousQuickReplies = state.quickReplies;
    setBusy(true);
    clearQuickReplies();
    var userRow = userText ? appendUser(userText) : null;
    showTyping();
    scrollTo(null);
    return post(Object.assign({ sessionId: sessionId }, body)).then(function (result) {
      if (sessionId !== state.sessionId) return 'stale';
      hideTyping();
      setBusy(false);
      if (!result.ok) {
        if (userRow) {
          userRow.classList.add('failed');
          userRow.appendChild(el('span', 'failed-note', t('notSent')));
        }
        scrollTo(appendError(result.message));
        // Let the person tap the same suggestion again instead of losing it with the failure.
        showQuickReplies(previousQuickReplies);
        return 'failed';
      }
      if (userText) state.items.push({ role: 'user', text: userText });
      var first = null;
      result.replies.forEach(function (reply) {
        var row = appendBot(reply);
        first = first || row;
        state.items.push({ role: 'bot', text: reply.text, buttons: reply.buttons });
      });
      var lastReply = result.replies[result.replies.length - 1];
      showQuickReplies(lastReply ? lastReply.quickReplies : null);
      saveTranscript();
      scrollTo(first);
      pollOfficial();
      return 'ok';
    });
  }

  function stopOfficialPolling() {
    if (state.officialTimer) clearTimeout(state.officialTimer);
    state.officialTimer = null;
    state.officialDue = false;
  }

  // Fetches officials' replies newer than the last one shown; keeps polling while the conversation
  // is handed to officials (`waiting`), and retries a failed fetch only while it was.
  function pollOfficial() {
    if (state.officialInFlight) {
      state.officialAgain = true;
      return;
    }
    stopOfficialPolling();
    if (document.hidden) {
      state.officialDue = true;
      return;
    }
    state.officialInFlight = true;
    var sessionId = state.sessionId;
    var url = API_URL + '?sessionId=' + encodeURIComponent(sessionId) + '&after=' + state.officialLastId;
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (sessionId !== state.sessionId) return;
        if (!data || !Array.isArray(data.replies)) return scheduleOfficial(state.officialWaiting);
        // Shown after the answer in progress, not in the middle of it: take them on the next poll.
        if (!state.busy) showOfficialReplies(data);
        state.officialWaiting = data.waiting === true;
        scheduleOfficial(state.officialWaiting);
      }, function () {
        if (sessionId === state.sessionId) scheduleOfficial(state.officialWaiting);
      })
      .then(function () {
        state.officialInFlight = false;
        if (state.officialAgain) {
          state.officialAgain = false;
          pollOfficial();
        }
      });
  }

  function scheduleOfficial(again) {
    if (again && !state.officialTimer) state.officialTimer = setTimeout(pollOfficial, OFFICIAL_POLL_MS);
  }

  function showOfficialReplies(data) {
    var label = typeof data.label === 'string' && data.label ? data.label : t('botLabel');
    var first = null;
    data.replies.forEach(function (reply) {
      if (!reply || typeof reply.text !== 'string') return;
      var row = appendBot({ text: reply.text, officialLabel: label });
      first = first || row;
      state.items.push({ role: 'bot', text: reply.text, officialLabel: label });
    });
    if (typeof data.lastId === 'number' && data.lastId > state.officialLastId) state.officialLastId = data.lastId;
    if (!first) return;
    // Keep the current suggestions below the newest message.
    showQuickReplies(state.quickReplies);
    saveTranscript();
    scrollTo(first);
  }

  function sendPayload(payload, title, event) {
    if (state.busy) return;
    // detail is 0 for a keyboard activation: keep keyboard users in the composer once the chip
    // disappears, but do not pop the on-screen keyboard up for a tap.
    var byKeyboard = event && event.detail === 0;
    send({ payload: payload }, title);
    if (byKeyboard) input.focus();
  }

  function submitText() {
    var text = input.value.trim();
    if (!text || state.busy) return;
    input.value = '';
    autosize();
    send({ text: text }, text).then(function (outcome) {
      // Give the typed text back so the person can resend it without typing it again.
      if (outcome === 'failed' && !input.value.trim()) {
        input.value = text;
        autosize();
        input.focus();
      }
    });
  }

  /**
   * A QR code at the counter or a link opens the chat on one procedure: `/chat?ref=PROC:khai-sinh`.
   * The ref is one of our payloads; it is sent once, then removed from the address so a reload
   * does not ask again.
   */
  function takeRef() {
    var ref = null;
    try {
      ref = new URLSearchParams(window.location.search).get('ref');
      if (ref) window.history.replaceState(null, '', window.location.pathname);
    } catch (e) {
      ref = null;
    }
    return ref && /^[A-Z_]+(?::[a-z0-9-]+){0,2}$/.test(ref) ? ref : null;
  }

  function greetIfNew() {
    var ref = takeRef();
    var sessionId = state.sessionId;
    if (ref) {
      // The procedure's answer is the greeting: mark the session greeted once it arrives.
      send({ payload: ref }, null).then(function (outcome) {
        if (outcome === 'ok') storageSet('localStorage', KEY_GREETED, sessionId);
      });
      return;
    }
    if (storageGet('localStorage', KEY_GREETED) === state.sessionId) return;
    send({ payload: 'GET_STARTED' }, null).then(function (outcome) {
      if (outcome === 'ok') storageSet('localStorage', KEY_GREETED, sessionId);
    });
  }

  function restart() {
    state.sessionId = newSessionId();
    storageSet('localStorage', KEY_SESSION, state.sessionId);
    storageRemove('sessionStorage', KEY_TRANSCRIPT);
    state.items = [];
    state.quickReplies = null;
    state.typingRow = null;
    state.officialLastId = 0;
    state.officialWaiting = false;
    stopOfficialPolling();
    log.textContent = '';
    setBusy(false);
    scroller.scrollTop = 0;
    greetIfNew();
    input.focus();
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = input.scrollHeight + (input.offsetHeight - input.clientHeight) + 'px';
  }

  function updateOnline() {
    offlineNote.hidden = navigator.onLine !== false;
  }

  function applyStrings() {
    document.title = t('title');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (node) {
      node.textContent = t(node.getAttribute('data-i18n'));
    });
    input.placeholder = t('placeholder');
    log.setAttribute('aria-label', t('messagesLabel'));
  }

  applyStrings();
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    submitText();
  });
  input.addEventListener('keydown', function (e) {
    // Vietnamese is typed through an IME (Telex/VNI): Enter while composing confirms a word.
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    submitText();
  });
  input.addEventListener('input', autosize);
  $('restart').addEventListener('click', restart);
  window.addEventListener('online', updateOnline);
  window.addEventListener('offline', updateOnline);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden && state.officialDue) pollOfficial();
  });
  updateOnline();
  restoreTranscript();
  greetIfNew();
  pollOfficial();
})();
