// Hover and focus details for the map's members (the page reads the same without it: each
// member's <title> holds the same text).
(function () {
  var tip = null;
  function show(a, x, y) {
    if (!tip) { tip = document.createElement('div'); tip.id = 'tip'; tip.setAttribute('aria-hidden', 'true'); document.body.appendChild(tip); }
    tip.textContent = a.getAttribute('data-tip');
    tip.style.display = 'block';
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 12, innerWidth - w - 4)) + 'px';
    tip.style.top = Math.max(4, Math.min(y + 12, innerHeight - h - 4)) + 'px';
  }
  function hide() { if (tip) tip.style.display = 'none'; }
  document.addEventListener('mousemove', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-tip]');
    a ? show(a, ev.clientX, ev.clientY) : hide();
  });
  document.addEventListener('focusin', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-tip]');
    if (!a) return hide();
    var r = a.getBoundingClientRect();
    show(a, r.left + r.width / 2, r.top + r.height / 2);
  });
  document.addEventListener('focusout', hide);
})();
