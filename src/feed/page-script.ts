/**
 * Browser script of the live page, as text. It runs in the page, not in
 * Node, so it is plain ES2020 without imports and without template literals
 * (the text sits inside one). The page's element ids are defined in
 * `page-document.ts`.
 *
 * The script connects to the feed on the page's own host and passes on the
 * page's `token`, `kinds`, `outcomes`, `events` and (on the first connect)
 * `from` query parameters. After any close, 1013 included, it reconnects with
 * `from` set to the last offset it received, waiting 1 s at first and
 * doubling the wait up to 30 s until a connection opens. Every value from the
 * feed is written with `textContent`, never parsed as HTML.
 */
export const PAGE_SCRIPT = `
'use strict';
(function () {
  var FEED_PATH = JSON.parse(document.getElementById('feed-config').textContent).feedPath;
  var MAX_ROWS = 200;
  var WINDOW_SECONDS = 60;
  var FIRST_RETRY_MS = 1000;
  var MAX_RETRY_MS = 30000;
  var OUTCOMES = ['upserted', 'deleted', 'ignored', 'rejected', 'failed', 'dead-lettered'];
  var PASSED_ON = ['token', 'kinds', 'outcomes', 'events'];

  var pageQuery = new URLSearchParams(window.location.search);
  var lastOffset = parseOffset(pageQuery.get('from'));
  var retryMs = FIRST_RETRY_MS;
  var outcomeCounts = new Map(OUTCOMES.map(function (outcome) { return [outcome, 0]; }));
  var kindCounts = new Map();
  var arrivalsPerSecond = new Map();
  var rowQueue = [];
  var flushScheduled = false;

  var statusElement = document.getElementById('status');
  var noticeElement = document.getElementById('notice');
  var rowsElement = document.getElementById('rows');
  var outcomeCountsElement = document.getElementById('outcome-counts');
  var kindCountsElement = document.getElementById('kind-counts');
  var sparklineElement = document.getElementById('sparkline-line');
  var rateElement = document.getElementById('rate');

  function parseOffset(text) {
    if (text === null || !/^[0-9]+$/.test(text)) {
      return undefined;
    }
    return Number(text);
  }

  function feedUrl() {
    var url = new URL(FEED_PATH, window.location.href);
    url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    PASSED_ON.forEach(function (name) {
      var value = pageQuery.get(name);
      if (value !== null && value !== '') {
        url.searchParams.set(name, value);
      }
    });
    if (lastOffset !== undefined) {
      url.searchParams.set('from', String(lastOffset));
    }
    return url.toString();
  }

  function setStatus(state, text) {
    statusElement.dataset.state = state;
    statusElement.textContent = text;
  }

  function connect() {
    setStatus('connecting', 'Connecting' + (lastOffset === undefined ? '' : ' from offset ' + lastOffset));
    var socket = new WebSocket(feedUrl());
    socket.onopen = function () {
      retryMs = FIRST_RETRY_MS;
      setStatus('live', 'Live' + (lastOffset === undefined ? '' : ' (resumed after offset ' + lastOffset + ')'));
    };
    socket.onmessage = function (event) {
      handleMessage(JSON.parse(event.data));
    };
    socket.onclose = function (event) {
      scheduleReconnect(event.code, event.reason);
    };
  }

  function scheduleReconnect(code, reason) {
    var delay = retryMs;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    var detail = 'code ' + code + (reason ? ': ' + reason : '');
    var from = lastOffset === undefined ? 'live results' : 'offset ' + lastOffset;
    setStatus('closed', 'Disconnected (' + detail + '). Reconnecting in ' + delay / 1000 + ' s from ' + from + '.');
    window.setTimeout(connect, delay);
  }

  function handleMessage(message) {
    if (message.type === 'gap') {
      noticeElement.hidden = false;
      noticeElement.textContent = 'Some results after offset ' + (lastOffset === undefined ? '?' : lastOffset) +
        ' are no longer stored on the server. The feed continues from offset ' + message.oldestOffset + '.';
      return;
    }
    if (typeof message.offset !== 'number') {
      return;
    }

    lastOffset = message.offset;
    countResult(message);
    rowQueue.push(message);
    if (rowQueue.length > MAX_ROWS) {
      rowQueue.splice(0, rowQueue.length - MAX_ROWS);
    }
    scheduleFlush();
  }

  function countResult(result) {
    outcomeCounts.set(result.outcome, (outcomeCounts.get(result.outcome) || 0) + 1);
    result.kinds.forEach(function (kind) {
      kindCounts.set(kind, (kindCounts.get(kind) || 0) + 1);
    });
    var second = Math.floor(Date.now() / 1000);
    arrivalsPerSecond.set(second, (arrivalsPerSecond.get(second) || 0) + 1);
  }

  function scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    window.requestAnimationFrame(flush);
  }

  function flush() {
    flushScheduled = false;
    var queued = rowQueue.splice(0);
    queued.forEach(function (result) {
      rowsElement.insertBefore(renderRow(result), rowsElement.firstChild);
    });
    while (rowsElement.childElementCount > MAX_ROWS) {
      rowsElement.removeChild(rowsElement.lastElementChild);
    }
    renderCounts(outcomeCountsElement, outcomeCounts, true);
    renderCounts(kindCountsElement, kindCounts, false);
  }

  function cell(text, className) {
    var element = document.createElement('td');
    element.textContent = text;
    if (className) {
      element.className = className;
    }
    return element;
  }

  function formatEntities(result) {
    var parts = result.upserted.map(function (entity) { return '+' + entity.blueprint + '/' + entity.identifier; })
      .concat(result.deleted.map(function (entity) { return '-' + entity.blueprint + '/' + entity.identifier; }));
    if (parts.length > 5) {
      return parts.slice(0, 5).join(', ') + ' and ' + (parts.length - 5) + ' more';
    }
    return parts.join(', ');
  }

  function renderRow(result) {
    var row = document.createElement('tr');
    row.dataset.offset = String(result.offset);
    row.appendChild(cell(String(result.offset), 'number'));
    row.appendChild(cell(new Date(result.timings.finishedAt).toISOString().slice(11, 23)));
    row.appendChild(cell(result.webhookEvent === null ? '(none)' : result.webhookEvent));
    row.appendChild(cell(result.kinds.join(', ')));
    var outcome = document.createElement('td');
    outcome.dataset.outcome = result.outcome;
    var badge = document.createElement('span');
    badge.className = 'outcome outcome-' + result.outcome;
    badge.textContent = result.outcome;
    outcome.appendChild(badge);
    row.appendChild(outcome);
    row.appendChild(cell(formatEntities(result)));
    row.appendChild(cell(result.error || result.reason || '', result.error ? 'error' : ''));
    return row;
  }

  function renderCounts(container, counts, colourByOutcome) {
    container.replaceChildren();
    counts.forEach(function (count, name) {
      var item = document.createElement('li');
      item.dataset.name = name;
      var label = document.createElement('span');
      label.textContent = name;
      if (colourByOutcome) {
        label.className = 'outcome outcome-' + name;
      }
      var value = document.createElement('strong');
      value.textContent = String(count);
      item.appendChild(label);
      item.appendChild(value);
      container.appendChild(item);
    });
  }

  function renderSparkline() {
    var now = Math.floor(Date.now() / 1000);
    arrivalsPerSecond.forEach(function (count, second) {
      if (second <= now - WINDOW_SECONDS) {
        arrivalsPerSecond.delete(second);
      }
    });

    var values = [];
    for (var age = WINDOW_SECONDS - 1; age >= 0; age -= 1) {
      values.push(arrivalsPerSecond.get(now - age) || 0);
    }
    var peak = Math.max.apply(null, values.concat([1]));
    var points = values.map(function (value, index) {
      return (index * 10) + ',' + (58 - (value / peak) * 56).toFixed(1);
    });
    sparklineElement.setAttribute('points', points.join(' '));
    rateElement.textContent = values[WINDOW_SECONDS - 2] + '/s in the last full second, peak ' +
      Math.max.apply(null, values) + '/s';
  }

  renderCounts(outcomeCountsElement, outcomeCounts, true);
  renderSparkline();
  window.setInterval(renderSparkline, 1000);
  connect();
})();
`;
