/* Poster page: the "Print" button (an inline onclick would be blocked by the console's CSP). */
(function () {
  'use strict';
  var button = document.querySelector('[data-print]');
  if (button) button.addEventListener('click', function () { window.print(); });
})();
