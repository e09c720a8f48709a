"""SYNTHETIC intake survey of the GBO (Geïntegreerd Breed Onthaal, Integrated Broad Intake).

Made for module m03. No real person answered it: every value is drawn from a fixed-seed random
generator, so `python data/generate.py gbo_intake_survey` always writes the identical file.

The story, kept plausible against the WELFARE needs analysis (seed section 3; VVSG 2022,
Vlaanderen Departement Welzijn, Gezondheid en Gezin 2022, Veraert 2022):

* Local GBO partnerships (OCMW, CAW, health insurance funds and other local services) follow a
  service-design trajectory coached by a consultancy and supported by the VVSG. The seed counts
  ten trajectories at the time of writing: six running, two starting, two completed. The
  survey comes from eight invented partnerships, A to H: six running (A-F) and two completed
  (G, H); the two that were only starting have no data yet.
* A trajectory takes about 6 months on average (seed), so ``trajectory_months`` is drawn
  around 6 (5 to 7, in half months).
* In each partnership, citizens who came to the shared intake answered a short survey during
  the Discover stage. The research team sorted every respondent into one of five draft
  personas. Two of them echo the seed's prototyping examples: jobseekers who are hard to reach
  (Oudenaarde, with the VDAB) and households that cannot pay their bills (Meetjesland, with a
  health insurance fund).
* GBO wants to stop people falling through the net, so the survey asks how many other services
  a person had visited before the intake, whether a right (an allowance, a social tariff ...)
  was realised, and how the person was reached (outreach means a social worker went to them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 20180101  # fixed: the year of the GBO reform

PARTNERSHIPS = list("ABCDEFGH")
STATUS = {p: ("completed" if p in "GH" else "running") for p in PARTNERSHIPS}

PERSONAS = [
    "household with unpaid bills",
    "jobseeker hard to reach",
    "older person living alone",
    "newcomer to Belgium",
    "young adult leaving youth care",
]
PERSONA_WEIGHTS = [0.28, 0.22, 0.20, 0.17, 0.13]

HOUSEHOLDS = ["single", "single parent", "couple with children", "couple without children",
              "living with parents", "other"]
FIRST_CONTACTS = ["OCMW", "CAW", "health insurance fund", "VDAB", "municipal service desk",
                  "other"]
CHANNELS = ["walk-in", "phone or e-mail", "referral", "outreach"]
QUESTIONS = ["income and debts", "housing", "work", "health care costs",
             "family and relationships", "administration and rights"]

# Per persona: (age mean, age sd, age min, age max), household, first contact, channel,
# main question (probabilities in the order of the lists above), mean number of services
# visited before the intake, chance that a right is realised.
PROFILE = {
    "household with unpaid bills": {
        "age": (42, 10, 22, 70),
        "household": [0.20, 0.35, 0.35, 0.10, 0.00, 0.00],
        "first_contact": [0.35, 0.15, 0.35, 0.00, 0.10, 0.05],
        "channel": [0.30, 0.20, 0.20, 0.30],
        "question": [0.60, 0.10, 0.00, 0.25, 0.00, 0.05],
        "services_before": 2.0, "right": 0.55},
    "jobseeker hard to reach": {
        "age": (29, 7, 18, 55),
        "household": [0.45, 0.10, 0.05, 0.05, 0.30, 0.05],
        "first_contact": [0.30, 0.10, 0.00, 0.45, 0.10, 0.05],
        "channel": [0.20, 0.15, 0.30, 0.35],
        "question": [0.20, 0.10, 0.60, 0.00, 0.00, 0.10],
        "services_before": 2.2, "right": 0.35},
    "older person living alone": {
        "age": (76, 6, 65, 94),
        "household": [1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "first_contact": [0.25, 0.00, 0.25, 0.00, 0.40, 0.10],
        "channel": [0.35, 0.35, 0.15, 0.15],
        "question": [0.10, 0.15, 0.00, 0.30, 0.10, 0.35],
        "services_before": 1.2, "right": 0.60},
    "newcomer to Belgium": {
        "age": (33, 9, 18, 65),
        "household": [0.35, 0.15, 0.35, 0.00, 0.00, 0.15],
        "first_contact": [0.40, 0.20, 0.00, 0.10, 0.25, 0.05],
        "channel": [0.40, 0.10, 0.40, 0.10],
        "question": [0.10, 0.25, 0.25, 0.00, 0.05, 0.35],
        "services_before": 2.5, "right": 0.50},
    "young adult leaving youth care": {
        "age": (21, 2, 18, 25),
        "household": [0.60, 0.20, 0.00, 0.00, 0.00, 0.20],
        "first_contact": [0.35, 0.50, 0.00, 0.10, 0.00, 0.05],
        "channel": [0.30, 0.20, 0.30, 0.20],
        "question": [0.25, 0.40, 0.15, 0.00, 0.10, 0.10],
        "services_before": 2.8, "right": 0.45},
}


def generate() -> pd.DataFrame:
    """The synthetic survey: one row per respondent (see the module docstring)."""
    rng = np.random.default_rng(SEED)
    months = {p: float(np.clip(np.round(rng.normal(6.0, 0.6) * 2) / 2, 5.0, 7.0))
              for p in PARTNERSHIPS}
    rows = []
    for p in PARTNERSHIPS:
        for _ in range(int(rng.integers(24, 37))):
            persona = PERSONAS[rng.choice(len(PERSONAS), p=PERSONA_WEIGHTS)]
            prof = PROFILE[persona]
            mean, sd, low, high = prof["age"]
            channel = CHANNELS[rng.choice(len(CHANNELS), p=prof["channel"])]
            services = int(min(rng.poisson(prof["services_before"]), 8))
            chance = prof["right"] + (0.10 if STATUS[p] == "completed" else 0.0)
            right = bool(rng.random() < chance)
            wait = int(np.ceil(rng.gamma(2.0, 2.0 if channel == "outreach" else 4.0)))
            score = 3.4 + 0.6 * right - 0.15 * services + 0.1 * (channel == "outreach")
            satisfaction = int(np.clip(np.round(score + rng.normal(0, 0.8)), 1, 5))
            rows.append({
                "partnership": p,
                "trajectory_status": STATUS[p],
                "trajectory_months": months[p],
                "persona": persona,
                "age": int(np.clip(np.round(rng.normal(mean, sd)), low, high)),
                "household": HOUSEHOLDS[rng.choice(len(HOUSEHOLDS), p=prof["household"])],
                "first_contact": FIRST_CONTACTS[rng.choice(len(FIRST_CONTACTS),
                                                           p=prof["first_contact"])],
                "channel": channel,
                "main_question": QUESTIONS[rng.choice(len(QUESTIONS), p=prof["question"])],
                "services_before": services,
                "wait_days": max(wait, 1),
                "right_realised": right,
                # about 1 in 25 respondents skipped the satisfaction question
                "satisfaction": satisfaction if rng.random() >= 0.04 else None,
            })
    frame = pd.DataFrame(rows)
    frame.insert(0, "respondent_id", range(1, len(frame) + 1))
    frame["satisfaction"] = frame["satisfaction"].astype("Int64")
    return frame
