// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the error summary so keyboard and screen-reader users hear what went wrong.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Ask before destructive actions (deleting an item, a member, ...).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
