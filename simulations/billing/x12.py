"""X12 export of a claim (837P 005010X222A1) and the 835 (005010X221A1) in both directions.

Only segment *structure* comes from the X12 standard (as encoded in pyx12's BSD-licensed maps);
no implementation-guide text is reproduced. Every file is a test file (ISA15 = T) and carries a
note that the providers and NPIs are fictional: a Luhn-valid NPI may coincide with a real one.

Rules the 837P follows (task B3): ICD-10-CM diagnoses in HI with ABK (principal) and ABF
(others), never the ICD-9 BK; procedures as ``SV1*HC:<code>``; at most four diagnosis pointers
per line (SV107); CLM02 = sum of the SV102 charges; CLM05-3 = frequency code; REF*F8 carries
the original claim reference of a replacement (7) or void (8); REF*G1 the prior authorization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from .claims import DIAGNOSIS_LETTERS, MAX_POINTERS, Claim, Frequency, Person, Relationship
from .codes import GroupCode, icd10_x12
from .money import ZERO, money
from .remittance import Cas, ClaimStatus, RemitClaim, RemitLine, Remittance

ELEMENT, COMPONENT, REPETITION, TERMINATOR = "*", ":", "^", "~"
SIMULATION_NOTE = "SIMULATED TRAINING DATA. FICTIONAL PROVIDERS AND NPIS"


class X12Error(ValueError):
    """A claim that cannot be exported, or an 835 this parser does not understand."""


@dataclass(frozen=True, kw_only=True)
class Envelope:
    """Interchange and group envelope details (ISA/GS)."""

    sender_id: str
    receiver_id: str
    control_number: int  # ISA13 / GS06 / ST02
    created_at: datetime  # given explicitly so the same input always yields the same file
    contact_name: str = "BILLING OFFICE"
    contact_phone: str = "5555550100"


def _amount(value: Decimal) -> str:
    """X12 decimal: no trailing zeros, no trailing point (150.00 -> 150, 12.50 -> 12.5)."""
    text = format(money(value), "f").rstrip("0").rstrip(".")
    return text or "0"


def _d8(day: date) -> str:
    return day.strftime("%Y%m%d")


def _clean(text: str) -> str:
    """Remove delimiter characters from free text and upper-case it."""
    for char in (ELEMENT, COMPONENT, REPETITION, TERMINATOR):
        text = text.replace(char, " ")
    return " ".join(text.upper().split())


def _segment(*elements: str) -> str:
    parts = list(elements)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()  # trailing empty elements are dropped
    return ELEMENT.join(parts) + TERMINATOR


def _isa(envelope: Envelope, functional_id: str, version: str) -> tuple[list[str], list[str]]:
    at = envelope.created_at
    control = f"{envelope.control_number:09d}"
    isa = _segment(
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", f"{envelope.sender_id:<15}"[:15], "ZZ",
        f"{envelope.receiver_id:<15}"[:15], at.strftime("%y%m%d"), at.strftime("%H%M"), REPETITION, "00501",
        control, "0", "T", COMPONENT,
    )  # fmt: skip
    gs = _segment(
        "GS", functional_id, envelope.sender_id, envelope.receiver_id, at.strftime("%Y%m%d"), at.strftime("%H%M"),
        str(envelope.control_number), "X", version,
    )  # fmt: skip
    trailer = [_segment("GE", "1", str(envelope.control_number)), _segment("IEA", "1", control)]
    return [isa, gs], trailer


def _wrap(envelope: Envelope, functional_id: str, version: str, transaction: str, body: list[str]) -> str:
    header, trailer = _isa(envelope, functional_id, version)
    st_control = f"{envelope.control_number % 10000:04d}"
    st = _segment("ST", transaction, st_control, version) if transaction == "837" else _segment("ST", "835", st_control)
    se = _segment("SE", str(len(body) + 2), st_control)
    return "\n".join([*header, st, *body, se, *trailer]) + "\n"


def _person_segments(entity: str, person: Person, *, id_qualifier: str = "", identifier: str = "") -> list[str]:
    address = person.address
    return [
        _segment(
            "NM1",
            entity,
            "1",
            _clean(person.last_name),
            _clean(person.first_name),
            "",
            "",
            "",
            id_qualifier,
            identifier,
        ),
        _segment("N3", _clean(address.line1)),
        _segment("N4", _clean(address.city), address.state, address.zip_code),
        _segment("DMG", "D8", _d8(person.birth_date), str(person.sex)),
    ]


@dataclass(frozen=True, kw_only=True)
class OtherPayer:
    """The primary payer's adjudication, carried by a secondary claim (loops 2320/2330 and 2430)."""

    payer_name: str
    payer_id: str
    member_id: str
    group_number: str
    adjudicated_on: date
    lines: dict[str, tuple[Decimal, tuple[Cas, ...]]]  # line reference -> (paid, CAS adjustments)

    @property
    def paid(self) -> Decimal:
        return sum((paid for paid, _ in self.lines.values()), ZERO)


def _cas_segments(adjustments: tuple[Cas, ...] | list[Cas]) -> list[str]:
    out = []
    for group in GroupCode:
        triplets = [a for a in adjustments if a.group is group]
        for start in range(0, len(triplets), 6):  # a CAS segment holds at most six reasons
            chunk = triplets[start : start + 6]
            out.append(_segment("CAS", str(group), *[f for a in chunk for f in (a.carc, _amount(a.amount), "")]))
    return out


def claim_to_837p(claim: Claim, *, envelope: Envelope, other_payer: OtherPayer | None = None) -> str:
    """The claim as an 837P 005010X222A1 interchange (one billing provider, one claim).

    With ``other_payer`` the claim goes to a secondary payer (SBR01 = S) and carries the primary's
    adjudication: 2320 (SBR, AMT*D paid, OI), 2330A/B (other subscriber and payer), and per line 2430
    (SVD paid, CAS adjustments, DTP*573 adjudication date)."""
    if not claim.lines:
        raise X12Error("a claim needs at least one service line")
    if not 1 <= len(claim.diagnoses) <= len(DIAGNOSIS_LETTERS):
        raise X12Error("an 837P claim carries 1 to 12 diagnoses")
    if claim.frequency is not Frequency.ORIGINAL and not claim.original_claim_ref:
        raise X12Error("a replacement or void needs the original claim reference (REF*F8)")
    billing = claim.billing_provider
    is_self = claim.relationship is Relationship.SELF
    body = [
        _segment(
            "BHT",
            "0019",
            "00",
            _clean(claim.claim_id),
            envelope.created_at.strftime("%Y%m%d"),
            envelope.created_at.strftime("%H%M"),
            "CH",
        ),
        _segment("NM1", "41", "2", _clean(billing.name), "", "", "", "", "46", envelope.sender_id),
        _segment("PER", "IC", _clean(envelope.contact_name), "TE", envelope.contact_phone),
        _segment("NM1", "40", "2", _clean(claim.payer_name), "", "", "", "", "46", envelope.receiver_id),
        _segment("HL", "1", "", "20", "1"),
        _segment("NM1", "85", "2", _clean(billing.name), "", "", "", "", "XX", billing.npi),
        _segment("N3", _clean(billing.address.line1)),
        _segment("N4", _clean(billing.address.city), billing.address.state, billing.address.zip_code),
        _segment("REF", "EI", billing.tax_id),
        _segment("HL", "2", "1", "22", "0" if is_self else "1"),
        _segment(
            "SBR",
            "S" if other_payer else "P",
            "18" if is_self else "",
            _clean(claim.group_number),
            "",
            "",
            "",
            "",
            "",
            "CI",
        ),  # fmt: skip
        *_person_segments("IL", claim.insured, id_qualifier="MI", identifier=claim.member_id)[: 4 if is_self else 3],
        _segment("NM1", "PR", "2", _clean(claim.payer_name), "", "", "", "", "PI", claim.payer_id),
    ]
    if not is_self:
        body += [_segment("HL", "3", "2", "23", "0"), _segment("PAT", str(claim.relationship))]
        body += _person_segments("QC", claim.patient)
    place = claim.lines[0].place_of_service
    body.append(
        _segment(
            "CLM",
            _clean(claim.claim_id),
            _amount(claim.total_charge),
            "",
            "",
            COMPONENT.join([place, "B", str(claim.frequency)]),
            "Y",
            "A" if claim.accept_assignment else "C",
            "Y",
            "Y" if claim.signature_on_file else "N",
        )  # fmt: skip
    )
    if claim.prior_authorization:
        body.append(_segment("REF", "G1", _clean(claim.prior_authorization)))
    if claim.frequency is not Frequency.ORIGINAL:
        body.append(_segment("REF", "F8", _clean(claim.original_claim_ref)))
    body.append(_segment("NTE", "ADD", SIMULATION_NOTE))
    qualifiers = ["ABK"] + ["ABF"] * (len(claim.diagnoses) - 1)
    body.append(
        _segment("HI", *(f"{q}{COMPONENT}{icd10_x12(dx)}" for q, dx in zip(qualifiers, claim.diagnoses, strict=True)))
    )
    rendering = claim.rendering_provider
    if rendering is not None and rendering.npi != billing.npi:
        body.append(
            _segment(
                "NM1", "82", "1", _clean(rendering.name), _clean(rendering.first_name), "", "", "", "XX", rendering.npi
            )
        )
    if other_payer is not None:
        missing = [line.line_id for line in claim.lines if line.line_id not in other_payer.lines]
        if missing:
            raise X12Error(f"the primary's remittance has no line {', '.join(missing)}")
        body += [
            _segment("SBR", "P", str(claim.relationship), _clean(other_payer.group_number), "", "", "", "", "", "CI"),
            _segment("AMT", "D", _amount(other_payer.paid)),
            _segment("OI", "", "", "Y", "", "", "Y"),
            _segment(
                "NM1",
                "IL",
                "1",
                _clean(claim.insured.last_name),
                _clean(claim.insured.first_name),
                "",
                "",
                "",
                "MI",
                _clean(other_payer.member_id),
            ),  # fmt: skip
            _segment("NM1", "PR", "2", _clean(other_payer.payer_name), "", "", "", "", "PI", other_payer.payer_id),
        ]
    for number, line in enumerate(claim.lines, 1):
        if not 1 <= len(line.pointers) <= MAX_POINTERS:
            raise X12Error(f"line {line.line_id}: 1 to 4 diagnosis pointers")
        pointers = []
        for letter in line.pointers:
            index = DIAGNOSIS_LETTERS.find(letter)
            if not 0 <= index < len(claim.diagnoses):
                raise X12Error(f"line {line.line_id}: pointer {letter} points to no diagnosis")
            pointers.append(str(index + 1))
        procedure = COMPONENT.join(["HC", line.code, *line.modifiers])
        body += [
            _segment("LX", str(number)),
            _segment(
                "SV1",
                procedure,
                _amount(line.charge),
                "UN",
                str(line.units),
                line.place_of_service if line.place_of_service != place else "",
                "",
                COMPONENT.join(pointers),
            ),  # fmt: skip
            _segment("DTP", "472", "D8", _d8(line.service_date)),
            _segment("REF", "6R", _clean(line.line_id)),
        ]
        if other_payer is not None:
            paid, adjustments = other_payer.lines[line.line_id]
            body.append(_segment("SVD", other_payer.payer_id, _amount(paid), procedure, "", str(line.units)))
            body += _cas_segments(adjustments)
            body.append(_segment("DTP", "573", "D8", _d8(other_payer.adjudicated_on)))
    return _wrap(envelope, "HC", "005010X222A1", "837", body)


# ---------------------------------------------------------------- 835 out


@dataclass(frozen=True, kw_only=True)
class PayerDetails:
    """What an 835 says about the paying payer beyond the remittance itself."""

    tax_id: str  # 9 digits; TRN03 is "1" + tax ID
    address: str
    city: str
    state: str
    zip_code: str
    contact_name: str = "PROVIDER SERVICES"
    contact_phone: str = "5555550199"


def remittance_to_835(remittance: Remittance, *, envelope: Envelope, payer: PayerDetails) -> str:
    """The remittance as an 835 005010X221A1 interchange (BPR16 and PER*BL included)."""
    total = remittance.total_paid
    paid_on = _d8(remittance.paid_on)
    if remittance.method == "ACH" and total > 0:
        bpr = _segment(
            "BPR", "I", _amount(total), "C", "ACH", "CCP", "01", "999999992", "DA", "123456789", f"1{payer.tax_id}", "",
            "01", "999988880", "DA", "98765432", paid_on,
        )  # fmt: skip
    elif remittance.method == "CHK" and total > 0:
        bpr = _segment("BPR", "C", _amount(total), "C", "CHK", *[""] * 11, paid_on)
    else:
        bpr = _segment("BPR", "H", "0", "C", "NON", *[""] * 11, paid_on)
    body = [
        bpr,
        _segment("TRN", "1", _clean(remittance.trace_number), f"1{payer.tax_id}"),
        _segment("N1", "PR", _clean(remittance.payer_name)),
        _segment("N3", _clean(payer.address)),
        _segment("N4", _clean(payer.city), payer.state, payer.zip_code),
        _segment("REF", "2U", _clean(remittance.payer_id)),
        _segment("PER", "BL", _clean(payer.contact_name), "TE", payer.contact_phone),
        _segment("N1", "PE", _clean(remittance.payee_name), "XX", remittance.payee_npi),
        _segment("LX", "1"),
    ]
    for claim in remittance.claims:
        pr = claim.patient_responsibility
        body += [
            _segment(
                "CLP",
                _clean(claim.claim_id),
                str(claim.status),
                _amount(claim.charge),
                _amount(claim.paid),
                _amount(pr) if pr else "",
                "12",
                _clean(claim.payer_claim_number),
                "11",
                claim.frequency,
            ),  # fmt: skip
            _segment(
                "NM1",
                "QC",
                "1",
                _clean(claim.patient_last_name),
                _clean(claim.patient_first_name),
                "",
                "",
                "",
                "MI" if claim.member_id else "",
                claim.member_id,
            ),  # fmt: skip
        ]
        for line in claim.lines:
            body += [
                _segment(
                    "SVC",
                    COMPONENT.join(["HC", line.code, *line.modifiers]),
                    _amount(line.charge),
                    _amount(line.paid),
                    "",
                    str(line.units),
                ),
                _segment("DTM", "472", _d8(line.service_date)),
            ]
            for group in GroupCode:
                triplets = [a for a in line.adjustments if a.group is group]
                for start in range(0, len(triplets), 6):  # a CAS segment holds at most six reasons
                    chunk = triplets[start : start + 6]
                    body.append(
                        _segment("CAS", str(group), *[f for a in chunk for f in (a.carc, _amount(a.amount), "")])
                    )
            body += [_segment("REF", "6R", _clean(line.line_id)), _segment("AMT", "B6", _amount(line.allowed))]
    return _wrap(envelope, "HP", "005010X221A1", "835", body)


# ---------------------------------------------------------------- 835 in


def _split(text: str) -> tuple[list[list[str]], str]:
    text = text.lstrip()
    if not text.startswith("ISA") or len(text) < 106:
        raise X12Error("not an X12 interchange: it must start with a 106-character ISA segment")
    element, component, terminator = text[3], text[104], text[105]
    segments = [s.strip() for s in text.split(terminator) if s.strip()]
    return [s.split(element) for s in segments], component


def _get(seg: list[str], index: int) -> str:
    return seg[index] if len(seg) > index else ""


def _parse_d8(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date, no time zone
    except ValueError:
        raise X12Error(f"{value!r} is not a CCYYMMDD date") from None


def _decimal(value: str) -> Decimal:
    try:
        return money(value or "0")
    except ValueError:
        raise X12Error(f"{value!r} is not an amount") from None


def parse_835(text: str) -> Remittance:
    """Read an 835 005010X221A1 interchange (one transaction) into a :class:`Remittance`."""
    segments, component = _split(text)
    header: dict[str, str] = {}
    claims: list[dict] = []
    line: dict | None = None
    for seg in segments:
        tag = seg[0]
        if tag == "ST" and _get(seg, 1) != "835":
            raise X12Error(f"transaction {_get(seg, 1)} is not an 835")
        if tag == "BPR":
            header["method"], header["paid_on"] = _get(seg, 4), _get(seg, 16)
        elif tag == "TRN":
            header["trace"] = _get(seg, 2)
        elif tag == "N1" and _get(seg, 1) == "PR":
            header["payer_name"] = _get(seg, 2)
        elif tag == "REF" and _get(seg, 1) == "2U" and not claims:
            header["payer_id"] = _get(seg, 2)
        elif tag == "N1" and _get(seg, 1) == "PE":
            header["payee_name"], header["payee_npi"] = _get(seg, 2), _get(seg, 4)
        elif tag == "CLP":
            line = None
            claims.append({"clp": seg, "patient": ("", "", ""), "lines": []})
        elif tag == "NM1" and _get(seg, 1) == "QC" and claims:
            claims[-1]["patient"] = (_get(seg, 3), _get(seg, 4), _get(seg, 9))
        elif tag == "SVC":
            if not claims:
                raise X12Error("SVC before any CLP")
            parts = _get(seg, 1).split(component)
            line = {
                "svc": seg,
                "code": _get(parts, 1),
                "modifiers": tuple(p for p in parts[2:] if p),
                "cas": [],
                "dtm": "",
                "ref": "",
                "allowed": None,
            }
            claims[-1]["lines"].append(line)
        elif tag == "CAS":
            if line is None:
                raise X12Error("claim-level CAS adjustments are not supported by this simulation; use line-level CAS")
            for index in range(2, len(seg), 3):
                if _get(seg, index):
                    line["cas"].append(Cas(GroupCode(_get(seg, 1)), _get(seg, index), _decimal(_get(seg, index + 1))))
        elif tag == "DTM" and _get(seg, 1) == "472" and line is not None:
            line["dtm"] = _get(seg, 2)
        elif tag == "REF" and _get(seg, 1) == "6R" and line is not None:
            line["ref"] = _get(seg, 2)
        elif tag == "AMT" and _get(seg, 1) == "B6" and line is not None:
            line["allowed"] = _decimal(_get(seg, 2))
    if "paid_on" not in header:
        raise X12Error("no BPR segment (or BPR16 date) in the 835")
    return Remittance(
        payer_id=header.get("payer_id", ""),
        payer_name=header.get("payer_name", ""),
        payee_name=header.get("payee_name", ""),
        payee_npi=header.get("payee_npi", ""),
        trace_number=header.get("trace", ""),
        paid_on=_parse_d8(header["paid_on"]),
        method=header.get("method", ""),
        claims=tuple(_remit_claim(c) for c in claims),
    )


def _remit_claim(raw: dict) -> RemitClaim:
    clp = raw["clp"]
    lines = []
    for index, ln in enumerate(raw["lines"], 1):
        charge, paid = _decimal(_get(ln["svc"], 2)), _decimal(_get(ln["svc"], 3))
        pr = sum((a.amount for a in ln["cas"] if a.group is GroupCode.PR), ZERO)
        if not ln["dtm"]:
            raise X12Error(f"claim {_get(clp, 1)} line {index}: no service date (DTM*472)")
        lines.append(
            RemitLine(
                line_id=ln["ref"] or str(index),
                service_date=_parse_d8(ln["dtm"]),
                code=ln["code"],
                modifiers=ln["modifiers"],
                units=int(_get(ln["svc"], 5) or 1),
                charge=charge,
                paid=paid,
                allowed=ln["allowed"] if ln["allowed"] is not None else paid + pr,
                adjustments=tuple(ln["cas"]),
            )
        )
    last, first, member = raw["patient"]
    try:
        status = ClaimStatus(_get(clp, 2))
    except ValueError:
        raise X12Error(f"claim status {_get(clp, 2)!r} is not one this simulation handles") from None
    return RemitClaim(
        claim_id=_get(clp, 1),
        payer_claim_number=_get(clp, 7),
        status=status,
        member_id=member,
        patient_last_name=last,
        patient_first_name=first,
        lines=tuple(lines),
        frequency=_get(clp, 9) or "1",
    )
