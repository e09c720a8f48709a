"""SYNTHETIC trainee cohorts of a Rising You-like work-at-height training programme (module m04).

Rising You is a Belgian social enterprise that coaches young refugees in climbing clubs and
trains some of them as professionals for jobs at height; companies that hire them invest in
their training (WELFARE national report, section 4). The report gives no data tables, so this
table is INVENTED for teaching. It is only made plausible against the report: in 2020 about
2 in 3 refugees in Belgium were unemployed, so a programme that gets about half of its
starters into work does much better than that baseline; 2020 cohorts are smaller (the
pandemic); the company contribution per hire grows while the start-up subsidy shrinks, the
move from subsidies towards a revenue model that the report's focus group calls the main
barrier (section 5.2.3). These are NOT Rising You's real figures.

    python data/generate.py rising_you_cohorts
"""

import numpy as np
import pandas as pd

SEED = 20_201  # fixed: regenerating gives the identical file

YEARS = range(2019, 2025)
#: EUR a hiring company pays towards the training of one future employee, per year
COMPANY_FEE_PER_HIRE = {2019: 2500, 2020: 2500, 2021: 3000, 2022: 3500, 2023: 4000, 2024: 4500}
#: Operating subsidy per cohort (EUR): a start-up subsidy that shrinks over the years
SUBSIDY_PER_COHORT = {2019: 22000, 2020: 22000, 2021: 20000, 2022: 16000, 2023: 14000,
                      2024: 12000}


def _round_to(value: float, step: int) -> int:
    return int(step * round(value / step))


def generate() -> pd.DataFrame:
    """One row per cohort (two cohorts a year, 2019-2024). Returns a DataFrame."""
    rng = np.random.default_rng(SEED)
    rows = []
    for year in YEARS:
        for half in ("A", "B"):
            started = int(rng.integers(7, 10)) if year == 2020 else int(rng.integers(10, 17))
            completed = int(rng.binomial(started, rng.uniform(0.72, 0.88)))
            found_work = int(rng.binomial(completed, rng.uniform(0.58, 0.78)))
            # direct costs: coaches and hall per cohort, plus certification and gear per trainee
            direct = 14_000 + 2_600 * started + rng.normal(0, 900)
            training_cost = _round_to(direct, 10)
            overhead = _round_to(0.12 * training_cost, 10)
            company = found_work * COMPANY_FEE_PER_HIRE[year]
            grant = _round_to(rng.uniform(4_000, 9_000), 500) if rng.random() < 0.5 else 0
            rows.append({
                "cohort": f"{year}-{half}",
                "year": year,
                "trainees_started": started,
                "trainees_completed": completed,
                "found_work": found_work,
                "training_cost_eur": training_cost,
                "overhead_eur": overhead,
                "company_contribution_eur": company,
                "subsidy_eur": SUBSIDY_PER_COHORT[year],
                "foundation_grant_eur": grant,
            })
    return pd.DataFrame(rows)


if __name__ == "__main__":
    print(generate().to_string(index=False))
