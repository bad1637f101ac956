from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """The Wagtail admin runs a few inline scripts; give it its own, looser policy.

    The rest of the site keeps the strict `SECURE_CSP` (no inline script). Listed after Django's CSP
    middleware so that this runs first on the way out and the CSP middleware reads the override.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/cms/"):
            response._csp_config = settings.SECURE_CSP_ADMIN
        return response
