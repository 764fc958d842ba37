"""A household's address in the settlement, as a worker says it: building, unit and room."""
from __future__ import annotations

# How each part reads in each language (format data: the words live here, not in code).
PARTS = {"zh": ("{}栋", "{}单元", "{}"), "en": ("Bldg {}, ", "Unit {}, ", "{}")}


def address_text(building: object, unit: object, room: object, lang: str = "zh") -> str:
    """"12栋3单元1104" in Chinese, "Bldg 12, Unit 3, 1104" in English; missing parts are left out."""
    formats = PARTS.get(lang, PARTS["zh"])
    text = "".join(form.format(value) for form, value in zip(formats, (building, unit, room)) if value)
    return text.rstrip(", ")
