/*
 * Licence import page: reads the chosen .csv or .xlsx file in the browser and puts it, base64
 * encoded, into the form's hidden `data` field with its name, so it is posted (with the CSRF field)
 * as an ordinary form. The server checks the file and shows the preview before anything is written.
 */
(function () {
  'use strict';
  var input = document.querySelector('[data-licence-file]');
  var data = document.querySelector('input[name="data"]');
  var name = document.querySelector('input[name="fileName"]');
  var submit = document.querySelector('[data-licence-check]');
  if (!input || !data || !name) return;
  if (submit) submit.disabled = !data.value;
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var url = String(reader.result || '');
      data.value = url.slice(url.indexOf(',') + 1);
      name.value = file.name;
      if (submit) submit.disabled = false;
    };
    reader.readAsDataURL(file);
  });
})();
