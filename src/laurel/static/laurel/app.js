// Laurel — small progressive enhancements; the pages work without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before submitting forms that change state irreversibly.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
