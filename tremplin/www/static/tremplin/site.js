// Tremplin's few page behaviours, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts and on*= attributes (docs/security.md). Each is declared by a data- attribute.
"use strict";

// <select data-autosubmit>: choosing an option submits its form (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.dataset.autosubmit !== undefined && field.form) {
    field.form.submit();
  }
});

// <input data-select-on-focus>: focusing the field selects its text, ready to copy (feed URL).
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.dataset.selectOnFocus !== undefined) {
    field.select();
  }
});
