"""Projet de transition professionnelle: the employee's request to fund a career change."""

from __future__ import annotations

from portal_app.demarches._common import (
    A_COMPLETER,
    ACCEPTE,
    AGENCY,
    AGENT,
    BROUILLON,
    CLASSE,
    DEPOSE,
    EN_INSTRUCTION,
    OWNER,
    REFUSE,
    REOUVERT,
    reopen_transitions,
)
from portal_app.domain.dossiers.answer_checks import date_after, date_not_in_future
from portal_app.domain.dossiers.demarche import (
    ADDRESS,
    AMOUNT,
    CHECKBOX,
    DATE,
    EMAIL,
    LONG_TEXT,
    NIR,
    NUMBER,
    PHONE,
    RADIO,
    SELECT,
    SIRET,
    YES_NO,
    Demarche,
    FieldSpec,
    PieceSpec,
    QuoteSpec,
    Step,
    Transition,
)
from portal_app.models import Role

SITUATION = Step(
    "situation",
    "Votre situation et votre employeur",
    help="Nous avons repris les informations de votre compte : vérifiez-les et complétez-les.",
    fields=(
        FieldSpec("nom_naissance", "Nom de naissance", prefill="birth_name", autocomplete="family-name"),
        FieldSpec(
            "nom_usage",
            "Nom d'usage",
            required=False,
            prefill="usage_name",
            help="Par exemple le nom d'époux ou d'épouse, s'il est différent du nom de naissance.",
        ),
        FieldSpec("prenoms", "Prénom(s)", prefill="first_names", autocomplete="given-name"),
        FieldSpec(
            "date_naissance",
            "Date de naissance",
            DATE,
            prefill="birth_date",
            autocomplete="bday",
            validators=(date_not_in_future("Date de naissance"),),
        ),
        FieldSpec(
            "nir",
            "Numéro de sécurité sociale",
            NIR,
            prefill="nir",
            width="medium",
            help="15 caractères, clé comprise, tel qu'il figure sur votre carte Vitale.",
        ),
        FieldSpec("email", "Adresse e-mail", EMAIL, prefill="email", autocomplete="email"),
        FieldSpec(
            "telephone",
            "Téléphone",
            PHONE,
            prefill="phone",
            autocomplete="tel",
            width="medium",
            help="Format attendu : 06 12 34 56 78",
        ),
        FieldSpec("adresse", "Votre adresse", ADDRESS, prefill="address"),
        FieldSpec(
            "employeur_nom",
            "Raison sociale de votre employeur",
            help="Le nom de l'entreprise tel qu'il figure sur votre bulletin de salaire.",
        ),
        FieldSpec(
            "employeur_siret",
            "Numéro SIRET de votre établissement",
            SIRET,
            width="medium",
            help="14 chiffres, en haut de votre bulletin de salaire.",
        ),
        FieldSpec(
            "contrat",
            "Type de contrat de travail",
            RADIO,
            options=(
                ("cdi", "Contrat à durée indéterminée (CDI)"),
                ("cdd", "Contrat à durée déterminée (CDD)"),
                ("interim", "Contrat de travail temporaire (intérim)"),
                ("intermittent", "Intermittent du spectacle"),
            ),
        ),
        FieldSpec("date_fin_contrat", "Date de fin de votre contrat", DATE, visible_if=("contrat", ("cdd", "interim"))),
        FieldSpec(
            "date_embauche",
            "Date d'entrée dans l'entreprise",
            DATE,
            validators=(date_not_in_future("Date d'entrée dans l'entreprise"),),
        ),
        FieldSpec(
            "anciennete_mois",
            "Ancienneté totale en tant que salarié",
            NUMBER,
            unit="mois",
            width="short",
            min_value=0,
            max_value=600,
            help="En mois, toutes périodes de travail salarié confondues. Il faut en général 24 mois, "
            "dont 12 dans votre entreprise actuelle.",
        ),
        FieldSpec("poste", "Poste occupé", autocomplete="organization-title"),
        FieldSpec(
            "temps_travail", "Temps de travail", RADIO, options=(("plein", "Temps plein"), ("partiel", "Temps partiel"))
        ),
        FieldSpec(
            "quotite",
            "Quotité de temps partiel",
            NUMBER,
            unit="%",
            width="short",
            min_value=1,
            max_value=99,
            visible_if=("temps_travail", "partiel"),
            help="En pourcentage d'un temps plein, par exemple 80.",
        ),
    ),
)

PROJET = Step(
    "projet",
    "Votre projet",
    fields=(
        FieldSpec("metier_vise", "Métier visé", help="Par exemple : infirmier, électricien, développeuse web."),
        FieldSpec(
            "motivations",
            "Vos motivations",
            LONG_TEXT,
            max_length=1500,
            help="Expliquez pourquoi vous souhaitez changer de métier et en quoi cette formation vous y prépare.",
        ),
        FieldSpec(
            "enquete_metier",
            "Avez-vous réalisé une enquête métier ?",
            YES_NO,
            help="Par exemple des rencontres avec des professionnels, une immersion ou un stage d'observation.",
        ),
        FieldSpec(
            "enquete_description",
            "Décrivez votre enquête métier",
            LONG_TEXT,
            max_length=1000,
            visible_if=("enquete_metier", "oui"),
            help="Qui avez-vous rencontré, où, et qu'en avez-vous retenu ?",
        ),
        FieldSpec(
            "accompagnement_cep",
            "Avez-vous été accompagné par un conseiller en évolution professionnelle (CEP) ?",
            YES_NO,
            help="Ce conseil est gratuit ; il n'est pas obligatoire pour déposer votre demande.",
        ),
    ),
)

FORMATION = Step(
    "formation",
    "La formation",
    fields=(
        FieldSpec("formation_intitule", "Intitulé de la formation"),
        FieldSpec("organisme_nom", "Nom de l'organisme de formation"),
        FieldSpec(
            "organisme_siret",
            "Numéro SIRET de l'organisme de formation",
            SIRET,
            width="medium",
            help="14 chiffres, sur le devis de l'organisme.",
        ),
        FieldSpec(
            "certification",
            "Certification visée",
            SELECT,
            options=(
                ("rncp", "Titre ou diplôme inscrit au RNCP"),
                ("bloc", "Bloc de compétences d'une certification RNCP"),
                ("rs", "Certification inscrite au répertoire spécifique (RS)"),
                ("cqp", "Certificat de qualification professionnelle (CQP)"),
            ),
        ),
        FieldSpec(
            "code_certification",
            "Code de la certification",
            required=False,
            width="medium",
            max_length=20,
            help="Par exemple RNCP35185 ; il figure sur le devis de l'organisme.",
        ),
        FieldSpec("date_debut", "Date de début de la formation", DATE),
        FieldSpec(
            "date_fin",
            "Date de fin de la formation",
            DATE,
            validators=(date_after("date_debut", "La date de début de la formation"),),
        ),
        FieldSpec(
            "duree_heures",
            "Durée de la formation",
            NUMBER,
            unit="heures",
            width="short",
            min_value=1,
            max_value=5000,
            help="En heures, stage en entreprise compris.",
        ),
        FieldSpec(
            "modalite",
            "Modalité",
            RADIO,
            options=(
                ("presentiel", "En présentiel"),
                ("distance", "À distance"),
                ("mixte", "Mixte"),
            ),
        ),
        FieldSpec("lieu_formation", "Lieu de la formation", ADDRESS, visible_if=("modalite", ("presentiel", "mixte"))),
        FieldSpec(
            "cout_pedagogique",
            "Coût pédagogique",
            AMOUNT,
            width="medium",
            max_value=100_000,
            help="Montant toutes taxes comprises du devis, en euros, par exemple 8 450,00.",
        ),
    ),
)

FINANCEMENT = Step(
    "financement",
    "Rémunération et financement",
    fields=(
        FieldSpec(
            "salaire_brut",
            "Salaire brut mensuel",
            AMOUNT,
            width="medium",
            max_value=100_000,
            help="Indiqué sur votre dernier bulletin de salaire, en euros.",
        ),
        FieldSpec(
            "demande_remuneration", "Demandez-vous le maintien de votre rémunération pendant la formation ?", YES_NO
        ),
        FieldSpec(
            "autorisation_absence",
            "Avez-vous demandé une autorisation d'absence à votre employeur ?",
            YES_NO,
            help="Elle se demande au moins 120 jours avant une formation de 6 mois ou plus, 60 jours sinon.",
        ),
        FieldSpec(
            "date_demande_absence",
            "Date de votre demande d'autorisation d'absence",
            DATE,
            visible_if=("autorisation_absence", "oui"),
            validators=(date_not_in_future("Date de votre demande d'autorisation d'absence"),),
        ),
        FieldSpec(
            "cofinancements",
            "Autres financements prévus",
            CHECKBOX,
            required=False,
            options=(
                ("employeur", "Votre employeur"),
                ("cpf", "Votre compte personnel de formation (CPF)"),
                ("region", "La région"),
                ("france_travail", "France Travail"),
                ("autre", "Un autre financeur"),
            ),
            help="Cochez tout ce qui s'applique.",
        ),
        FieldSpec(
            "montant_cpf",
            "Montant mobilisé sur votre CPF",
            AMOUNT,
            width="medium",
            visible_if=("cofinancements", "cpf"),
        ),
        FieldSpec("frais_annexes", "Aurez-vous des frais de transport, de repas ou d'hébergement ?", YES_NO),
        FieldSpec(
            "montant_frais_annexes",
            "Montant estimé des frais annexes",
            AMOUNT,
            width="medium",
            visible_if=("frais_annexes", "oui"),
            help="Pour toute la durée de la formation, en euros.",
        ),
    ),
)

PIECES = Step(
    "pieces",
    "Pièces justificatives",
    shows_pieces=True,
    help="Voici les documents à nous fournir ; la liste tient compte de vos réponses.",
)

DEMARCHE = Demarche(
    code="projet-transition-professionnelle",
    title="Projet de transition professionnelle",
    description=(
        "Demandez la prise en charge d'une formation certifiante pour changer de métier, "
        "avec le maintien de votre rémunération pendant la formation."
    ),
    audience=(Role.BENEFICIARY,),
    number_prefix="PTP",
    steps=(SITUATION, PROJET, FORMATION, FINANCEMENT, PIECES),
    pieces=(
        PieceSpec("identite", "Une pièce d'identité en cours de validité", category="identite"),
        PieceSpec("bulletins", "Vos trois derniers bulletins de salaire", category="salaire"),
        PieceSpec(
            "contrats",
            "Vos contrats de travail des 12 derniers mois",
            category="contrat",
            visible_if=("contrat", ("cdd", "interim")),
        ),
        PieceSpec("devis", "Le devis de l'organisme de formation", category="devis"),
        PieceSpec("programme", "Le programme détaillé de la formation"),
        PieceSpec(
            "autorisation",
            "L'autorisation d'absence signée par votre employeur",
            visible_if=("autorisation_absence", "oui"),
        ),
        PieceSpec(
            "enquete", "Le compte rendu de votre enquête métier", required=False, visible_if=("enquete_metier", "oui")
        ),
        PieceSpec("rib", "Un relevé d'identité bancaire (RIB)", category="rib"),
    ),
    statuses=(BROUILLON, DEPOSE, EN_INSTRUCTION, A_COMPLETER, ACCEPTE, REFUSE, CLASSE, REOUVERT),
    transitions=(
        Transition(BROUILLON.code, DEPOSE.code, (OWNER,)),
        Transition(DEPOSE.code, EN_INSTRUCTION.code, AGENCY),
        Transition(EN_INSTRUCTION.code, A_COMPLETER.code, (AGENT,), needs_motivation=True),
        Transition(A_COMPLETER.code, EN_INSTRUCTION.code, (OWNER, AGENT)),
        Transition(EN_INSTRUCTION.code, ACCEPTE.code, (AGENT,)),
        Transition(EN_INSTRUCTION.code, REFUSE.code, (AGENT,), needs_motivation=True),
        Transition(EN_INSTRUCTION.code, CLASSE.code, (AGENT,), needs_motivation=True),
        Transition(DEPOSE.code, CLASSE.code, (AGENT,), needs_motivation=True),
        Transition(A_COMPLETER.code, CLASSE.code, (AGENT,), needs_motivation=True),
    )
    + reopen_transitions(DEPOSE.code, EN_INSTRUCTION.code, A_COMPLETER.code),
    # The training is funded on a provider's quote, asked and accepted in the training step.
    quotes=QuoteSpec(
        step=FORMATION.code,
        fills=(
            ("title", "formation_intitule"),
            ("provider_name", "organisme_nom"),
            ("provider_siret", "organisme_siret"),
            ("certification_kind", "certification"),
            ("certification_code", "code_certification"),
            ("start_date", "date_debut"),
            ("end_date", "date_fin"),
            ("hours_total", "duree_heures"),
            ("modality", "modalite"),
            ("location_line", "lieu_formation.line"),
            ("location_postal_code", "lieu_formation.postal_code"),
            ("location_city", "lieu_formation.city"),
            ("price_teaching", "cout_pedagogique"),
        ),
        quote_piece="devis",
        programme_piece="programme",
    ),
)
