"""Write the records-desk shifts (content/scenarios/h*.yaml) from the HIPAA request scenario bank.

Each shift names bank cases as its variants (`case: row05-.../variant`); the request, documents and
record sections are built from the bank when the shift starts, and the grader asks the rules module for
the answer, so nothing here repeats the bank's expectations. Run from the repository root:

    .venv/bin/python scripts/generate_records_scenarios.py

Deterministic; the files are committed. Edit SHIFTS and rerun rather than editing the files by hand.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# key, title, task ids, rule (the scenario-level citation), brief, bank cases (variants)
SHIFTS = [
    (
        "h01-patient-access",
        "Records desk: a patient asks for a copy of her records",
        ["H3"],
        "45 CFR 164.524(b)(2), (c)(2), (c)(4); 164.514(h)(1)",
        "A patient wants a copy of her record. Verify who is asking, decide, and if you accept the request "
        "compute the deadline and the cost-based fee for the form of copy chosen.",
        ["row01-access-copy", "row01-access-copy/other-patient-year-end", "row01-access-copy/only-name-confirmed"],
    ),
    (
        "h02-parent-of-minor",
        "Records desk: a parent asks about a child",
        ["H3"],
        "45 CFR 164.502(g)(3); 164.514(h)(1)",
        "A parent asks for a child's record. Verify the caller and their authority (custody documents when the "
        "chart says so), and check whether the child consented to the service alone, before anything is released.",
        [
            "row06-parent-visit-summary",
            "row06-parent-visit-summary/custody-flag-no-documents",
            "row05-minor-consented-service",
            "row05-minor-consented-service/ordinary-visit",
            "row06-parent-visit-summary/not-on-file",
        ],
    ),
    (
        "h03-personal-representative",
        "Records desk: a health-care agent, guardian or executor asks",
        ["H3"],
        "45 CFR 164.502(g)(2), (g)(4); 164.514(h)(1)",
        "Someone says they act for the patient: a health-care agent, a guardian, or the executor of a patient "
        "who has died. A personal representative is treated as the patient, within the scope of their "
        "authority, once the document is on file.",
        [
            "row07-health-care-agent",
            "row07-health-care-agent/guardian-access-copy",
            "row07-health-care-agent/poa-not-on-file",
            "row26-executor",
            "row26-executor/letters-not-on-file",
        ],
    ),
    (
        "h04-spouse",
        "Records desk: a spouse asks for results",
        ["H3"],
        "45 CFR 164.510(b)(1)-(3)",
        "A husband asks for his wife's results. Check whether the patient agreed or is here to agree; without "
        "that, nothing is shared.",
        [
            "row10-spouse-with-patient/spouse-alone",
            "row10-spouse-with-patient",
            "row10-spouse-with-patient/other-couple",
        ],
    ),
    (
        "h05-relative-authorization",
        "Records desk: a relative with an authorization on file",
        ["H3"],
        "45 CFR 164.508(a)(1), (b)(2), (c); 164.510(b)",
        "An adult daughter asks for her father's results. Read any authorization on file element by element: "
        "an expired or unsigned form authorizes nothing.",
        [
            "row09-daughter-asks-results/authorization-on-file",
            "row09-daughter-asks-results/authorization-expired",
            "row09-daughter-asks-results/authorization-not-signed",
            "row09-daughter-asks-results/listed-contact",
        ],
    ),
    (
        "h06-provider-treatment",
        "Records desk: another provider's office, for treatment",
        ["H3"],
        "45 CFR 164.506(c)(2); 164.502(b)(2)(i); 164.514(h)(1)",
        "Another practice asks for records to treat the patient tomorrow. Verify the office (a call back to the "
        "number on file, or a fax from a known number) before sending.",
        ["row15-provider-treatment", "row15-provider-treatment/fax-request", "row15-provider-treatment/not-verified"],
    ),
    (
        "h07-payer-minimum-necessary",
        "Records desk: an insurer asks for notes to pay a claim",
        ["H5"],
        "45 CFR 164.506(c)(1); 164.502(b); 164.514(d)",
        "A payer asks for the notes of one date of service. Verify the payer and release only what the claim needs.",
        ["row14-payer-records", "row14-payer-records/fax-from-known-number", "row14-payer-records/no-call-back"],
    ),
    (
        "h08-employer-marketer",
        "Records desk: an employer or a marketer asks",
        ["H3"],
        "45 CFR 164.508(a)(1), (a)(3); 164.502(a)",
        "A business asks about a patient. No rule permits this without the patient's valid authorization.",
        ["row16-employer", "row16-employer/return-to-work-authorization", "row16-employer/marketer"],
    ),
    (
        "h09-subpoena-police",
        "Records desk: a subpoena or a police officer",
        ["H3"],
        "45 CFR 164.512(e)(1), (f)(1)-(2); 164.514(h)(2)",
        "Legal process arrives at the desk. A subpoena without a judge's signature or satisfactory assurances, "
        "or a request without a warrant, goes to the privacy officer, not out of the door.",
        [
            "row18-subpoena-not-signed",
            "row18-subpoena-not-signed/patient-authorized",
            "row19-police-no-warrant",
            "row19-police-no-warrant/phone-unverified",
        ],
    ),
    (
        "h10-school-workers-comp",
        "Records desk: a school or a workers' compensation carrier",
        ["H3"],
        "45 CFR 164.512(b)(1)(vi), (l); 164.502(b)",
        "A third party with a special permission asks: a school that needs proof of immunization, or a "
        "workers' compensation carrier. Check the permission's conditions, release only what it covers, and log "
        "the disclosure.",
        [
            "row30-school-immunization",
            "row30-school-immunization/no-parent-agreement",
            "row27-workers-comp",
            "row27-workers-comp/unknown-number",
        ],
    ),
    (
        "h11-part2-records",
        "Records desk: substance-use-disorder program records",
        ["H3"],
        "42 CFR 2.31, 2.32, 2.33",
        "Another clinic asks for records of the practice's substance-use-disorder program. Part 2 records go "
        "out only under the patient's Part 2 consent, with the notice against redisclosure.",
        ["row28-part2-tpo-consent", "row28-part2-tpo-consent/consent-revoked", "row28-part2-tpo-consent/no-consent"],
    ),
    (
        "h12-accounting-amendment",
        "Records desk: an accounting or an amendment request",
        ["H6", "C7"],
        "45 CFR 164.526(b)(2); 164.528(a), (c)",
        "A patient asks who has been given her records, or asks to change her record. Accept and log the "
        "request, route it where it goes, and compute the deadline. Never change the record yourself.",
        ["row22-accounting", "row22-accounting/by-mail-other-date", "row23-amendment", "row23-amendment/by-phone"],
    ),
]

CHECKS = [
    {
        "id": "decision",
        "kind": "E",
        "check": "records_decision",
        "weight": 4,
        "pass": "The decision is the one the rules require.",
        "fail": "The decision is not the one the rules require; read the rule quoted below.",
    },
    {
        "id": "steps",
        "kind": "P",
        "check": "records_steps",
        "weight": 4,
        "pass": "Every required step was taken, in order (verification before any disclosure).",
        "fail": "A required step is missing or came too late; verify identity and authority and check what is on "
        "file before deciding.",
    },
    {
        "id": "scope",
        "kind": "E",
        "check": "records_released_within_scope",
        "weight": 2,
        "pass": "Nothing was released beyond what is permitted.",
        "fail": "More was released than the requester may have (minimum necessary, or no release at all).",
    },
    {
        "id": "deadline",
        "kind": "C",
        "check": "records_deadline",
        "weight": 1,
        "pass": "The deadline is right (access 30 days; amendment and accounting 60 days).",
        "fail": "The deadline is wrong: access 30 days (164.524(b)(2)); amendment 60 (164.526(b)(2)); "
        "accounting 60 (164.528(c)(1)), counted from receipt.",
    },
    {
        "id": "fee",
        "kind": "C",
        "check": "records_fee",
        "weight": 1,
        "pass": "The copy fee is the office's reasonable cost-based fee (or none applies).",
        "fail": "The copy fee is not the office's cost-based fee: labour and supplies per page, postage if "
        "mailed, or the flat fee for an electronic copy; nothing for searching or retrieving.",
    },
    {
        "id": "disclosure-log",
        "kind": "P",
        "check": "records_disclosure_logged",
        "weight": 1,
        "pass": "The accounting of disclosures log is right: a release is logged when it must be, and nothing is logged as accountable when it is not.",
        "fail": "The accounting of disclosures log is wrong: log accountable and authorized disclosures; do not log "
        "treatment, payment, operations or the patient's own access as accountable.",
    },
    {
        "id": "phi-to-unentitled",
        "kind": "X",
        "check": "records_no_unentitled_disclosure",
        "weight": 0,
        "pass": "No PHI went to anyone not entitled to it.",
        "fail": "Critical: PHI went to someone not entitled to it (or before their identity was verified).",
    },
]
CHECK_RULES = {
    "decision": None, "steps": "45 CFR 164.514(h)(1); 164.530(i)", "scope": "45 CFR 164.502(b); 164.514(d)",
    "deadline": "45 CFR 164.524(b)(2); 164.526(b)(2); 164.528(c)(1)", "fee": "45 CFR 164.524(c)(4)",
    "disclosure-log": "45 CFR 164.528(a)-(b)", "phi-to-unentitled": "45 CFR 164.502(a); 164.514(h)(1)",
}  # fmt: skip


def main() -> None:
    for key, title, tasks, rule, brief, cases in SHIFTS:
        data = {
            "key": key,
            "title": title,
            "task_ids": tasks,
            "today": "2026-03-10 09:00",
            "brief": brief + " Open the Records desk, work the request, then submit the shift.",
            "variants": [{"case": case} for case in cases],
            "setup": {"records": {"case": "{case}"}},
            "inbox": [
                {
                    "kind": "message",
                    "title": "A records request is waiting at the records desk",
                    "text": "Open the Records desk to read the request, the documents and what is on file.",
                }
            ],
            "checks": [{**c, "rule": CHECK_RULES[c["id"]] or rule} for c in CHECKS],
        }
        header = "# Generated by scripts/generate_records_scenarios.py from content/privacy/scenarios.yaml.\n"
        text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)
        (ROOT / "content" / "scenarios" / f"{key}.yaml").write_text(text)


if __name__ == "__main__":
    main()
