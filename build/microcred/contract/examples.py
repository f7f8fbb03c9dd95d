"""One example value for every field of the two records.

The field reference shows them, `microcred new` writes them, commented out,
for the optional fields, and the validator shows them in the hint of a missing
field. A test checks that every field has an example and
that the examples validate, so neither page nor template can teach a wrong value.
The ESCO URIs use the all-zero UUID on purpose: they show the form, not a real concept.
"""

from __future__ import annotations

ZERO_UUID = "00000000-0000-0000-0000-000000000000"

CREDENTIAL = {
    "title": "Programming industrial controllers (PLC)",
    "description": "A hands-on introduction to programmable logic controllers for maintenance technicians.",
    "url": "https://academy.example.org/courses/plc-basics",
    "registration_url": "https://academy.example.org/courses/plc-basics/enrol",
    "identifiers": [{"scheme": "other", "value": "AT-0042", "note": "Example national register"},
                    {"scheme": "provider", "value": "PLC-101"}],
    "awarding_bodies": [
        {"name": "Example Chamber of Crafts", "country": "DE", "url": "https://chamber.example.org"},
    ],
    "learning_outcomes": [
        "Write, load and test a ladder-logic program for a small machine",
        "Find and fix common wiring faults using the controller's diagnostics",
    ],
    "workload": {"ects": 5, "hours": 135, "note": "40 hours in the workshop, the rest self-study"},
    "level": {"eqf": 4, "nqf": {"country": "DE", "level": "4"}, "qf_ehea": "short-cycle"},
    "assessment": {
        "type": ["practical-demonstration", "written-exam"],
        "description": "A programming task on a training rig and a one-hour written test",
        "supervision": "supervised-with-identity-verification",
    },
    "participation": "blended",
    "learning_setting": "non-formal",
    "quality_assurance": [
        {"type": "external-programme", "body": "Example Accreditation Agency",
         "description": "Programme accredited for five years",
         "url": "https://accreditation.example.org/decisions/1234"},
    ],
    "prerequisites": "Basic knowledge of electrical circuits",
    "stackability": {
        "mode": "stackable",
        "stacks_into": ["acme-academy/industrial-automation"],
        "towards": "Counts as one module of the advanced certificate in automation",
    },
    "field": "0714",
    "sector": "C",
    "languages": ["de", "en"],
    "countries": ["DE", "AT"],
    "locations": [{"city": "Stuttgart", "country": "DE", "region": "DE11"}],
    "cost": {"amount": 450, "currency": "EUR", "note": "Reduced fee for members of the chamber"},
    "duration": {"value": 6, "unit": "week", "note": "Two workshop weekends"},
    "start_dates": ["2026-09-01", "2027-02-01"],
    "self_paced": False,
    "skills": [{"label": "program PLCs", "uri": f"http://data.europa.eu/esco/skill/{ZERO_UUID}"}],
    "occupations": [{"label": "automation technician",
                     "uri": f"http://data.europa.eu/esco/occupation/{ZERO_UUID}"}],
    "recognition": {
        "nqf_included": False,
        "recognised_by": [{"name": "Example University of Applied Sciences",
                           "url": "https://university.example.org",
                           "description": "Counted as 5 ECTS towards its bachelor in mechatronics"}],
        "note": "Recognition elsewhere is decided case by case",
    },
    "status": "active",
    "valid_from": "2026-01-01",
    "last_reviewed": "2026-01-15",
    "review_by": "2027-01-15",
    "withdrawn_on": "2027-06-30",  # only with status: withdrawn
    "status_note": "Replaced by acme-academy/plc-advanced from 2027",
    "previous_ids": ["acme-academy/plc-intro"],
    "keywords": ["SPS", "automation"],
}

PROVIDER = {
    "name": "Acme Academy",
    "short_name": "Acme",
    "country": "DE",
    "region": "DE11",
    "type": "vet",
    "website": "https://academy.example.org",
    "description": "Vocational training centre for industrial trades",
    "quality_assurance": [
        {"type": "certification", "body": "Example Certification Body",
         "description": "ISO 21001 certified since 2021",
         "url": "https://certification.example.org/acme"},
    ],
    "contact_email": "courses@academy.example.org",
    "maintainers": ["jane-doe", "acme-bot"],
    "illustrative": True,
}

EXAMPLES = {"credential": CREDENTIAL, "provider": PROVIDER}
