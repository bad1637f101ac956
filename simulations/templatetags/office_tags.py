from django import template

register = template.Library()


@register.filter
def name_in(key: str, mapping: dict) -> str:
    """`{{ appt.type_key|name_in:office.types }}` → the display name from the shift's rules snapshot."""
    item = (mapping or {}).get(key)
    return item["name"] if item else key


@register.filter
def conflict_label(kind: str) -> str:
    """`{{ conflict.kind|conflict_label }}` → "Office holiday", "Provider block", "Double booking", ..."""
    from simulations.series import CONFLICT_LABELS

    return CONFLICT_LABELS.get(kind, kind)
