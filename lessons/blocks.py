"""StreamField blocks for lessons: the shapes a patient-representative lesson is written in."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

MONEY = {"max_digits": 10, "decimal_places": 2, "required": False}


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        description = "A section heading; lessons use h2 for sections and h3 inside them."
        preview_value = {"text": "Verifying the caller", "level": "h2"}


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(choices=[("tip", "Tip"), ("caution", "Caution"), ("law", "The law says")], default="tip")
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = "A highlighted tip, caution, or statement of what the law says."
        preview_value = {"kind": "tip", "title": "Smile while you dial", "text": "<p>Callers hear it.</p>"}


class KeyTermBlock(blocks.StructBlock):
    term = blocks.CharBlock(max_length=120)
    definition = blocks.TextBlock()


class KeyTermsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(KeyTermBlock(), **kwargs)

    class Meta:
        icon = "list-ul"
        template = "blocks/key_terms.html"
        description = "Terms defined in this lesson; they also feed the course glossary."
        preview_value = [{"term": "PHI", "definition": "Protected health information."}]


class ScriptLineBlock(blocks.StructBlock):
    speaker = blocks.CharBlock(max_length=60)
    text = blocks.TextBlock()
    note = blocks.TextBlock(required=False, help_text="Coaching note: why this line works.")


class ScriptValue(blocks.StructValue):
    def representative_speakers(self) -> set[str]:
        return {"Representative", "You"}


class ScriptBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    setting = blocks.ChoiceBlock(choices=[("phone", "Phone"), ("desk", "Front desk")], default="phone")
    lines = blocks.ListBlock(ScriptLineBlock())

    class Meta:
        icon = "openquote"
        template = "blocks/script.html"
        description = "A phone or desk conversation: who says what, with coaching notes."
        value_class = ScriptValue
        preview_value = {
            "title": "Greeting",
            "setting": "phone",
            "lines": [{"speaker": "Representative", "text": "Riverside Family Practice, this is Dana.", "note": ""}],
        }


class LedgerEntryBlock(blocks.StructBlock):
    date = blocks.DateBlock()
    description = blocks.CharBlock(max_length=200)
    charge = blocks.DecimalBlock(**MONEY)
    payment = blocks.DecimalBlock(**MONEY)
    adjustment = blocks.DecimalBlock(**MONEY)


class WorkedExampleValue(blocks.StructValue):
    def rows(self) -> list[dict]:
        """Entries with the running balance: charges − payments − adjustments, to the cent."""
        balance = Decimal("0.00")
        rows = []
        for entry in self["entries"]:
            balance += (entry["charge"] or 0) - (entry["payment"] or 0) - (entry["adjustment"] or 0)
            rows.append({**entry, "balance": balance})
        return rows

    def final_balance(self) -> Decimal:
        rows = self.rows()
        return rows[-1]["balance"] if rows else Decimal("0.00")


class WorkedExampleBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    description = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], required=False)
    entries = blocks.ListBlock(LedgerEntryBlock(), min_num=1)
    expected_balance = blocks.DecimalBlock(
        **MONEY, help_text="If set, the running balance must end here (a check on the author's arithmetic)."
    )
    explanation = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"], required=False)

    class Meta:
        icon = "table"
        template = "blocks/worked_example.html"
        description = "A bookkeeping case: ledger entries with a running balance."
        value_class = WorkedExampleValue
        preview_value = {
            "title": "Posting a payment",
            "entries": [
                {"date": "2026-03-02", "description": "Office visit", "charge": "150.00"},
                {"date": "2026-03-20", "description": "Payer payment", "payment": "88.00"},
                {"date": "2026-03-20", "description": "Contractual adjustment CO-45", "adjustment": "42.00"},
            ],
            "expected_balance": "20.00",
        }

    def clean(self, value):
        value = super().clean(value)
        expected = value.get("expected_balance")
        if expected is not None and value.final_balance() != expected:
            raise StructBlockValidationError(
                block_errors={
                    "expected_balance": ValidationError(
                        f"The entries end at {value.final_balance()}, not {expected}. Check the arithmetic."
                    )
                }
            )
        return value


class CitationBlock(blocks.StructBlock):
    reference = blocks.CharBlock(max_length=120, help_text="e.g. 45 CFR 164.524(b)(2)")
    title = blocks.CharBlock(max_length=200, required=False)
    summary = blocks.TextBlock(help_text="What the rule says, in plain language (our own words).")
    url = blocks.URLBlock(required=False, help_text="Link to the official text, e.g. on ecfr.gov.")

    class Meta:
        icon = "doc-full"
        template = "blocks/citation.html"
        description = "A legal or standards citation with a plain-language summary."
        preview_value = {"reference": "45 CFR 164.524(b)(2)", "summary": "Act on an access request within 30 days."}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(max_length=250, help_text="Required: describe the image for people who cannot see it.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with required alternative text."


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(help_text="A video file served by us (no third-party players).")
    title = blocks.CharBlock(max_length=200)
    transcript = blocks.RichTextBlock(
        features=["bold", "italic", "ol", "ul"], help_text="Required: the full transcript."
    )

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        description = "A video with a required transcript."
        preview_value = {"url": "https://example.org/video.mp4", "title": "Greeting", "transcript": "<p>…</p>"}


class SelfCheckOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.TextBlock()


class SelfCheckBlock(blocks.StructBlock):
    question = blocks.TextBlock()
    options = blocks.ListBlock(SelfCheckOptionBlock(), min_num=2)

    class Meta:
        icon = "help"
        template = "blocks/self_check.html"
        description = "An ungraded question with instant feedback."
        preview_value = {
            "question": "Can you leave test results on voicemail?",
            "options": [
                {"text": "Yes", "correct": False, "feedback": "No: limit voicemail to a callback request."},
                {"text": "No", "correct": True, "feedback": "Right."},
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise StructBlockValidationError(
                block_errors={"options": ValidationError("Mark at least one option as correct.")}
            )
        return value


class LocalPolicyBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "pick"
        template = "blocks/local_policy.html"
        description = "Your organisation's own rule, shown over the stock text. Replace the default with yours."
        preview_value = {"title": "Our callback policy", "text": "<p>Call back within one business day.</p>"}


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote"],
        icon="pilcrow",
        template="blocks/rich_text.html",
    )
    heading = HeadingBlock()
    callout = CalloutBlock()
    key_terms = KeyTermsBlock()
    script = ScriptBlock()
    worked_example = WorkedExampleBlock()
    citation = CitationBlock()
    image = ImageBlock()
    video = VideoBlock()
    self_check = SelfCheckBlock()
    local_policy = LocalPolicyBlock()
