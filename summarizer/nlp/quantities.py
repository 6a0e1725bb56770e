"""What a counted number counts, as one name for every way news writes it ("deaths" for a toll, the dead, victims)."""

from __future__ import annotations

from summarizer.nlp.features import CountedNumber

DEATH_WORDS = frozenset({"death", "dead", "die", "kill", "toll", "victim", "fatality", "casualty", "body", "life"})
STATE_WORDS = {  # what else is counted of people in a disaster, by the word that says it
    "homeless": "homeless",
    "missing": "missing",
    "miss": "missing",
    "injure": "injured",
    "injured": "injured",
    "wound": "injured",
    "displace": "displaced",
    "evacuate": "evacuated",
}
CASUALTY_CLASSES = frozenset({"deaths", *STATE_WORDS.values()})  # the counts news most often attaches wrongly


def quantity_of(number: CountedNumber) -> str:
    """What ``number`` counts, as one name for every way the articles say it ("deaths" for "toll", "victims")."""
    words = {number.unit, *number.context, *([number.verb] if number.verb else [])}
    if words & DEATH_WORDS:
        return "deaths"
    for word, state in STATE_WORDS.items():
        if word in words:
            return state
    return f"{number.unit} ({number.verb})" if number.verb and number.verb != "be" else number.unit
