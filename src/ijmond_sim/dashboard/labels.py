"""Dutch and English words for the workshop dashboard, in one table.

Every text the dashboard shows comes from :data:`LABELS` through :func:`label`,
so a translation is one line here. Dutch is the default: the audience is Dutch.
Names of opgaven, phases, outcomes and governance rules are keyed by the
model's own keys (``Phase`` values, ``StrandReason`` values, rule keys, opgave
keys), so the dashboard never shows a code word. A governance rule without an
entry here is shown by its own ``label``, with a warning (:func:`rule_name`).
Numbers are written as the language writes them (:func:`number`: 0,45 in Dutch).
"""

from __future__ import annotations

import warnings

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

LABELS: dict[str, dict[str, str]] = {
    # page and panels
    "title": {"nl": "Samenwerken in de IJmond", "en": "Cooperation in the IJmond"},
    "settings": {"nl": "Instellingen", "en": "Settings"},
    "clock": {"nl": "Klok", "en": "Clock"},
    "network_title": {"nl": "Wie vertrouwt wie?", "en": "Who trusts whom?"},
    "network_caption": {
        "nl": "Een pijl van A naar B: hoeveel A op B vertrouwt. Dik en geel = veel, "
              "dun en donkerblauw = weinig.",
        "en": "An arrow from A to B: how much A trusts B. Thick and yellow = a lot, "
              "thin and dark blue = little.",
    },
    "network_alt": {
        "nl": "Vertrouwensnetwerk in maand {month}. {pairs}",
        "en": "Trust network in month {month}. {pairs}",
    },
    "pair_trust": {"nl": "{a} vertrouwt {b}: {value}", "en": "{a} trusts {b}: {value}"},
    "history_alt": {
        "nl": "Verloop tot maand {month}: gemiddeld vertrouwen van {start} naar {now}; "
              "{completed} initiatieven afgerond, {stranded} vastgelopen.",
        "en": "Course up to month {month}: mean trust from {start} to {now}; "
              "{completed} initiatives completed, {stranded} stranded.",
    },
    "as_table": {"nl": "Als tabel", "en": "As a table"},
    "trust_of_in": {"nl": "vertrouwen van (rij) in (kolom)", "en": "trust of (row) in (column)"},
    "initial_trust_caption": {
        "nl": "Vertrouwen bij de start geldt voor elk paar; bekende verschillen tussen "
              "paren (uit de regio) komen erbij, dus het gemiddelde kan iets afwijken "
              "(nu {mean}).",
        "en": "Trust at the start applies to each pair; known differences between pairs "
              "(from the region) are added, so the mean can differ a little "
              "(now {mean}).",
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
    "years": {"nl": "Looptijd in jaren", "en": "Run length in years"},
    "compare": {"nl": "Vergelijk met (zelfde toevalsgetal)", "en": "Compare with (same seed)"},
    "compare_none": {"nl": "(geen vergelijking)", "en": "(no comparison)"},
    # replay, timeline, export
    "replay": {"nl": "Terugkijken: maand", "en": "Look back: month"},
    "replay_live": {"nl": "Terug naar nu", "en": "Back to now"},
    "replay_note": {"nl": "U kijkt terug naar maand {month}.",
                    "en": "You are looking back at month {month}."},
    "timeline_title": {"nl": "Wat er gebeurde", "en": "What happened"},
    "all_councils": {"nl": "Alle gemeenten", "en": "All councils"},
    "all_opgaven": {"nl": "Alle opgaven", "en": "All opgaven"},
    "council_filter": {"nl": "Gemeente", "en": "Council"},
    "opgave_filter": {"nl": "Opgave", "en": "Opgave"},
    "no_events": {"nl": "Nog niets gebeurd.", "en": "Nothing has happened yet."},
    "jump": {"nl": "Ga naar maand {month}", "en": "Go to month {month}"},
    "more_events": {"nl": "en {n} eerdere", "en": "and {n} earlier"},
    "event.proposed": {"nl": "{actors} stelt een initiatief voor op {opgave}, met {others}.",
                       "en": "{actors} proposes an initiative on {opgave}, with {others}."},
    "event.colleges_agreed": {"nl": "De colleges stemmen in met het initiatief op {opgave}.",
                              "en": "The colleges agree to the initiative on {opgave}."},
    "event.decided": {"nl": "Besluit genomen over {opgave}: {actors} gaan het uitvoeren.",
                      "en": "Decision taken on {opgave}: {actors} will carry it out."},
    "event.overruled": {"nl": "De meerderheid ({actors}) stemt bij {opgave} over {others} heen.",
                        "en": "The majority ({actors}) carries the vote on {opgave} over {others}."},
    "event.withdrew": {"nl": "Teruggetrokken uit {opgave}: {actors}; {others} gaan door.",
                       "en": "Withdrawn from {opgave}: {actors}; {others} carry on."},
    "event.completed": {"nl": "Initiatief op {opgave} afgerond door {actors}.",
                        "en": "Initiative on {opgave} completed by {actors}."},
    "event.stranded": {"nl": "Initiatief op {opgave} vastgelopen: {reason}. Schuld gegeven "
                             "aan {actors} door {others}.",
                       "en": "Initiative on {opgave} stranded: {reason}. Blamed on {actors} "
                             "by {others}."},
    "event.stranded_nobody": {"nl": "Initiatief op {opgave} vastgelopen: {reason}.",
                              "en": "Initiative on {opgave} stranded: {reason}."},
    "event.turned_away": {"nl": "{actors} haakt af en kiest het alternatief buiten de regio "
                                "(vertrouwen in de anderen was gezakt tot {trust}).",
                          "en": "{actors} turns away to its option outside the region "
                                "(its trust in the others had fallen to {trust})."},
    "and": {"nl": "en", "en": "and"},
    "export": {"nl": "Meenemen", "en": "Take home"},
    "export_network": {"nl": "Netwerk", "en": "Network"},
    "export_history": {"nl": "Verloop", "en": "Over time"},
    "export_months": {"nl": "Maanden (CSV)", "en": "Months (CSV)"},
    "export_initiatives": {"nl": "Initiatieven (CSV)", "en": "Initiatives (CSV)"},
    "export_events": {"nl": "Gebeurtenissen (CSV)", "en": "Events (CSV)"},
    "export_settings": {"nl": "Instellingen (YAML)", "en": "Settings (YAML)"},
    "export_debrief": {"nl": "Nabespreking (HTML)", "en": "Debrief (HTML)"},
    "command_hint": {"nl": "Dezelfde run op de opdrachtregel:",
                     "en": "The same run on the command line:"},
    "presets": {"nl": "Voorinstellingen", "en": "Presets"},
    "load_preset": {"nl": "Laad instellingen (YAML)", "en": "Load settings (YAML)"},
    "link_hint": {"nl": "Link naar deze instellingen:", "en": "Link to these settings:"},
    "error_preset": {"nl": "Dit bestand bevat geen instellingen: {detail}",
                     "en": "This file holds no settings: {detail}"},
    "language": {"nl": "Taal", "en": "Language"},
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


def number(value: float, lang: str = DEFAULT_LANGUAGE, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals, with a decimal comma in Dutch (0,45) and a point in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def rule_name(rule, lang: str = DEFAULT_LANGUAGE) -> str:
    """The plain name of a governance rule (class or object with ``key`` and ``label``).

    A rule without an entry in :data:`LABELS` is shown by its own ``label`` (its key if that is
    empty), with a warning that names the missing entry.
    """
    key = f"rule.{rule.key}"
    if key not in LABELS:
        warnings.warn(f"governance rule {rule.key!r} has no entry {key!r} in "
                      f"ijmond_sim/dashboard/labels.py; showing its own label", stacklevel=2)
        return rule.label or rule.key
    return label(key, lang)
