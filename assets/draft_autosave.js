/* Drafts that never lose input (loaded by the draft form page only).
 *
 * Every value typed in an element with data-draft-key is copied to localStorage
 * ("portail-brouillon-<dossier id>") at once, and forgotten only when the server says it
 * saved that very value (portailDraft.saved). A reload, a closed tab or a backend restart
 * while offline therefore loses nothing: the page replays the copies when it loads.
 *
 * Saving while typing: SAVE_DELAY after the last key in a text field, its blur handler is
 * fired (a synthetic focusout, which React hands to onBlur), and that handler saves. The
 * timer is per field: Reflex's own debounce shares one timer between all the inputs.
 *
 * Also: "Enregistrement…" while a copy waits, the character counters, and the focus
 * given back after the form was redrawn by a reconnection.
 */
(function () {
  "use strict";
  if (window.portailDraft) return;

  var PREFIX = "portail-brouillon-";
  var FOCUS_KEY = "portail-brouillon-focus";
  var SAVE_DELAY = 500;
  var rendered = false;
  var announceTimers = {};
  var saveTimers = {};

  function read(id) {
    try {
      return JSON.parse(window.localStorage.getItem(PREFIX + id) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function write(id, pending) {
    try {
      if (Object.keys(pending).length) window.localStorage.setItem(PREFIX + id, JSON.stringify(pending));
      else window.localStorage.removeItem(PREFIX + id);
    } catch (e) {
      /* storage full or disabled: the websocket queue still holds the change */
    }
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function showSaving(waiting) {
    var saving = document.getElementById("etat-brouillon-en-cours");
    var saved = document.getElementById("etat-brouillon-enregistre");
    if (saving) saving.hidden = !waiting;
    if (saved) saved.hidden = waiting;
  }

  function valueOf(el, form, key) {
    if (el.type === "checkbox") {
      var boxes = form.querySelectorAll('input[type="checkbox"][data-draft-key="' + CSS.escape(key) + '"]');
      return Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
    }
    return el.value;
  }

  // The counter changes at every key, in the browser: the rule of domain/wording.py's
  // count_label (0 and 1 singular), repeated here.
  function plural(n, word) {
    return n + " " + word + (n > 1 ? "s" : "");
  }

  function counterText(field) {
    var max = parseInt(field.getAttribute("data-max") || "0", 10);
    if (!max) return "";
    var left = max - field.value.length;
    return left >= 0
      ? "Il vous reste " + plural(left, "caractère") + "."
      : "Vous avez " + plural(-left, "caractère") + " en trop.";
  }

  function count(field, announce) {
    var counter = document.getElementById(field.id + "-compteur");
    if (!counter) return;
    var text = counterText(field);
    counter.textContent = text;
    counter.classList.toggle("field__counter--over", text.indexOf("en trop") !== -1);
    if (!announce) return;
    // Screen readers hear the count once typing pauses, not at every key.
    clearTimeout(announceTimers[field.id]);
    announceTimers[field.id] = setTimeout(function () {
      var live = document.getElementById(field.id + "-compteur-annonce");
      if (live) live.textContent = text;
    }, 1000);
  }

  function typed(el) {
    return el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && !/^(radio|checkbox)$/.test(el.type));
  }

  function saveSoon(el) {
    clearTimeout(saveTimers[el.id]);
    saveTimers[el.id] = setTimeout(function () {
      delete saveTimers[el.id];
      if (el.isConnected) el.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
    }, SAVE_DELAY);
  }

  function record(event) {
    var el = event.target;
    var key = el && el.getAttribute && el.getAttribute("data-draft-key");
    if (!key) return;
    var form = el.closest("form[data-draft-id]");
    if (!form) return;
    var id = form.getAttribute("data-draft-id");
    var pending = read(id);
    pending[key] = valueOf(el, form, key);
    write(id, pending);
    showSaving(true);
    if (typed(el) && el.id) saveSoon(el);
    if (el.tagName === "TEXTAREA") count(el, true);
  }

  function left(event) {
    // Leaving the field saves it: no need for the timer any more.
    var el = event.target;
    if (el && el.id && saveTimers[el.id]) {
      clearTimeout(saveTimers[el.id]);
      delete saveTimers[el.id];
    }
  }

  function remember(event) {
    var el = event.target;
    if (el && el.getAttribute && el.getAttribute("data-draft-key") && el.id) {
      try { window.sessionStorage.setItem(FOCUS_KEY, el.id); } catch (e) { /* ignore */ }
    }
  }

  document.addEventListener("input", record, true);
  document.addEventListener("change", record, true);
  document.addEventListener("focusin", remember, true);
  document.addEventListener("focusout", left, true);

  window.portailDraft = {
    pending: read,
    saved: function (id, values) {
      var pending = read(id);
      Object.keys(values || {}).forEach(function (key) {
        if (Object.prototype.hasOwnProperty.call(pending, key) && same(pending[key], values[key])) delete pending[key];
      });
      write(id, pending);
      showSaving(Object.keys(pending).length > 0);
    },
    afterRender: function (mode) {
      document.querySelectorAll("textarea[data-max]").forEach(function (field) { count(field, false); });
      var form = document.querySelector("form[data-draft-id]");
      if (form) showSaving(Object.keys(read(form.getAttribute("data-draft-id"))).length > 0);
      var active = document.activeElement;
      var lost = !active || active === document.body;
      var typing = !!(active && active.getAttribute && active.getAttribute("data-draft-key"));
      if (mode === "heading" && !typing) {
        // A new step is a new page to the user: the same move as any page change (portal.js).
        var heading = document.getElementById("titre-etape");
        if (heading && window.portail) window.portail.focusHeading(heading);
      } else if (rendered && lost) {
        // The form was drawn again after the connection came back: back where the user was.
        var last = null;
        try { last = window.sessionStorage.getItem(FOCUS_KEY); } catch (e) { /* ignore */ }
        var target = last && document.getElementById(last);
        if (target) {
          target.focus({ preventScroll: true });
          if (typeof target.setSelectionRange === "function" && /^(text|search|tel|email|textarea)$/.test(target.type || "")) {
            try { target.setSelectionRange(target.value.length, target.value.length); } catch (e) { /* ignore */ }
          }
        }
      }
      rendered = true;
    },
  };
})();
