(function () {
  "use strict";
  if (window.portail) return;

  // ------------------------------------------------------------------ page changes
  // Reflex draws most pages after the server has answered (session check, on_load), and changes
  // some screens without changing the URL (sign-up → "Consultez votre messagerie"). A screen
  // reader hears nothing of either unless focus moves. So: when the URL path changes (client
  // navigation, first load) or a heading with new words replaces the one the user was on while
  // focus fell back to <body> (the button pressed is gone), focus goes to the page's <h1>.
  // Never taken from a control the user is on: data arriving late must not interrupt typing.
  var lastPath = null;
  var pending = true; // the first load counts as a page change
  var lastHeading = null;
  var lastHeadingText = null;
  var focusedHeading = null; // the heading this script focused, while focus stays on it

  function onTypingControl() {
    var el = document.activeElement;
    if (!el) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && !/^(button|submit|reset|checkbox|radio|file|image)$/.test(el.type);
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || active === document.documentElement || active.id === "contenu";
  }

  function focusHeading(heading) {
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    focusedHeading = heading;
    window.scrollTo(0, 0);
  }

  function currentHeading() {
    var heading = document.querySelector("main h1");
    return heading && heading.getClientRects().length ? heading : null;
  }

  function checkPage() {
    if (location.pathname !== lastPath) {
      lastPath = location.pathname;
      pending = true;
    }
    var heading = currentHeading();
    if (!heading) return;
    var text = heading.textContent.trim();
    if (heading === lastHeading && text === lastHeadingText) return;
    // A heading with new words is a new screen, even when React kept the element and the
    // button pressed (sign-up → "Consultez votre messagerie", a step of a démarche).
    var renamed = lastHeading !== null && text !== lastHeadingText && !onTypingControl();
    // Pages drawn twice (at once, then again once the server has answered) and redraws after
    // a reconnection replace the heading that had focus: focus follows to the new one.
    var redrawn = focusedHeading !== null && !focusedHeading.isConnected && focusLost();
    var arrived = pending && (focusLost() || !document.activeElement.closest("main"));
    lastHeading = heading;
    lastHeadingText = text;
    if (arrived || renamed || redrawn) focusHeading(heading);
    pending = false;
  }

  // A control chosen before the page was drawn (a click on a field during loading) keeps focus.
  document.addEventListener(
    "focusin",
    function (event) {
      if (event.target !== focusedHeading) focusedHeading = null;
      if (event.target.closest && event.target.closest("main") && event.target.tagName !== "H1") pending = false;
    },
    true,
  );

  // ------------------------------------------------------------------ upload results
  // The result region is in the page before any result (a live region announces only what
  // changes inside it); when a result arrives, bring it into view, and give it focus when the
  // chooser left it (its button is disabled while sending).
  var resultTexts = new WeakMap();

  function checkUploadResults() {
    document.querySelectorAll(".upload-results").forEach(function (region) {
      var text = region.textContent;
      if (resultTexts.get(region) === text) return;
      var before = resultTexts.get(region);
      resultTexts.set(region, text);
      if (!text || before === undefined) return;
      var active = document.activeElement;
      if (focusLost() || (active && active.closest && active.closest(".upload-zone"))) {
        region.focus({ preventScroll: true });
      }
      // Its top (the "Résultat de l'envoi" heading) first when it is taller than the screen.
      var box = region.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        region.scrollIntoView({ block: box.height > window.innerHeight ? "start" : "end" });
      }
    });
  }

  var scheduled = false;
  function onMutation() {
    if (scheduled) return;
    scheduled = true;
    // After React's commit: one check per frame, however many nodes changed.
    window.requestAnimationFrame(function () {
      scheduled = false;
      checkPage();
      checkUploadResults();
      reserveBarSpace();
    });
  }

  function start() {
    new MutationObserver(onMutation).observe(document.body, { childList: true, subtree: true, characterData: true });
    onMutation();
  }
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);

  // ------------------------------------------------------------------ phone menu
  // The <details> menu: Escape closes it and gives focus back to its button; choosing a link
  // closes it (a client-side navigation keeps the header, so it would stay open).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.nav__details[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest("details.nav__details[open] .nav a, details.nav__details[open] .nav button");
    if (item) item.closest("details").open = false;
  });

  // ------------------------------------------------------------------ error summary
  // The summary's links are plain anchors (components/anchors.py); the browser's own jump would
  // focus the target only if it can take focus and put it at the screen's very top. Move focus to
  // the field and bring it to the middle, as the GOV.UK pattern expects.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest(".error-summary a");
      if (!link) return;
      var id = (link.getAttribute("href") || "").split("#")[1];
      var target = id && document.getElementById(id);
      if (!target) return;
      event.preventDefault();
      event.stopPropagation();
      var focusable = target.matches("input, select, textarea, button")
        ? target
        : target.querySelector("input, select, textarea, button") || target;
      focusable.focus();
      target.scrollIntoView({ block: "center" });
    },
    true,
  );

  // After a refused submission the server asks for focus on the summary, so that screen readers
  // read it. Its request may come a few frames after the summary is drawn, and the user may have
  // moved on by then (a click on one of its links, typing in a field): focus is moved only if
  // nothing was pressed since the last form sent or button clicked.
  var lastTrigger = 0;
  var lastInput = 0;
  function sent() {
    lastTrigger = performance.now();
  }
  document.addEventListener("submit", sent, true);
  document.addEventListener(
    "click",
    function (event) {
      if (event.target.closest && event.target.closest("button")) sent();
    },
    true,
  );
  function pressed() {
    lastInput = performance.now();
  }
  document.addEventListener("pointerdown", pressed, true);
  document.addEventListener("keydown", pressed, true);

  function focusErrorSummary(id) {
    var until = performance.now() + 5000;
    (function attempt() {
      if (lastInput > lastTrigger) return;
      var summary = document.getElementById(id);
      if (!summary) {
        // Not drawn yet (React commits after this request arrives): try again next frame.
        if (performance.now() < until) window.requestAnimationFrame(attempt);
        return;
      }
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    })();
  }

  // ------------------------------------------------------------------ sticky bottom bar
  // A bar stuck to the bottom of the screen (the draft's "Brouillon enregistré / Continuer")
  // must never cover the focused field (WCAG 2.4.11). scroll-padding makes the browser's own
  // focus scrolling stop above it; the focusin check covers focus moved by script.
  function stickyBar() {
    var bar = document.querySelector("[data-sticky-bottom]");
    return bar && bar.getClientRects().length ? bar : null;
  }

  function reserveBarSpace() {
    var bar = stickyBar();
    var height = bar ? Math.ceil(bar.getBoundingClientRect().height) : 0;
    document.documentElement.style.scrollPaddingBottom = height ? height + 8 + "px" : "";
  }
  window.addEventListener("resize", reserveBarSpace);

  document.addEventListener(
    "focusin",
    function (event) {
      reserveBarSpace();
      var bar = stickyBar();
      var field = event.target;
      if (!bar || bar.contains(field) || !field.getBoundingClientRect) return;
      // After the browser's own scrolling for this focus.
      window.requestAnimationFrame(function () {
        var box = field.getBoundingClientRect();
        var top = bar.getBoundingClientRect().top;
        if (box.bottom > top - 8) window.scrollBy(0, box.bottom - top + 8);
        else if (box.top < 0) window.scrollBy(0, box.top - 8);
      });
    },
    true,
  );

  // ------------------------------------------------------------------ uploads carry the session
  // The backend accepts an upload only with the session cookie of the tab it names. Reflex sends
  // uploads by XMLHttpRequest without credentials: same origin in production (the cookie goes
  // along), but under `make run` the backend has its own port, so ask for the cookie there too
  // (the backend's CORS allows credentials for PORTAL_BASE_URL's origin only).
  var openRequest = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    openRequest.apply(this, arguments);
    try {
      if (new URL(url, location.href).pathname !== "/_upload") return;
    } catch (error) {
      return; // Not a URL: nothing to add.
    }
    this.withCredentials = true;
    // Refused because this tab was opened under another session (a login or logout happened in
    // another tab): Reflex only logs the failure, so say why and reload under the current session.
    this.addEventListener("load", function () {
      if (this.status !== 403) return;
      window.alert(this.responseText);
      location.reload();
    });
  };

  window.portail = { focusHeading: focusHeading, focusErrorSummary: focusErrorSummary };
})();
