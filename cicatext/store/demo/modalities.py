"""The Modalities records of the sample repository: what the seed says of coordinators, the SWG meeting and note SWG/739.

Only what the seed states: the SWG recommended Russia and China for ICT
security for 2024-2025 (the SOC has not decided yet), it continued to
consider Iraq's offer and received Israel's, it met in Astana on 13-14 June
2023 in a hybrid mode, and it invited comments on the Modalities until
15 July 2023. No SOC decision, reference or date is made up.
"""

from __future__ import annotations

from cicatext.records.cover_note import default_template
from cicatext.store.layout import (
    TEMPLATES_DIR,
    coordinator_path,
    cover_note_template_path,
    meeting_path,
    note_path,
)

MEETING = "swg-2023-06"

_ICT_SECURITY = """\
# Coordinators and Co-coordinators of "Security of and in the use of ICTs".
# Recommendations of the SWG meeting on 13-14 June 2023 (SWG/2023-II/INF/2),
# paragraph 4. The SOC has not yet decided: both stay `recommended` until it does.
area: ict-security
appointments:
  - state: RUS
    role: coordinator
    state_of_record: recommended
    from: 2024-01-01
    to: 2025-12-31
    recommendation:
      body: SWG
      meeting: swg-2023-06
      ref: SWG/2023-II/INF/2
    note: The SWG recommended that the SOC approve the Russian Federation as coordinator.
  - state: CHN
    role: co-coordinator
    state_of_record: recommended
    from: 2024-01-01
    to: 2025-12-31
    recommendation:
      body: SWG
      meeting: swg-2023-06
      ref: SWG/2023-II/INF/2
    note: The SWG recommended that the SOC approve China as co-coordinator.
"""

_COMBATING_TERRORISM = """\
# Recommendations of the SWG meeting on 13-14 June 2023 (SWG/2023-II/INF/2), paragraph 5.
# The seed gives neither the date of Iraq's offer nor its proposed tenure.
area: combating-terrorism
appointments:
  - state: IRAQ
    role: co-coordinator
    state_of_record: offered
    considered: [swg-2023-06]
    note: The SWG continued consideration of the offer of Iraq.
"""

_SUSTAINABLE_DEVELOPMENT = """\
# Recommendations of the SWG meeting on 13-14 June 2023 (SWG/2023-II/INF/2), paragraph 6.
# The seed does not give Israel's proposed tenure.
area: sustainable-development
appointments:
  - state: ISR
    role: co-coordinator
    state_of_record: offered
    offered:
      meeting: swg-2023-06
    note: Israel submitted to the SWG its offer to assume the role of co-coordinator.
"""

_MEETING = """\
# The Special Working Group meeting of 13-14 June 2023 and its outcome, as the
# Secretariat's note SWG/739 and the SWG's recommendations (SWG/2023-II/INF/2) record it.
id: swg-2023-06
body: SWG
dates:
  from: 2023-06-13
  to: 2023-06-14
place:
  en: Astana
  ru: Астана
mode: hybrid
documents:
  - symbol: SWG/2023-II/INF/2
    action: adopted
    title:
      en: Recommendations of the SWG
      ru: Рекомендации СРГ
    note: The SWG's recommendations at the close of its meeting.
  - symbol: MC/2023/CHAIR/1/Rev.1
    action: agreed
    note: Amended from MC/2023/CHAIR/1 of 11 May 2023; to the SOC for approval.
  - symbol: MC/2023/DRAFT/3/Rev.1
    action: agreed
    note: Amended from MC/2023/DRAFT/3 of 11 May 2023; to the SOC for approval.
  - symbol: MC/2023/DRAFT/4
    action: considered
    note: Consideration continues; the SOC to determine the level of its adoption.
  - symbol: MC/2023/DRAFT/5
    action: considered
    note: Consideration continues, with a view to adoption by the MC on 21 September 2023.
deadlines:
  - what: Member States' comments on the draft Modalities to the Secretariat
    date: 2023-07-15
    documents: [MC/2023/DRAFT/4]
"""

_NOTE = f"""\
# The Secretariat's note forwarding the documents of the SWG meeting of 13-14 June 2023.
# `cicatext note swg-2023-06` renders it from the meeting record and {TEMPLATES_DIR}/.
number: SWG/739
meeting: swg-2023-06
date: 2023-06-14
place:
  en: Astana
  ru: Астана
languages: [en, ru]
body_name:
  en: Special Working Group (SWG)
  ru: Специальной рабочей группы (СРГ)
enclosure_pages: 16
"""


def sample_records() -> dict[str, str]:
    """The sample repository's Modalities records and cover note templates: repository-relative path → text."""
    return {
        coordinator_path("ict-security"): _ICT_SECURITY,
        coordinator_path("combating-terrorism"): _COMBATING_TERRORISM,
        coordinator_path("sustainable-development"): _SUSTAINABLE_DEVELOPMENT,
        meeting_path(MEETING): _MEETING,
        note_path("swg-739"): _NOTE,
        cover_note_template_path("en"): default_template("en"),
        cover_note_template_path("ru"): default_template("ru"),
    }
