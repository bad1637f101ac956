"""Background work for patient accounts. Arguments are IDs only; every task is safe to run twice."""

import logging

from django.tasks import task

logger = logging.getLogger(__name__)


@task()
def statement_render_task(*, statement_id: int) -> bool:
    """Render and store one statement's PDF unless it is already stored; True when this run stored it."""
    from coursesite.certificates.pdf import RenderError

    from .accounts_services import statement_pdf_store
    from .models import Statement
    from .statement_pdf import statement_pdf_bytes

    statement = Statement.objects.select_related("shift", "patient", "run").filter(pk=statement_id).first()
    if statement is None or statement.pdf:
        return False
    try:
        content = statement_pdf_bytes(shift=statement.shift, statement=statement)
    except RenderError:
        logger.exception("statement %s: PDF not rendered; the screen renders it on demand", statement_id)
        return False
    statement_pdf_store(statement=statement, content=content)
    return True
