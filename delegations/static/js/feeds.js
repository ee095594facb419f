// Calendar feeds: copy buttons for the feed links (the links stay selectable without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const status = document.querySelector("[data-copy-status]");
  const say = (text) => { if (status) status.textContent = text; };

  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        say(status.dataset.copied);
      } catch (error) {
        field.focus();
        field.select();
        say(status.dataset.failed);
      }
    });
  });

  // A click into a link field selects it whole, ready to copy by hand.
  document.querySelectorAll(".copy-row input[readonly]").forEach((field) => {
    field.addEventListener("focus", () => field.select());
  });
});
