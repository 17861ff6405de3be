"""Dutch and English words for the workshop dashboard, in one table.

Every text the dashboard shows comes from :data:`LABELS` through :func:`label`,
so a translation is one line here. Dutch is the default: the audience is Dutch.
Names of opgaven, phases, outcomes and governance rules are keyed by the
model's own keys (``Phase`` values, ``StrandReason`` values, rule keys, opgave
keys), so the dashboard never shows a code word.
"""

from __future__ import annotations

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

LABELS: dict[str, dict[str, str]] = {
    # page and panels
    "title": {"nl": "Samenwerken in de IJmond", "en": "Cooperation in the IJmond"},
    "settings": {"nl": "Instellingen", "en": "Settings"},
    "clock": {"nl": "Klok", "en": "Clock"},
    "network_title": {"nl": "Wie vertrouwt wie?", "en": "Who trusts whom?"},
    "network_caption": {
        "nl": "Een pijl van A naar B: hoeveel A op B vertrouwt. Dik en groen = veel, "
              "dun en rood = weinig.",
        "en": "An arrow from A to B: how much A trusts B. Thick and green = a lot, "
              "thin and red = little.",
    },
    "board_title": {"nl": "Initiatieven per opgave", "en": "Initiatives per opgave"},
    "board_caption": {
        "nl": "Elke rij is een opgave, elk blokje een initiatief. Het schuift van links "
              "(net voorgesteld) naar rechts (klaar of vastgelopen).",
        "en": "Each row is an opgave, each block an initiative. It moves from left "
              "(just proposed) to right (finished or stranded).",
    },
    "history_title": {"nl": "Verloop", "en": "Over time"},
    # controls
    "governance": {"nl": "Spelregels van de samenwerking", "en": "Rules of cooperation"},
    "initial_trust": {"nl": "Vertrouwen bij de start", "en": "Trust at the start"},
    "fall_ratio": {
        "nl": "Vertrouwen daalt zoveel keer sneller dan het stijgt",
        "en": "Trust falls this many times faster than it rises",
    },
    "outside_option": {
        "nl": "Aantrekkelijkheid van het alternatief buiten de regio",
        "en": "Attractiveness of the option outside the region",
    },
    "outside_option_hint": {
        "nl": "Geldt voor {councils}.",
        "en": "Applies to {councils}.",
    },
    "seed": {"nl": "Toevalsgetal (seed)", "en": "Random seed"},
    "seed_hint": {
        "nl": "Zelfde getal, zelfde verloop.",
        "en": "Same number, same course of events.",
    },
    "speed": {"nl": "Snelheid", "en": "Speed"},
    "speed_slow": {"nl": "Langzaam", "en": "Slow"},
    "speed_normal": {"nl": "Normaal", "en": "Normal"},
    "speed_fast": {"nl": "Zo snel mogelijk", "en": "As fast as possible"},
    "play": {"nl": "Afspelen", "en": "Play"},
    "pause": {"nl": "Pauze", "en": "Pause"},
    "step": {"nl": "Eén maand verder", "en": "One month on"},
    "reset": {"nl": "Opnieuw beginnen", "en": "Start again"},
    "reset_hint": {
        "nl": "Nieuwe instellingen gelden na 'Opnieuw beginnen'.",
        "en": "New settings apply after 'Start again'.",
    },
    "pending_settings": {
        "nl": "Er zijn gewijzigde instellingen: klik op 'Opnieuw beginnen'.",
        "en": "Settings were changed: click 'Start again'.",
    },
    # status
    "month": {"nl": "Maand", "en": "Month"},
    "of": {"nl": "van", "en": "of"},
    "year": {"nl": "jaar", "en": "year"},
    "finished": {"nl": "Klaar: de hele periode is gesimuleerd.",
                 "en": "Done: the whole period has been simulated."},
    "started": {"nl": "Voorgesteld", "en": "Proposed"},
    "completed": {"nl": "Afgerond", "en": "Completed"},
    "stranded": {"nl": "Vastgelopen", "en": "Stranded"},
    "under_way": {"nl": "Loopt nog", "en": "Under way"},
    "mean_trust": {"nl": "Gemiddeld vertrouwen", "en": "Mean trust"},
    "rule_in_force": {"nl": "Spelregels", "en": "Rules"},
    "turned_away": {"nl": "haakt af", "en": "turned away"},
    "nobody": {"nl": "nog geen", "en": "none yet"},
    "last": {"nl": "laatst", "en": "last"},
    "initiated_by": {"nl": "voorgesteld door", "en": "proposed by"},
    "with": {"nl": "met", "en": "with"},
    "start_level": {"nl": "bij de start", "en": "at the start"},
    "months_axis": {"nl": "maand", "en": "month"},
    "count_axis": {"nl": "aantal initiatieven", "en": "number of initiatives"},
    "trust_axis": {"nl": "vertrouwen (0 tot 1)", "en": "trust (0 to 1)"},
    "little_trust": {"nl": "weinig vertrouwen", "en": "little trust"},
    "much_trust": {"nl": "veel vertrouwen", "en": "much trust"},
    # input errors
    "error_seed_empty": {
        "nl": "Vul een toevalsgetal in: een heel getal, bijvoorbeeld 42.",
        "en": "Enter a random seed: a whole number, for example 42.",
    },
    "error_seed_text": {
        "nl": "'{value}' is geen heel getal. Vul een toevalsgetal in zoals 42.",
        "en": "'{value}' is not a whole number. Enter a seed such as 42.",
    },
    "error_seed_negative": {
        "nl": "Het toevalsgetal mag niet negatief zijn.",
        "en": "The seed cannot be negative.",
    },
    "error_config": {
        "nl": "Deze instellingen passen niet bij het model: {detail}",
        "en": "These settings do not fit the model: {detail}",
    },
    "error_kept": {
        "nl": "De simulatie loopt door met de vorige instellingen.",
        "en": "The simulation goes on with the previous settings.",
    },
    "error_step": {
        "nl": "Er ging iets mis bij het doorrekenen: {detail}",
        "en": "Something went wrong while computing: {detail}",
    },
    # governance rules, by rule key
    "rule.optional": {"nl": "Vrijblijvend samenwerken (zoals nu)",
                      "en": "Optional cooperation (as today)"},
    "rule.mayoral": {"nl": "Regie door de burgemeesters", "en": "Mayors coordinate"},
    "rule.binding": {"nl": "Bindende afspraken, meerderheid beslist",
                     "en": "Binding frameworks, majority decides"},
    # phases, by Phase value
    "phase.preparation": {"nl": "Voorbereiding", "en": "Preparation"},
    "phase.college decision": {"nl": "Besluit colleges", "en": "Colleges decide"},
    "phase.council decision": {"nl": "Besluit gemeenteraden", "en": "Councils decide"},
    "phase.design and execution": {"nl": "Uitvoering", "en": "Carrying out"},
    "phase.completed": {"nl": "Afgerond", "en": "Completed"},
    "phase.stranded": {"nl": "Vastgelopen", "en": "Stranded"},
    # strand reasons, by StrandReason value
    "reason.blocked in the college decision": {"nl": "tegengehouden door het college",
                                               "en": "blocked by the college"},
    "reason.blocked in the council decision": {"nl": "tegengehouden door de raad",
                                               "en": "blocked by the council"},
    "reason.a partner withdrew during execution": {"nl": "partner trok zich terug",
                                                   "en": "a partner withdrew"},
    "reason.a partner could not deliver": {"nl": "partner kon niet leveren",
                                           "en": "a partner could not deliver"},
    "reason.a partner turned away from the region": {"nl": "partner haakte af",
                                                     "en": "a partner turned away"},
    # opgaven of the IJmond region, by opgave key
    "opgave.economy": {"nl": "Economie", "en": "Economy"},
    "opgave.air_quality": {"nl": "Luchtkwaliteit en milieuruimte",
                           "en": "Air quality and environmental space"},
    "opgave.mobility": {"nl": "Bereikbaarheid", "en": "Accessibility and mobility"},
    "opgave.housing": {"nl": "Woningvoorraad", "en": "Housing stock"},
    "opgave.facilities": {"nl": "Regionale voorzieningen", "en": "Regional facilities"},
    "opgave.environmental_service": {"nl": "Wettelijke milieutaken (Milieudienst)",
                                     "en": "Statutory environmental tasks"},
}


def label(key: str, lang: str = DEFAULT_LANGUAGE, default: str | None = None, **fields) -> str:
    """The text for ``key`` in ``lang``, with ``{fields}`` filled in.

    Args:
        key: a key of :data:`LABELS`.
        lang: ``"nl"`` or ``"en"``; anything else falls back to Dutch.
        default: text to use when ``key`` is not in the table (e.g. an opgave of
            another region); the key itself if None.
        **fields: values for the ``{placeholders}`` in the text.

    Returns:
        The text.
    """
    entry = LABELS.get(key)
    if entry is None:
        text = key if default is None else default
    else:
        text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**fields) if fields else text
