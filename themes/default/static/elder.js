// 长辈模式 (large text, high contrast, large targets) and the folded menu of the header.
// base.html sets the `elder` class on <html> before the first paint from localStorage; this
// script makes the two header buttons work. Without it the buttons stay hidden (style.css
// shows them under `html.js`) and the menu stays open.
(function () {
  'use strict';
  var KEY = 'shiji-elder';
  var root = document.documentElement;
  var elder = document.querySelector('.elder-toggle');
  var menu = document.querySelector('.menu-toggle');
  var nav = document.getElementById('site-nav');
  if (!elder || !menu || !nav) return;

  function showElder() {
    elder.setAttribute('aria-pressed', root.classList.contains('elder') ? 'true' : 'false');
  }
  showElder();
  elder.addEventListener('click', function () {
    var on = root.classList.toggle('elder');
    try {
      if (on) localStorage.setItem(KEY, '1'); else localStorage.removeItem(KEY);
    } catch (e) { /* storage refused: the mode lasts for this page only */ }
    showElder();
  });

  // The menu is folded behind its button where style.css says so (长辈模式, narrow screens);
  // elsewhere the button is not shown and the menu is always open.
  menu.addEventListener('click', function () {
    var open = root.classList.toggle('menu-open');
    menu.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
})();
