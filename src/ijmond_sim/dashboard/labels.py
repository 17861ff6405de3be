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
    "title": {"nl": "Samenwerken in de regio {region}", "en": "Cooperation in the {region} region"},
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
        "nl": "Geldt voor {councils} ({n} van de {total} gemeenten); de andere houden het "
              "alternatief uit het regiobestand.",
        "en": "Applies to {councils} ({n} of the {total} councils); the others keep the "
              "option of the region file.",
    },
    "region": {"nl": "Regio", "en": "Region"},
    "own_region": {"nl": "Andere regio…", "en": "Another region…"},
    "region_path": {"nl": "Naam van de regio (conf/region of een map waarmee de server startte)",
                    "en": "Name of the region (conf/region or a folder the server started with)"},
    "region_hint": {"nl": "Gecontroleerd zoals op de opdrachtregel; gebruikt na 'Opnieuw "
                          "beginnen'.",
                    "en": "Checked as on the command line; used after 'Start again'."},
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
    "event.left_by_choice": {"nl": "{actors} stapt uit de regio, op eigen keuze van de speler "
                                   "(vertrouwen in de anderen: {trust}).",
                             "en": "{actors} leaves the region by its player's own choice "
                                   "(its trust in the others: {trust})."},
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
    "error_preset": {"nl": "Dit bestand bevat geen instellingen (geen sleutel 'settings:').",
                     "en": "This file holds no settings (no key 'settings:')."},
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
    "error_region_name": {
        "nl": "Geen regio '{name}'; kies uit: {allowed}. Een eigen regio komt erbij als de server "
              "gestart wordt met haar map (make workshop REGIONS=map).",
        "en": "No region '{name}'; choose one of: {allowed}. A region of your own is added by "
              "starting the server with its folder (make workshop REGIONS=folder).",
    },
    "error_region_bad": {
        "nl": "Regio '{name}' is niet te gebruiken: haar bestand doorstaat de controles van het model "
              "niet. Het logboek van de server noemt de regel.",
        "en": "Region '{name}' cannot be used: its file fails the model's checks. The server's log "
              "names the line.",
    },
    "error_preset_yaml": {
        "nl": "Dit bestand is geen leesbaar instellingenbestand (YAML): kijk naar regel {line}.",
        "en": "This file is not a readable settings file (YAML): look at line {line}.",
    },
    "error_compare": {
        "nl": "Geen bestuursregel '{value}' om mee te vergelijken; kies uit: {allowed}.",
        "en": "No governance rule '{value}' to compare with; choose one of: {allowed}.",
    },
    "error_bound": {
        "nl": "{name} = {value} valt buiten het bereik; toegestaan: {low} tot en met {high}.",
        "en": "{name} = {value} is out of range; allowed: {low} to {high}.",
    },
    "error_part": {
        "nl": "Dit deel kon niet worden getoond; de laatste goede stand blijft staan "
              "(de fout staat in het logboek van de server).",
        "en": "This part could not be shown; the last good run stays "
              "(the error is in the server's log).",
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
    # short names of the rules, for the timeline of two compared runs (by rule key)
    "rule_short.optional": {"nl": "Vrijblijvend", "en": "Optional"},
    "rule_short.mayoral": {"nl": "Burgemeesters", "en": "Mayors"},
    "rule_short.binding": {"nl": "Bindend", "en": "Binding"},
    "compare_commands": {"nl": "De vergeleken run op de opdrachtregel:",
                         "en": "The compared run on the command line:"},
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
    "reason.a partner held back its part": {"nl": "partner hield zijn deel in",
                                            "en": "a partner held back its part"},
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
    # participatory mode (ijmond_sim.workshop): the facilitator's console and the participant's view
    "room.console": {"nl": "Regie van de sessie", "en": "Facilitator's console"},
    "room.open": {"nl": "Zaal openen", "en": "Open a room"},
    "room.years": {"nl": "Lengte van de ronde (jaren)", "en": "Length of the round (years)"},
    "room.vote_seconds": {"nl": "Tijd om te stemmen (seconden)", "en": "Time to vote (seconds)"},
    "room.month_seconds": {"nl": "Seconden per maand", "en": "Seconds per month"},
    "room.code": {"nl": "Zaalcode", "en": "Room code"},
    "room.seats": {"nl": "Wie speelt welke gemeente", "en": "Who plays which council"},
    "room.seat_free": {"nl": "vrij: het model speelt", "en": "free: the model plays"},
    "room.seat_here": {"nl": "speelt mee", "en": "playing"},
    "room.seat_away": {"nl": "verbinding weg, zetel bewaard", "en": "connection lost, seat kept"},
    "room.voted": {"nl": "heeft gestemd", "en": "has voted"},
    "room.to_vote": {"nl": "moet nog stemmen", "en": "still to vote"},
    "room.next_decision": {"nl": "Naar het volgende besluit", "en": "To the next decision"},
    "room.close_vote": {"nl": "Stemming nu sluiten", "en": "Close the vote now"},
    "room.reveal": {"nl": "Deelnemers zien elkaars stemmen", "en": "Participants see each other's votes"},
    "room.vote_open": {"nl": "Stemming open: nog {seconds} s", "en": "Vote open: {seconds} s left"},
    "room.vote_waiting": {"nl": "Stemming open: de tijd begint zodra alle gevraagde spelers terug zijn",
                          "en": "Vote open: the time starts once every player asked is back"},
    "room.views": {"nl": "Weergave van de console", "en": "Console view"},
    "room.view.room": {"nl": "Ruimte", "en": "Room"},
    "room.view.log": {"nl": "Logboek en tijdlijn", "en": "Log and timeline"},
    "room.view.debrief": {"nl": "Nabespreking", "en": "Debrief"},
    "room.qr": {"nl": "QR-code met het adres om mee te doen", "en": "QR code with the address to join"},
    "room.no_vote": {"nl": "Geen stemming open", "en": "No vote open"},
    "room.round_over": {"nl": "De ronde is klaar.", "en": "The round is over."},
    "room.debrief": {"nl": "Nabespreking: wat had het model zelf gedaan?",
                     "en": "Debrief: what would the model's councils have done?"},
    "room.debrief_caption": {
        "nl": "Deze zaal tegenover de gemeenten van het model zelf: zelfde instellingen, zelfde "
              "toevalsgetal, zelfde aantal maanden.",
        "en": "This room against the model's own councils: same settings, same seed, same "
              "number of months.",
    },
    "room.this_room": {"nl": "Deze zaal", "en": "This room"},
    "room.agents": {"nl": "Het model zelf", "en": "The model itself"},
    "room.benefit": {"nl": "Opbrengst {council}", "en": "Gain of {council}"},
    "room.differing": {"nl": "Stemmen anders dan het model: {count} van {total}",
                       "en": "Votes unlike the model's: {count} of {total}"},
    "room.log": {"nl": "Logboek van besluiten", "en": "Log of decisions"},
    "room.export_log": {"nl": "Logboek bewaren (CSV)", "en": "Save the log (CSV)"},
    "room.by_seat": {"nl": "gestemd", "en": "voted"},
    "room.by_agent": {"nl": "geen stem op tijd: het model besliste",
                      "en": "no vote in time: the model decided"},
    "room.by_choice": {"nl": "eigen keuze van de deelnemer", "en": "the participant's own choice"},
    "room.kind.college": {"nl": "Besluit van het college", "en": "The college decides"},
    "room.kind.council": {"nl": "Besluit van de gemeenteraad", "en": "The council decides"},
    "room.kind.review": {"nl": "Jaarlijkse herbezinning tijdens de uitvoering",
                         "en": "Yearly review during execution"},
    "room.kind.turn_away": {"nl": "Uit de regio stappen?", "en": "Leave the region?"},
    "room.kind.leave": {"nl": "Eigen keuze: uit de regio stappen", "en": "Own choice: leave the region"},
    "room.for": {"nl": "Voor", "en": "For"},
    "room.against": {"nl": "Tegen", "en": "Against"},
    "room.leave": {"nl": "Uit de regio stappen", "en": "Leave the region"},
    "room.stay": {"nl": "Blijven", "en": "Stay"},
    "room.your_vote": {"nl": "Uw stem: {vote}. Wacht op de anderen.",
                       "en": "Your vote: {vote}. Waiting for the others."},
    "room.join": {"nl": "Meedoen aan een sessie", "en": "Join a session"},
    "room.enter_code": {"nl": "Zaalcode (vier letters)", "en": "Room code (four letters)"},
    "room.go": {"nl": "Naar de zaal", "en": "Go to the room"},
    "room.choose": {"nl": "Kies de gemeente die u speelt", "en": "Choose the council you play"},
    "room.any": {"nl": "Wijs mij een vrije gemeente toe", "en": "Give me any free council"},
    "room.unknown": {"nl": "Er is geen zaal met code '{code}'.",
                     "en": "There is no room with code '{code}'."},
    "room.seat_lost": {"nl": "Deze zetel is niet meer van u. Kies opnieuw.",
                       "en": "This seat is no longer yours. Choose again."},
    "room.you_play": {"nl": "U speelt {council}", "en": "You play {council}"},
    "room.population": {"nl": "Inwoners", "en": "Residents"},
    "room.interests": {"nl": "Belang van uw gemeente per opgave (0 tot 1)",
                       "en": "Your municipality's interest per opgave (0 to 1)"},
    "room.trust_in": {"nl": "Uw vertrouwen in", "en": "Your trust in"},
    "room.trusted_by": {"nl": "Hun vertrouwen in u, zover u het kunt zien",
                        "en": "Their trust in you, as far as you can tell"},
    "room.band.unknown": {"nl": "onbekend", "en": "unknown"},
    "room.band.low": {"nl": "laag", "en": "low"},
    "room.band.mixed": {"nl": "wisselend", "en": "mixed"},
    "room.band.high": {"nl": "hoog", "en": "high"},
    "room.band_events": {"nl": "{band} (gedeelde gebeurtenissen: {n})",
                         "en": "{band} (shared events: {n})"},
    "room.trusted_by_caption": {
        "nl": "Uw eigen vertrouwen kent u precies. Dat van de anderen in u ziet u alleen aan wat zij "
              "deden in de initiatieven die u met hen deelt: samen besluiten en samen afronden tellen "
              "goed; u iets verwijten, tegenhouden, weggaan of uitstappen tellen slecht, en zwaarder: "
              "vertrouwen komt te voet en gaat te paard.",
        "en": "Your own trust you know exactly. The others' trust in you shows only in what they did "
              "in the initiatives you share with them: deciding together and completing together count "
              "as good; blaming you, blocking, withdrawing or leaving count as bad, and weigh more: "
              "trust comes on foot and leaves on horseback."},
    "room.console_locked": {
        "nl": "Dit is de regie van zaal {code}. De klok werkt alleen met de sleutel in het adres dat de "
              "facilitator bij het openen van de zaal kreeg. Deelnemers doen mee via /join.",
        "en": "This is the console of room {code}. The clock works only with the key in the address the "
              "facilitator got when opening the room. Participants join at /join."},
    "room.key_hint": {
        "nl": "Bewaar het adres van deze pagina: de sleutel erin geeft de klok. Houd de adresbalk van het "
              "scherm (F11).",
        "en": "Keep this page's address: the key in it holds the clock. Keep the address bar off the "
              "projector (F11)."},
    "room.leave_title": {"nl": "Uit de regio stappen", "en": "Leaving the region"},
    "room.leave_when": {"nl": "Uw gemeenteraad kan in maand {month} (zijn volgende vergadering) besluiten "
                              "uit de regio te stappen.",
                        "en": "Your council can decide to leave the region in month {month} (its next "
                              "meeting)."},
    "room.leave_drops": {"nl": "U stapt dan uit {count} lopende initiatieven; de partners vertrouwen u "
                               "daarna minder, en wat daardoor vastloopt kost u uw deel.",
                         "en": "You then step out of {count} initiatives under way; the partners trust you "
                               "less afterwards, and what strands because of it costs you your share."},
    "room.leave_button": {"nl": "Nu uit de regio stappen", "en": "Leave the region now"},
    "room.leave_confirm_title": {"nl": "Zeker weten?", "en": "Are you sure?"},
    "room.leave_confirm": {"nl": "Uw gemeente stapt in maand {month} uit de regio. Dat is niet terug te "
                                 "draaien.",
                           "en": "Your council leaves the region in month {month}. This cannot be undone."},
    "room.leave_ok": {"nl": "Ja, uit de regio stappen", "en": "Yes, leave the region"},
    "room.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "room.leaving": {"nl": "Op uw keuze stapt uw gemeente in maand {month} uit de regio.",
                     "en": "By your choice, your council leaves the region in month {month}."},
    "room.initiatives": {"nl": "Lopende initiatieven met uw gemeente",
                         "en": "Initiatives under way with your council"},
    "room.none": {"nl": "geen", "en": "none"},
    "room.local_gain": {"nl": "Uw gemeente houdt over als het lukt: {value}",
                        "en": "Your municipality nets if it succeeds: {value}"},
    "room.regional_gain": {"nl": "De regio als geheel houdt over: {value}",
                           "en": "The region as a whole nets: {value}"},
    "room.cost": {"nl": "Uw deel van de kosten: {value}", "en": "Your share of the cost: {value}"},
    "room.sunk": {"nl": "Kwijt als het toch vastloopt: {value}",
                  "en": "Lost if it strands after all: {value}"},
    "room.units": {"nl": "Bedragen in delen van de totale kosten van het initiatief.",
                   "en": "Amounts as parts of the initiative's total cost."},
    "room.follow": {"nl": "Uw verwachting dat de partners doorzetten: {value}",
                    "en": "Your expectation that the partners follow through: {value}"},
    "room.overrulable": {"nl": "Onder deze spelregels kunnen de anderen doorgaan als alleen u tegen stemt.",
                         "en": "Under these rules the others can go on if only you vote against."},
    "room.veto": {"nl": "Onder deze spelregels houdt uw 'tegen' het initiatief tegen.",
                  "en": "Under these rules your 'against' stops the initiative."},
    "room.mandate": {"nl": "Het college besluit binnen afgesproken kaders; de raad stemt niet apart.",
                     "en": "The college decides within agreed frameworks; the council does not "
                           "vote separately."},
    "room.exit_cost": {"nl": "Tegenhouden of vertrekken kost onder deze regels: {value}",
                       "en": "Blocking or leaving costs under these rules: {value}"},
    "room.outside": {"nl": "Aantrekkelijkheid van uw alternatief buiten de regio: {value}",
                     "en": "Attractiveness of your option outside the region: {value}"},
    "room.turn_away_advice": {
        "nl": "Uw ambtenaren adviseren uit de regio te stappen: het alternatief lijkt aantrekkelijker.",
        "en": "Your civil servants advise leaving the region: the alternative looks more attractive."},
    "room.left": {"nl": "Uw gemeente is uit de regio gestapt.", "en": "Your council has left the region."},
    "room.others_votes": {"nl": "Stemmen van de anderen", "en": "The others' votes"},
    "room.wait": {"nl": "Geen stemming voor u. De facilitator houdt de klok.",
                  "en": "No vote for you now. The facilitator holds the clock."},
    # the player's briefing
    "room.briefing": {"nl": "Zo werkt het spel", "en": "How the game works"},
    "room.rule_in_force": {"nl": "De spelregels nu: {rule}.", "en": "The rules in force: {rule}."},
    "room.your_interests": {
        "nl": "Uw gemeente heeft vooral belang bij: {opgaven}. Een initiatief op zo'n opgave "
              "levert u het meest op.",
        "en": "Your municipality cares most about: {opgaven}. An initiative on such an opgave "
              "brings you the most."},
    "room.amounts": {
        "nl": "Alle bedragen zijn delen van de totale kosten van het initiatief: 0,25 is een kwart "
              "daarvan. 'Houdt over' is wat het oplevert min uw deel van de kosten; 'kwijt' is wat u "
              "al betaald hebt als het toch vastloopt.",
        "en": "Every amount is a part of the initiative's total cost: 0.25 is a quarter of it. "
              "'Nets' is what it brings minus your share of the cost; 'lost' is what you have paid "
              "already if it strands after all."},
    "room.phases": {"nl": "Een initiatief doorloopt deze fasen:",
                    "en": "An initiative goes through these phases:"},
    "room.phase_help.preparation": {
        "nl": "de ambtenaren werken het voorstel uit; er valt nog niets te stemmen.",
        "en": "the civil servants work the proposal out; nothing to vote on yet."},
    "room.phase_help.college decision": {
        "nl": "het college van burgemeester en wethouders van elke gemeente zegt ja of nee.",
        "en": "each municipality's college (the mayor and aldermen, its executive) says yes or no."},
    "room.phase_help.council decision": {
        "nl": "de gemeenteraad van elke gemeente stemt.",
        "en": "each municipal council (the elected assembly) votes."},
    "room.phase_help.design and execution": {
        "nl": "het initiatief wordt uitgevoerd; elk jaar beziet elke gemeente of ze erin blijft.",
        "en": "the initiative is carried out; once a year each municipality reviews whether it stays in."},
    "room.phase_help.completed": {"nl": "klaar; de opbrengst komt binnen.",
                                  "en": "done; the benefits come in."},
    "room.phase_help.stranded": {"nl": "gestopt; wat al betaald is, is kwijt.",
                                 "en": "stopped; what was paid is lost."},
    "room.deciding_now": {"nl": "{phase} (nu aan u)", "en": "{phase} (your vote now)"},
    "glossary": {
        "nl": "Een 'opgave' is een taak waar de regio samen voor staat (zoals wonen of bereikbaarheid); "
              "het 'college' is het dagelijks bestuur van een gemeente: burgemeester en wethouders.",
        "en": "Two Dutch words: an 'opgave' is a task the region faces together (such as housing "
              "or accessibility); the 'college' is a municipality's executive, its mayor and aldermen."},
    "rule_brief.optional": {
        "nl": "elke gemeente beslist zelf, op haar eigen vergadermomenten; één 'tegen' in welke fase "
              "ook houdt het initiatief tegen, en uit een initiatief stappen kost alleen vertrouwen",
        "en": "every municipality decides for itself, at its own meetings; one 'against' in any phase "
              "stops the initiative, and leaving an initiative costs only trust"},
    "rule_brief.mayoral": {
        "nl": "de burgemeesters plannen de besluitmomenten samen en schuiven de kosten naar wie er het "
              "meest aan heeft; bindend is het niet: één 'tegen' houdt het initiatief nog steeds tegen",
        "en": "the mayors plan the decision moments together and move the costs towards who gains "
              "most; nothing binds: one 'against' still stops the initiative"},
    "rule_brief.binding": {
        "nl": "binnen afgesproken kaders beslist een gekwalificeerde meerderheid: de anderen kunnen "
              "doorgaan als alleen u tegen bent, en tegenhouden of vertrekken kost iets",
        "en": "within agreed frameworks a qualified majority decides: the others can go on if only "
              "you are against, and blocking or leaving costs something"},
    "room.bad_settings": {"nl": "Deze instellingen passen niet bij het model: {detail}",
                          "en": "These settings do not fit the model: {detail}"},
    "room.token_needed": {
        "nl": "Een zaal openen kan alleen met de sleutel van de facilitator: open het adres dat de server "
              "bij het starten toonde (/?token=...). Deelnemers doen mee via /join.",
        "en": "Opening a room needs the facilitator's token: open the address the server printed when it "
              "started (/?token=...). Participants join at /join."},
    "room.refused": {"nl": "Er is geen zaal geopend: {detail}", "en": "No room was opened: {detail}"},
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


def rule_menu(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Every governance rule for a menu, in order: its plain name (:func:`rule_name`) to its key."""
    from ijmond_sim.model.governance import RULES

    return {rule_name(cls, lang): key for key, cls in RULES.items()}
