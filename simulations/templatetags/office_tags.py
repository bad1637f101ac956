from django import template

register = template.Library()


@register.filter
def name_in(key: str, mapping: dict) -> str:
    """`{{ appt.type_key|name_in:office.types }}` → the display name from the shift's rules snapshot."""
    item = (mapping or {}).get(key)
    return item["name"] if item else key
