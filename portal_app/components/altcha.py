"""The anti-robot check of a form: ALTCHA's `<altcha-widget>` web component, self-hosted.

    from portal_app.components.altcha import altcha_widget, reset_altcha

    rx.el.form(..., altcha_widget(MyState.errors), submit_button(...), on_submit=MyState.submit)

In the handler, `states.antirobot_gate.robot_gate(self, errors, form, FIELD_ORDER)` does the server side: it returns
the events that stop the form (errors shown, widget reset), or None when the form may go on.

The widget writes its payload into a hidden `<input name="altcha">` in its own light DOM, inside
the form, so the submit handler finds it in `form_data["altcha"]`; check it with
`portal_app.domain.core.antirobot.verify(form_data.get("altcha"))`, whose message goes under
`errors["altcha"]`. A payload is accepted once: whenever the handler has called verify() and the
form stays on screen, return `reset_altcha()` too, so the visitor ticks the box again.

Loading: the npm package is fetched with a dynamic `import()` once the widget is on screen, so it
lands in its own chunk, downloaded only by pages that show the widget. Rendering waits for it
(and for the browser, not the prerender) so the challenge URL is computed on the client, like the
websocket URL: in production on one port it is the page's origin, in development the backend port.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars import Var

from portal_app.components.forms import field_error, field_id
from portal_app.domain.core.antirobot import FIELD_NAME

ALTCHA_NPM = "altcha@3.2.2"
CHALLENGE_PATH = "/_portal/altcha/challenge"

# Options the attributes do not cover. No footer or logo: they link out to altcha.org, and the
# footer link is kept out of the tab order. The human-interaction collector is only for ALTCHA's
# paid Sentinel server: no reason to record pointer movements.
WIDGET_CONFIGURATION = json.dumps({"hideFooter": True, "hideLogo": True, "humanInteractionSignature": False})

_WIDGET_JS = """
function portalAltchaChallengeUrl() {
  // Built like the event websocket's URL: getBackendURL maps localhost to the page's host.
  const url = getBackendURL(env.PING);
  url.pathname = url.pathname.replace(/ping$/, PORTAL_CHALLENGE_PATH);
  url.search = "";
  return url.href;
}

let portalAltchaLoading = null;
function portalAltchaLoad() {
  // Its own chunk, fetched the first time a widget is shown (custom element + French strings).
  portalAltchaLoading ??= Promise.all([import("altcha"), import("altcha/i18n/fr-fr")]);
  return portalAltchaLoading;
}

function PortalAltchaWidget({ id, errorId, name, configuration }) {
  const [challenge, setChallenge] = useState(null);
  const [failed, setFailed] = useState(false);
  const host = useRef(null);
  useEffect(() => {
    let live = true;
    portalAltchaLoad().then(
      () => live && setChallenge(portalAltchaChallengeUrl()),
      (error) => { console.error(error); live && setFailed(true); },
    );
    return () => { live = false; };
  }, []);
  useEffect(() => {
    // The checkbox lives inside the widget: tie it to the error shown above it.
    const widget = host.current;
    if (!widget) return undefined;
    const tie = () => {
      const box = widget.querySelector('input[type="checkbox"]');
      if (!box) return;
      if (errorId) {
        box.setAttribute("aria-describedby", errorId);
        box.setAttribute("aria-invalid", "true");
      } else {
        box.removeAttribute("aria-describedby");
        box.removeAttribute("aria-invalid");
      }
    };
    tie();
    widget.addEventListener("load", tie);
    widget.addEventListener("statechange", tie);
    return () => {
      widget.removeEventListener("load", tie);
      widget.removeEventListener("statechange", tie);
    };
  }, [challenge, errorId]);
  // A link to #id (error summary) focuses the wrapper: hand the focus on to the checkbox.
  const onFocus = (event) => {
    if (event.target === event.currentTarget) {
      event.currentTarget.querySelector('input[type="checkbox"]')?.focus();
    }
  };
  let content;
  if (challenge !== null) {
    // The wrapper is the .field: its margin, not the widget's own (portal.css), spaces the form.
    content = jsx("altcha-widget", { ref: host, challenge, name, language: "fr", configuration, style: { marginBottom: 0 } });
  } else if (failed) {
    content = jsx("p", { className: "field__error" },
      "La vérification anti-robot n'a pas pu se charger. Rechargez la page.");
  } else {
    content = jsx("p", { className: "field__hint altcha-loading" }, "Chargement de la vérification anti-robot…");
  }
  return jsx("div", { id, tabIndex: -1, onFocus, className: "altcha-field", style: { minHeight: "3rem" } }, content);
}
""".replace("PORTAL_CHALLENGE_PATH", json.dumps(CHALLENGE_PATH.lstrip("/")))


class PortalAltchaWidget(rx.Component):
    """React wrapper (defined in _WIDGET_JS) around the `<altcha-widget>` custom element."""

    tag = "PortalAltchaWidget"

    error_id: Var[str]
    name: Var[str]
    configuration: Var[str]

    def add_imports(self) -> dict:
        return {
            # Installs the npm package; render=False: no static import, the JS imports it lazily.
            ALTCHA_NPM: ImportVar(tag=None, render=False),
            "react": [ImportVar(tag="useEffect"), ImportVar(tag="useRef"), ImportVar(tag="useState")],
            "@emotion/react": [ImportVar(tag="jsx")],
            "$/utils/state": [ImportVar(tag="getBackendURL")],
            "$/env.json": ImportVar(tag="env", is_default=True),
        }

    def add_custom_code(self) -> list[str]:
        return [_WIDGET_JS]


def altcha_widget(errors: Var) -> rx.Component:
    """The "Je ne suis pas un robot" check, its error (errors["altcha"]) shown above it."""
    has_error = errors.contains(FIELD_NAME)  # type: ignore[attr-defined]  # a Var of a dict at run time (ObjectVar)
    return rx.el.div(
        field_error(FIELD_NAME, errors),
        PortalAltchaWidget.create(
            id=field_id(FIELD_NAME),
            error_id=rx.cond(has_error, f"{field_id(FIELD_NAME)}-erreur", ""),
            name=FIELD_NAME,
            configuration=WIDGET_CONFIGURATION,
        ),
        class_name=rx.cond(has_error, "field field--error", "field"),
    )


def reset_altcha():
    """Untick every widget of the page: its payload has been spent (or refused)."""
    return rx.call_script("document.querySelectorAll('altcha-widget').forEach((w) => w.reset && w.reset())")
