// Table plans: drag a seated person onto another seat to move them. Only a shortcut for the "Move a person"
// form above the tables, which it fills in and submits: the form is the keyboard and screen-reader way.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-move-form]");
  if (!form) return;
  const personSelect = form.querySelector("select[name='person']");
  const targetSelect = form.querySelector("select[name='target']");
  let dragged = null;

  document.querySelectorAll(".seat-list [data-person]").forEach((seat) => {
    seat.addEventListener("dragstart", (event) => {
      dragged = seat.dataset.person;
      event.dataTransfer.setData("text/plain", dragged);
      event.dataTransfer.effectAllowed = "move";
      seat.classList.add("seat--dragging");
    });
    seat.addEventListener("dragend", () => {
      seat.classList.remove("seat--dragging");
      dragged = null;
    });
  });

  document.querySelectorAll(".seat-list [data-target]").forEach((seat) => {
    seat.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      seat.classList.add("seat--drop");
    });
    seat.addEventListener("dragleave", () => seat.classList.remove("seat--drop"));
    seat.addEventListener("drop", (event) => {
      event.preventDefault();
      seat.classList.remove("seat--drop");
      const person = dragged || event.dataTransfer.getData("text/plain");
      if (!person || seat.dataset.person === person) return;
      personSelect.value = person;
      targetSelect.value = seat.dataset.target;
      if (personSelect.value === person && targetSelect.value === seat.dataset.target) form.requestSubmit();
    });
  });
});
