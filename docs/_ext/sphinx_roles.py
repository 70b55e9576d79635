"""Griffe extension for the API pages: render the Sphinx roles of the docstrings.

The docstrings are numpy style and cite other objects with Sphinx roles (:func:`solve`,
:class:`clusters.bases.SymmetricSector`, :mod:`~tunnelsim.response`), which mkdocstrings would print
literally. Each role becomes an optional cross-reference: a link where the target is documented, the
name in code font where it is not (no build warning either way). A line that ends with the reST
literal-block marker "::" ends with ":" instead (the indented block after it is already code).
Only the rendering changes; the docstrings in the code stay as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:func|meth|class|mod|attr|data|obj|exc|const):`(~?)([^`<]+?)(?:\s*<([^>`]+)>)?`")
_PACKAGES = ("tunnelsim", "clusters", "lattices")


def _module_path(obj: griffe.Object) -> str:
    while obj is not None and not obj.is_module:
        obj = obj.parent
    return obj.path if obj is not None else ""


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles and "::" markers in every docstring before it is parsed."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is None or ":" not in obj.docstring.value:
            return
        module = _module_path(obj)

        def link(m: re.Match) -> str:
            tilde, text, target = m.group(1), m.group(2).strip(), m.group(3)
            target = (target or text).lstrip("~").strip()
            title = text.rsplit(".", 1)[-1] if tilde else text
            identifier = target if target.split(".", 1)[0] in _PACKAGES or not module else f"{module}.{target}"
            return f'<autoref identifier="{identifier}" optional><code>{title}</code></autoref>'

        value = _ROLE.sub(link, obj.docstring.value)
        value = re.sub(r"(?m)(\S)::[ \t]*$", r"\1:", value)
        value = re.sub(r"(?m)^([ \t]*)::[ \t]*$", r"\1", value)
        obj.docstring.value = value
