// Error summary links: Reflex renders in-page anchors as router links, which change the URL
// hash without moving focus. Move focus to the field, as the GOV.UK pattern expects.
document.addEventListener(
  "click",
  (event) => {
    const link = event.target.closest && event.target.closest(".error-summary a");
    if (!link) return;
    const id = (link.getAttribute("href") || "").split("#")[1];
    const target = id && document.getElementById(id);
    if (!target) return;
    event.preventDefault();
    event.stopPropagation();
    const focusable = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input, select, textarea, button") || target;
    focusable.focus();
    target.scrollIntoView({ block: "center" });
  },
  true,
);

// Password fields (components/password.py): "Afficher" shows the password, "Masquer" hides it
// again. Only the input's type changes, so the typed value and the caret stay; React never
// rewrites a prop it rendered unchanged, so a later redraw keeps the choice.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-password-toggle]");
  if (!button) return;
  const input = document.getElementById(button.getAttribute("data-password-toggle"));
  if (!input) return;
  const show = input.type === "password";
  input.type = show ? "text" : "password";
  button.toggleAttribute("data-shown", show);
});
