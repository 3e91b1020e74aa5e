/* hwledger report: search, matrix sort and filter. No network, no deps. */
(function () {
  'use strict';
  var root = document.body.getAttribute('data-root') || '';

  /* ---- search over window.HW_SEARCH (search-index.js) ---- */
  var box = document.getElementById('q');
  var list = document.getElementById('results');
  var index = window.HW_SEARCH || [];
  var lower = index.map(function (r) {
    return { k: String(r.k).toLowerCase(), d: String(r.d || '').toLowerCase() };
  });

  function find(q) {
    var hits = [];
    q = q.trim().toLowerCase();
    if (q.length < 2) return hits;
    for (var i = 0; i < index.length; i++) {
      var k = lower[i].k, score = -1;
      if (k === q) score = 0;
      else if (k.indexOf(q) === 0) score = 1;
      else if (k.indexOf(q) > 0) score = 2;
      else if (lower[i].d.indexOf(q) >= 0) score = 3;
      if (score >= 0) hits.push({ s: score, i: i });
    }
    hits.sort(function (a, b) { return a.s - b.s || a.i - b.i; });
    return hits.slice(0, 30).map(function (h) { return index[h.i]; });
  }

  function show(hits) {
    list.textContent = '';
    hits.forEach(function (r) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      var small = document.createElement('small');
      a.href = root + r.u;
      a.textContent = r.k;
      small.textContent = r.t + (r.d ? ' · ' + r.d.slice(0, 120) : '');
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  if (box && list) {
    box.addEventListener('input', function () { show(find(box.value)); });
    box.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && list.firstChild) {
        e.preventDefault();
        list.firstChild.firstChild.focus();
      } else if (e.key === 'Escape') {
        box.value = '';
        show([]);
      }
    });
    list.addEventListener('keydown', function (e) {
      var li = e.target.parentNode;
      if (e.key === 'ArrowDown' && li.nextSibling) {
        e.preventDefault();
        li.nextSibling.firstChild.focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (li.previousSibling) li.previousSibling.firstChild.focus();
        else box.focus();
      } else if (e.key === 'Escape') {
        box.focus();
      }
    });
  }

  /* ---- the requirement tree: filter by attribute ---- */
  var attr = document.getElementById('tree-attr');
  if (attr) {
    document.getElementById('tree-filter').hidden = false;
    attr.addEventListener('change', function () {
      var v = attr.value, nodes = document.querySelectorAll('ul.tree li');
      Array.prototype.forEach.call(nodes, function (li) { li.hidden = !!v; });
      if (!v) return;
      Array.prototype.forEach.call(nodes, function (li) {
        if (li.getAttribute('data-attrs').indexOf('\n' + v + '\n') < 0) return;
        /* a match shows with everything under it and its ancestors */
        Array.prototype.forEach.call(li.querySelectorAll('li'), function (k) { k.hidden = false; });
        for (var up = li; up; up = up.parentElement) {
          if (up.tagName === 'LI') up.hidden = false;
          if (up.tagName === 'DETAILS') up.open = true;
        }
      });
    });
  }

  /* ---- the FR matrix: filter and sort ---- */
  var table = document.getElementById('matrix');
  if (!table) return;
  var body = table.tBodies[0];
  var filter = document.querySelector('[data-filter="matrix"]');
  var count = document.getElementById('flt-count');

  function applyFilter() {
    var q = filter.value.trim().toLowerCase(), shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var hit = !q || row.textContent.toLowerCase().indexOf(q) >= 0;
      row.hidden = !hit;
      if (hit) shown++;
    });
    if (count) count.textContent = shown + ' FRs';
  }
  if (filter) filter.addEventListener('input', applyFilter);

  function cellValue(row, col) {
    var t = row.cells[col].textContent.trim();
    var m = /^(\d+(?:\.\d+)?)/.exec(t);
    return m ? parseFloat(m[1]) : t.toLowerCase();
  }

  function sortBy(col, th) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, col), y = cellValue(b, col);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.tabIndex = 0;
    th.addEventListener('click', function () { sortBy(col, th); });
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        sortBy(col, th);
      }
    });
  });
})();
