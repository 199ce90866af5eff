"""Form rendering in the KERN UX design system.

Widgets get KERN's classes here, in one place, so that forms of every app
(and allauth's) look alike without each form naming CSS classes.
"""

from django.forms.renderers import DjangoTemplates

WIDGET_CLASSES = {
    "select": "kern-form-input__select",
    "checkbox": "kern-form-check__checkbox",
    "radio": "kern-form-check__radio",
    "file": "kern-form-input__input",
}


class KernFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "attrs" in widget:
            kind = widget.get("type") or (
                "select" if "select" in template_name else "text"
            )
            css = WIDGET_CLASSES.get(kind, "kern-form-input__input")
            attrs = dict(widget["attrs"])
            existing = attrs.get("class", "")
            if css not in existing.split():
                attrs["class"] = f"{css} {existing}".strip()
            context = {**context, "widget": {**widget, "attrs": attrs}}
        return super().render(template_name, context, request)
