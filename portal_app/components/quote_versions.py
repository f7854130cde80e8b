"""A quote request's versions, newest first, each with what it changed: both sides read them."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.backend import file_link
from portal_app.components.forms import notice


def _version(version: Var) -> rx.Component:
    rows = version["rows"].to(list[list[str]])
    changed = version["changes"].to(list[str])
    body = rx.fragment(
        rx.cond(
            version["refused"].to(str) != "",
            rx.el.p(
                "Refusée",
                rx.cond(version["refusal_reason"].to(str) != "", rx.el.span(" : ", version["refusal_reason"].to(str))),
                class_name="quote-version__refused",
            ),
        ),
        rx.cond(
            changed.length() > 0,
            rx.el.div(
                rx.el.p("Ce qui a changé depuis la version précédente :"),
                rx.el.ul(rx.foreach(changed, lambda line: rx.el.li(line))),
                class_name="quote-version__changes",
            ),
        ),
        rx.el.dl(
            rx.foreach(
                rows,
                lambda row: rx.el.div(
                    rx.el.dt(row[0], class_name="summary-list__key"),
                    rx.el.dd(row[1], class_name="summary-list__value"),
                    class_name="summary-list__row",
                ),
            ),
            class_name="summary-list",
        ),
        rx.cond(
            version["programme_href"].to(str) != "",
            rx.el.p(
                "Programme joint : ",
                file_link(version["programme"].to(str), " (PDF)", href=version["programme_href"].to(str)),
            ),
            rx.cond(
                version["programme"].to(str) != "",
                rx.el.p("Programme joint : ", version["programme"].to(str)),
            ),
        ),
    )
    heading = rx.fragment(
        "Version ",
        version["number"].to(str),
        rx.cond(version["accepted"].to(str) != "", rx.el.span("Acceptée", class_name="tag tag--green")),
    )
    # The latest version is the one answered; earlier ones stay readable, folded, so that a long
    # exchange does not push the answer buttons screens away on a phone.
    return rx.cond(
        version["latest"].to(str) != "",
        rx.el.section(rx.el.h3(heading), body, class_name="quote-version"),
        rx.el.details(
            rx.el.summary(
                heading,
                rx.cond(version["refused"].to(str) != "", " (version précédente, refusée)", " (version précédente)"),
                class_name="quote-version__summary",
            ),
            body,
            class_name="quote-version quote-version--earlier",
        ),
    )


def quote_versions(versions: Var) -> rx.Component:
    return rx.foreach(versions, _version)


def withdrawal(request: Var, withdrawing: Var, on_open, on_confirm, on_cancel) -> rx.Component:
    """ "Me rétracter", then a confirmation: the provider is mailed at once, so a stray tap must not
    cancel an acceptance that took a fresh identification."""
    rid = request["id"].to(str)
    return rx.cond(
        request["may_withdraw"].to(str) != "",
        rx.cond(
            withdrawing == rid,
            rx.el.div(
                rx.el.p(
                    "Vous annulez votre acceptation de ce devis ; l'organisme en sera prévenu. Vous pourrez accepter "
                    "de nouveau ce devis tant qu'il est valable, ou en demander un autre.",
                    id="devis-withdraw-" + rid,
                    tab_index=-1,
                ),
                rx.el.div(
                    rx.el.button(
                        "Confirmer la rétractation",
                        type="button",
                        on_click=on_confirm(rid),
                        class_name="button button--primary",
                    ),
                    rx.el.button("Annuler", type="button", on_click=on_cancel, class_name="button button--secondary"),
                    class_name="form-actions",
                ),
                class_name="quote-request__confirm",
            ),
            rx.el.button(
                "Me rétracter", type="button", on_click=on_open(rid, "withdraw"), class_name="button button--secondary"
            ),
        ),
    )


def _summary(request: Var, withdraw) -> rx.Component:
    return rx.el.div(
        rx.el.h3(request["provider"].to(str)),
        rx.el.p(rx.el.strong(request["status_label"].to(str))),
        rx.cond(
            request["withdrawal_ends"].to(str) != "",
            rx.el.p("Délai de rétractation jusqu'au ", request["withdrawal_ends"].to(str), "."),
        ),
        rx.cond(
            request["final_on"].to(str) != "",
            rx.el.p("Acceptation définitive depuis le ", request["final_on"].to(str), "."),
        ),
        quote_versions(request["versions"].to(list[dict])),
        # The withdrawal right holds after filing too: it is the one answer made from this page.
        rx.el.div(withdrawal(request, *withdraw), class_name="quote-request__actions"),
        class_name="quote-request",
    )


def quotes_section(requests: Var, message: Var, withdraw: tuple) -> rx.Component:
    """The dossier page's account of its quotes (answered from the training step); `withdraw` is
    withdrawal()'s (withdrawing, on_open, on_confirm, on_cancel)."""
    return rx.cond(
        requests.length() > 0,  # type: ignore[attr-defined]  # a Var of a list at run time (ArrayVar)
        rx.el.section(
            rx.el.h2("Devis de formation"),
            rx.el.div(
                rx.cond(message != "", notice(rx.el.p(message))),
                id="devis-message",
                tab_index=-1,
            ),
            rx.foreach(requests, lambda request: _summary(request, withdraw)),
            id="devis",
        ),
    )
