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

