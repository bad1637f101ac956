"""The claim follow-up screens: the denial work queue and its action form, correcting / voiding a claim
and billing the secondary payer (from the claim screen), the claim batch to scrub, and 837P / 835 files.
Thin: find the shift (the learner's own, else 404) and its rows inside it, call one service or selector,
render."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from coursesite.people.access import AUTHENTICATED, access

from . import claims_selectors, claims_services
from .billing.claims import DIAGNOSIS_LETTERS, MAX_POINTERS
from .billing.codes import MODIFIERS
from .claims_plans import other_coverage
from .models import ClaimLine
from .services import OfficeActionError
from .views import _fail, _office, _shift

MAX_ERA_BYTES = 200_000


@access(AUTHENTICATED)
def office_denials(request, shift_id: int):
    """The denial work queue: every denied or partly denied line of the shift's posted remittances."""
    shift = _shift(request, shift_id)
    rows = claims_selectors.denial_queue(shift=shift)
    context = {"rows": rows, "open": sum(1 for r in rows if r.work is None)}
    return _office(request, shift, "simulations/denials.html", context)


@access(AUTHENTICATED)
def office_denial_work(request, shift_id: int, claim_id: int, line_id: str, code: str):
    """One denial: what it means, its deadlines, and the action form (appeal letter, write-off reason...)."""
    shift = _shift(request, shift_id)
    group, _, carc = code.partition("-")
    row = claims_selectors.denial_row(shift=shift, claim_id=claim_id, line_id=line_id, group=group, carc=carc)
    if row is None:
        raise Http404("No such denial in this shift.")
    status = 200
    if request.method == "POST":
        try:
            claims_services.denial_work_record(
                shift=shift, claim=row.claim, line_id=line_id, group=group, carc=carc,
                action=request.POST.get("action", ""), reason=request.POST.get("reason", ""),
                documents=request.POST.getlist("documents"), note=request.POST.get("note", ""),
            )  # fmt: skip
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, f"{code} on line {line_id}: done.")
            return redirect("office_denials", shift_id=shift.pk)
    context = {
        "row": row, "actions": claims_selectors.ACTION_CHOICES, "documents": claims_selectors.DOCUMENT_CHOICES,
        "posted": request.POST if request.method == "POST" else {},
        "chosen_documents": request.POST.getlist("documents") if request.method == "POST" else [],
    }  # fmt: skip
    return _office(request, shift, "simulations/denial_work.html", context, status=status)


@require_POST
@access(AUTHENTICATED)
def office_claim_followup(request, shift_id: int, claim_id: int):
    """From the claim screen: start a corrected claim (7, or 1), void it (8), or draft the secondary claim."""
    shift = _shift(request, shift_id)
    claim = claims_selectors.claim_in_shift_or_404(shift=shift, claim_id=claim_id)
    what = request.POST.get("do", "")
    try:
        if what == "correct":
            new = claims_services.claim_correction_start(
                shift=shift, claim=claim, frequency=request.POST.get("frequency", "7")
            )
            messages.success(request, f"Corrected claim {new.number} drafted: fix the boxes, then submit it.")
            return redirect("office_claim_edit", shift_id=shift.pk, claim_id=new.pk)
        if what == "void":
            new = claims_services.claim_void(shift=shift, claim=claim)
            messages.success(request, f"Void {new.number} sent for claim {claim.number}.")
        elif what == "secondary":
            new = claims_services.secondary_claim_create(shift=shift, claim=claim)
            messages.success(request, f"Secondary claim {new.number} drafted with the primary's payment.")
        else:
            raise OfficeActionError("Choose what to do with the claim.")
    except OfficeActionError as exc:
        _fail(request, exc)
        return redirect("office_claim", shift_id=shift.pk, claim_id=claim.pk)
    return redirect("office_claim", shift_id=shift.pk, claim_id=new.pk)


def _correction_data(post, lines: list[ClaimLine]) -> dict:
    return {
        "member_id": post.get("member_id", ""),
        "group_number": post.get("group_number", ""),
        "prior_authorization": post.get("prior_authorization", ""),
        "diagnoses": [post.get(f"dx-{letter}", "") for letter in DIAGNOSIS_LETTERS],
        "lines": {
            line.line_id: {
                "pointers": [p for p in post.get(f"pointers-{line.pk}", "").replace(",", " ").split() if p],
                "modifiers": [m for m in post.get(f"modifiers-{line.pk}", "").replace(",", " ").split() if m],
            }
            for line in lines
        },
    }


@access(AUTHENTICATED)
def office_claim_edit(request, shift_id: int, claim_id: int):
    """Correct the boxes of a draft claim (1a, 11, 21, 23, 24D modifiers, 24E pointers); POST saves them."""
    shift = _shift(request, shift_id)
    claim = claims_selectors.claim_in_shift_or_404(shift=shift, claim_id=claim_id)
    lines = list(ClaimLine.objects.for_shift(shift).filter(claim=claim).order_by("position"))
    status = 200
    if request.method == "POST":
        try:
            claims_services.claim_correct(shift=shift, claim=claim, data=_correction_data(request.POST, lines))
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, "Claim saved; the scrubber has checked it again.")
            return redirect("office_claim", shift_id=shift.pk, claim_id=claim.pk)
    post = request.POST if request.method == "POST" else None
    dx = list(claim.diagnoses) + [""] * (len(DIAGNOSIS_LETTERS) - len(claim.diagnoses))
    context = {
        "claim": claim,
        "member_id": post.get("member_id", "") if post else claim.member_id,
        "group_number": post.get("group_number", "") if post else claim.group_number,
        "prior_authorization": post.get("prior_authorization", "") if post else claim.prior_authorization,
        "diagnoses": [(letter, post.get(f"dx-{letter}", "") if post else dx[i]) for i, letter in enumerate(DIAGNOSIS_LETTERS)],
        "lines": [
            {"line": line,
             "pointers": post.get(f"pointers-{line.pk}", "") if post else " ".join(line.pointers),
             "modifiers": post.get(f"modifiers-{line.pk}", "") if post else " ".join(line.modifiers)}
            for line in lines
        ],
        "max_pointers": MAX_POINTERS, "modifiers": sorted(MODIFIERS.items()),
    }  # fmt: skip
    return _office(request, shift, "simulations/claim_edit.html", context, status=status)


@access(AUTHENTICATED)
def office_claim_837p(request, shift_id: int, claim_id: int):
    """The claim as an X12 837P file (a test interchange, fictional providers), to download."""
    shift = _shift(request, shift_id)
    claim = claims_selectors.claim_in_shift_or_404(shift=shift, claim_id=claim_id)
    try:
        text = claims_selectors.claim_837p(shift=shift, claim=claim)
    except ValueError as exc:
        _fail(request, OfficeActionError(f"The claim cannot be written as an 837P yet: {exc}."))
        return redirect("office_claim", shift_id=shift.pk, claim_id=claim.pk)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{claim.number}-837p.txt"'
    return response


@access(AUTHENTICATED)
def office_remittance_835(request, shift_id: int, claim_id: int):
    """The claim's remittance as the payer's X12 835 file, shown as text (?download=1 to save it)."""
    shift = _shift(request, shift_id)
    claim = claims_selectors.claim_in_shift_or_404(shift=shift, claim_id=claim_id)
    from .billing_selectors import remittance_for_claim

    remittance = remittance_for_claim(shift=shift, claim=claim)
    text = claims_selectors.remittance_835(shift=shift, remittance=remittance)
    if request.GET.get("download"):
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{claim.number}-835.txt"'
        return response
    return _office(request, shift, "simulations/era_view.html", {"claim": claim, "text": text})


@access(AUTHENTICATED)
def office_era_import(request, shift_id: int):
    """Read a pasted or uploaded 835: validate it, match each claim to the shift's, refuse unknown claims
    and duplicates, and post it through the posting service."""
    shift = _shift(request, shift_id)
    status, text = 200, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("text", "")
        try:
            if upload is not None:
                if upload.size > MAX_ERA_BYTES:
                    raise OfficeActionError("The file is too large for an 835 of this office.")
                try:
                    text = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    raise OfficeActionError("The file is not a text (X12) file.") from None
            rows = claims_services.remittance_import(shift=shift, text=text)
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, f"835 read and posted: {', '.join(r.claim.number for r in rows)}.")
            return redirect("office_denials", shift_id=shift.pk)
    return _office(request, shift, "simulations/era_import.html", {"text": text}, status=status)


@access(AUTHENTICATED)
def office_batch(request, shift_id: int):
    """The claim batch waiting to go out (draft claims): mark the defects found on each; POST saves the
    marks of one claim."""
    shift = _shift(request, shift_id)
    status = 200
    if request.method == "POST":
        try:
            claim = claims_selectors.claim_in_shift_or_404(shift=shift, claim_id=int(request.POST.get("claim", 0)))
        except (TypeError, ValueError):
            raise Http404("No such claim.") from None
        try:
            claims_services.defects_mark(shift=shift, claim=claim, defects=request.POST.getlist("defects"))
        except OfficeActionError as exc:
            _fail(request, exc)
            status = 400
        else:
            messages.success(request, f"Defects saved for claim {claim.number}.")
            return redirect("office_batch", shift_id=shift.pk)
    context = {"batch": claims_selectors.claim_batch(shift=shift),
               "catalogue": sorted(claims_selectors.DEFECT_CATALOGUE.items(), key=lambda kv: kv[1])}  # fmt: skip
    return _office(request, shift, "simulations/claim_batch.html", context, status=status)


def claim_panel(*, shift, claim) -> dict:
    """Context for the claim screen's follow-up panel: the history chain, what can be done next, and the
    other-insurance boxes (9, 9a, 9d, 11d)."""
    coverage = other_coverage(shift=shift, patient=claim.patient)
    history = claims_selectors.claim_history(shift=shift, claim=claim, has_other_coverage=coverage is not None)
    return {
        "history": history,
        "other_insurance": claims_selectors.other_insurance_boxes(
            shift=shift, claim=claim, coverage=coverage, history=history
        ),
        # A scrubbing exercise (B4, setup `scrubber_hidden: true`): the trainee finds the defects.
        "scrubber_hidden": bool(shift.variant.get("setup", {}).get("scrubber_hidden")),
    }
