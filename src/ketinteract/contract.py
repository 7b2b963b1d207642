"""Constants of the output contract, in a module with no imports so the fast JSON path can use them
without loading the pydantic models of :mod:`ketinteract.results`."""

SCHEMA_VERSION = 1
"""Bumped whenever a key of any JSON output is renamed, removed or changes meaning."""

NOT_ADVICE = (
    "ketinteract is a reference to published evidence, not medical advice; "
    "decisions belong to a clinician who knows the patient."
)
NO_RECORD_NOTE = (
    "No curated record exists for this pair. This is not evidence that the combination is safe; "
    "consult another reference."
)
KNOWN_NO_RECORD_NOTE = (
    "Both drugs are known, but there is no curated finding for this pair: not evidence of safety; "
    "consult another reference."
)

LEGEND = """Each finding is rated on four separate scales, because a major interaction can rest on weak evidence.

Effect (what the second drug does to the first drug's effect in this context)
  no_effect     studies found no change
  attenuates    weakens the effect
  reverses      undoes the effect
  potentiates   strengthens the effect (or adds to it)
  conflicting   studies disagree; both sides are listed with the likely reasons
  insufficient  the evidence cannot say

Severity (clinical significance if the interaction happens; not certainty)
  major     may be life-threatening or cause lasting harm
  moderate  may need a change in treatment or closer monitoring
  minor     little clinical consequence expected
  none      no clinically significant interaction

Action (what a prescriber should do)
  avoid      do not combine, or only where the benefit clearly outweighs the risk
  adjust     change a dose, timing or route
  monitor    watch for the effect named
  no_action  nothing beyond usual care

Evidence grade (GRADE-style certainty that the stated effect is real)
  high      randomized human studies, consistent and direct
  moderate  randomized with one serious limitation, or strong observational data
  low       observational human data, or randomized with two limitations
  very_low  case reports, animal, in-vitro or label statements only, or serious limitations

Evidence tags on sources: [human], [ANIMAL: species], [IN VITRO], [LABEL], [MANUFACTURER], [REVIEW].
Extrapolated findings were written for a class, a racemate or an enantiomer and say which.
ketinteract is a reference to published evidence, not medical advice.
"""
