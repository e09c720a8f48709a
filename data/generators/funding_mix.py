"""SYNTHETIC funding mix of five fictional Belgian social enterprises, 2022-2024 (module m05).

The WELFARE national report's focus group names money as the main barrier for social
entrepreneurs: turning a social enterprise into a revenue model, small budgets, and dependence
on subsidies that are temporary and come with conditions (section 5.2.3). The report gives no
revenue figures of real enterprises, so this table is INVENTED for teaching: five fictional
enterprises (names made up; "Klimkracht" is modelled loosely on the Rising You case of module
m04) with their revenue sources per year, each typed as subsidy (government subsidies and
public grants), earned (sales, fees, contracts, including contracts with public bodies for a
service delivered), philanthropy (foundation grants, donations, donation crowdfunding) or
other (membership fees, rent, one-off income). Orders of magnitude are plausible for small
Belgian VZW/ASBLs and cooperatives; the figures are NOT those of any real organisation.

    python data/generate.py funding_mix
"""

import numpy as np
import pandas as pd

SEED = 5_203  # fixed: regenerating gives the identical file
YEARS = (2022, 2023, 2024)

# enterprise: (legal form, region, {source: (type, EUR in 2022, 2023, 2024)}); 0 = no such income
ENTERPRISES = {
    "Klimkracht": ("VZW/ASBL", "Brussels", {
        "company training fees": ("earned", 58_000, 66_000, 76_000),
        "climbing-club membership fees": ("earned", 7_000, 7_500, 8_000),
        "regional employment subsidy": ("subsidy", 70_000, 70_000, 45_000),
        "municipal project grant": ("subsidy", 10_000, 10_000, 10_000),
        "foundation grant": ("philanthropy", 25_000, 15_000, 0),
        "donation crowdfunding campaign": ("philanthropy", 0, 12_000, 0),
    }),
    "Resto Samen": ("VZW/ASBL", "Flanders", {
        "meals sold": ("earned", 175_000, 186_000, 194_000),
        "catering contracts": ("earned", 52_000, 61_000, 70_000),
        "OCMW contract for social-tariff meals": ("earned", 30_000, 30_000, 32_000),
        "Flemish wage subsidy for target-group workers": ("subsidy", 215_000, 210_000, 212_000),
        "donations": ("philanthropy", 6_000, 4_000, 5_000),
    }),
    "Fietsatelier Ringweg": ("cooperative", "Flanders", {
        "bike repairs and sales": ("earned", 142_000, 150_000, 163_000),
        "bike-share maintenance contract": ("earned", 80_000, 90_000, 95_000),
        "Flemish social economy subsidy": ("subsidy", 165_000, 160_000, 158_000),
        "start-up grant (city)": ("subsidy", 25_000, 25_000, 0),
        "cooperative members' fees": ("other", 3_000, 3_000, 3_500),
    }),
    "Zorgcoop Thuis": ("cooperative", "Flanders", {
        "home-care hours paid by clients": ("earned", 400_000, 425_000, 450_000),
        "Flemish home-care subsidy": ("subsidy", 125_000, 122_000, 120_000),
        "cooperative members' fees": ("other", 11_000, 12_000, 12_500),
    }),
    "Maison des Langues": ("VZW/ASBL", "Wallonia", {
        "Walloon integration project subsidy": ("subsidy", 55_000, 55_000, 58_000),
        "foundation grants": ("philanthropy", 38_000, 42_000, 40_000),
        "course fees": ("earned", 8_000, 9_000, 10_000),
        "donations and crowdfunding": ("philanthropy", 7_000, 9_000, 8_000),
        "room rental to other groups": ("other", 4_000, 4_000, 4_500),
    }),
}


def generate() -> pd.DataFrame:
    """One row per enterprise, year and revenue source (EUR per year). Returns a DataFrame."""
    rng = np.random.default_rng(SEED)
    rows = []
    for enterprise, (legal_form, region, sources) in ENTERPRISES.items():
        for i, year in enumerate(YEARS):
            for source, (kind, *amounts) in sources.items():
                if amounts[i] == 0:
                    continue
                # a little noise on what is earned or given; subsidies are fixed amounts
                noise = 1.0 if kind == "subsidy" else rng.normal(1.0, 0.03)
                rows.append({
                    "enterprise": enterprise,
                    "legal_form": legal_form,
                    "region": region,
                    "year": year,
                    "source": source,
                    "source_type": kind,
                    "amount_eur": int(100 * round(amounts[i] * noise / 100)),
                })
    return pd.DataFrame(rows)


if __name__ == "__main__":
    print(generate().to_string(index=False))
