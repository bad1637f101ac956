from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from coursesite.audit.services import client_ip
from coursesite.people.access import AUTHENTICATED, PUBLIC, SUPERVISOR, access
from coursesite.people.selectors import cohort_for_supervisor

from . import selectors, services
from .forms import ReissueForm, RevokeForm, RuleExceptionForm, SignOffForm, VerifyForm


@access(AUTHENTICATED)
def my_certificates(request):
    return render(
        request, "certificates/my_certificates.html", {"certificates": selectors.certificates_for_learner(request.user)}
    )


@access(AUTHENTICATED)
def certificate_download(request, certificate_id: int):
    certificate = selectors.certificate_for_learner(request.user, certificate_id)
    if not certificate.pdf:
        from .rendering import RenderError, certificate_pdf_bytes

        # The background render has not run yet (or failed): render now (≈0.25 s), within the time limit,
        # and keep the file for next time.
        try:
            content = certificate_pdf_bytes(certificate)
        except RenderError as error:
            services.certificate_pdf_failed(certificate=certificate, error=str(error))
            messages.error(
                request,
                "We could not produce your certificate PDF just now. Try again in a few minutes; if it keeps "
                "failing, contact your supervisor. Your certificate itself is valid and can be verified.",
            )
            return redirect("my_certificates")
        certificate = services.certificate_pdf_store(certificate=certificate, content=content)
    filename = f"certificate-{slugify(certificate.course_title)[:60] or 'course'}-{certificate.code}.pdf"
    return FileResponse(
        certificate.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


@access(AUTHENTICATED)
def certificate_badge(request, certificate_id: int):
    """The learner's certificate as a signed Open Badges 3.0 credential (VC-JWT) to import into a wallet."""
    from .badges import credential_jwt

    certificate = selectors.certificate_for_learner(request.user, certificate_id)
    response = HttpResponse(credential_jwt(certificate), content_type="application/jwt")
    filename = f"badge-{slugify(certificate.course_title)[:60] or 'course'}-{certificate.code}.jwt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(PUBLIC)
def badge_issuer(request):
    """The issuer profile, with the public key that verifies our credentials."""
    from .badges import issuer_profile

    return JsonResponse(issuer_profile(), json_dumps_params={"indent": 2})


def _rate_limited(request: HttpRequest) -> bool:
    """At most VERIFY_RATE_LIMIT_PER_MINUTE lookups per IP per minute, counted in the shared cache."""
    window = int(timezone.now().timestamp() // 60)
    key = f"certificates:verify:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return count > settings.VERIFY_RATE_LIMIT_PER_MINUTE


@access(PUBLIC)
def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("certificate_verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form}, status=400 if form.errors else 200)


@access(PUBLIC)
def certificate_verify(request, code: str):
    if _rate_limited(request):
        response = render(request, "certificates/verify_rate_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    certificate = selectors.certificate_by_code(code)
    context = {"certificate": certificate, "code": code[:40], "form": VerifyForm()}
    return render(request, "certificates/verify_result.html", context, status=200 if certificate else 404)


def _cohort_page(request, cohort, *, status: int = 200, **forms):
    trainees = selectors.cohort_trainees(cohort)
    courses = list(selectors.live_courses())
    context = {
        "cohort": cohort,
        "certificates": selectors.cohort_certificates(cohort),
        **selectors.cohort_decisions(cohort),
        "sign_off_form": forms.get("sign_off_form") or SignOffForm(trainees=trainees, courses=courses),
        "exception_form": forms.get("exception_form")
        or RuleExceptionForm(trainees=trainees, course_steps=selectors.live_course_steps()),
        "revoke_errors": forms.get("revoke_errors"),
        "now": timezone.now(),
    }
    return render(request, "certificates/cohort_certificates.html", context, status=status)


@access(SUPERVISOR)
def cohort_certificates(request, cohort_id: int):
    return _cohort_page(request, cohort_for_supervisor(request.user, cohort_id))


@access(SUPERVISOR)
def cohort_certificates_zip(request, cohort_id: int):
    """Every current certificate PDF of the cohort in one ZIP; missing PDFs are queued first."""
    from .tasks import certificate_render_task

    cohort = cohort_for_supervisor(request.user, cohort_id)
    certificates = selectors.cohort_current_certificates(cohort)
    if not certificates:
        messages.info(request, "There are no current certificates to download yet.")
        return redirect("cohort_certificates", cohort_id=cohort.pk)
    missing = [c for c in certificates if not c.pdf]
    if missing:
        for certificate in missing:
            certificate_render_task.enqueue(certificate_id=certificate.pk)
        messages.info(
            request, f"{len(missing)} certificate PDF(s) are being prepared. Try the download again in a minute."
        )
        return redirect("cohort_certificates", cohort_id=cohort.pk)
    archive = services.certificates_zip(certificates=certificates, actor=request.user, cohort=cohort, request=request)
    filename = f"certificates-{slugify(cohort.name)[:60] or 'cohort'}-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=filename, content_type="application/zip")


@require_POST
@access(SUPERVISOR)
def certificate_revoke(request, cohort_id: int, certificate_id: int):
    cohort = cohort_for_supervisor(request.user, cohort_id)
    certificate = selectors.cohort_certificate(cohort, certificate_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Certificate {certificate.display_code} revoked.")
        return redirect("cohort_certificates", cohort_id=cohort.pk)
    return _cohort_page(request, cohort, status=400, revoke_errors={certificate.pk: form.errors})


@require_POST
@access(SUPERVISOR)
def certificate_reissue(request, cohort_id: int, certificate_id: int):
    cohort = cohort_for_supervisor(request.user, cohort_id)
    certificate = selectors.cohort_certificate(cohort, certificate_id)
    form = ReissueForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        new = services.certificate_reissue(certificate=certificate, actor=request.user, reason=reason, request=request)
    except services.CertificateNotIssued as error:
        messages.error(request, "Not reissued: " + " ".join(error.reasons))
    else:
        messages.success(request, f"New certificate {new.display_code} issued; {certificate.display_code} is replaced.")
    return redirect("cohort_certificates", cohort_id=cohort.pk)


@require_POST
@access(SUPERVISOR)
def certificate_sign_off(request, cohort_id: int):
    cohort = cohort_for_supervisor(request.user, cohort_id)
    form = SignOffForm(request.POST, trainees=selectors.cohort_trainees(cohort), courses=list(selectors.live_courses()))
    if not form.is_valid():
        return _cohort_page(request, cohort, status=400, sign_off_form=form)
    learner, course = form.cleaned_data["learner"], form.cleaned_data["course"]
    services.sign_off_grant(
        learner=learner, course=course, actor=request.user, note=form.cleaned_data["note"], request=request
    )
    messages.success(request, f"Signed off {learner} for {course.title}.")
    return redirect("cohort_certificates", cohort_id=cohort.pk)


@require_POST
@access(SUPERVISOR)
def certificate_rule_exception(request, cohort_id: int):
    cohort = cohort_for_supervisor(request.user, cohort_id)
    form = RuleExceptionForm(
        request.POST, trainees=selectors.cohort_trainees(cohort), course_steps=selectors.live_course_steps()
    )
    if not form.is_valid():
        return _cohort_page(request, cohort, status=400, exception_form=form)
    learner = form.cleaned_data["learner"]
    course, step = form.cleaned_data["step"]
    services.rule_exception_grant(
        learner=learner,
        course=course,
        step=step,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        request=request,
    )
    messages.success(request, f"Exception recorded: “{step.title}” is waived for {learner}.")
    return redirect("cohort_certificates", cohort_id=cohort.pk)
