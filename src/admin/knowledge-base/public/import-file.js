/*
 * Import page: reads the chosen .json or .csv file in the browser and puts its text into the form's
 * textarea, so it is posted (with the CSRF field) like any other form. The format follows the file
 * name. Pasting into the textarea works without this script.
 */
(function () {
  'use strict';
  var input = document.querySelector('[data-import-file]');
  var content = document.getElementById('f-content');
  var format = document.getElementById('f-format');
  if (!input || !content) return;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      content.value = String(reader.result || '');
      if (format) {
        if (/\.json$/i.test(file.name)) format.value = 'json';
        else if (/\.csv$/i.test(file.name)) format.value = 'csv';
      }
    };
    reader.readAsText(file, 'utf-8');
  });
})();
