"""Sphinx directives that draw reference pages from the code, so no table is copied by hand.

``.. xpcom-interface:: nsIFoo``
    One XPCOM interface from its generated binding (``Ci.nsIFoo``): the IDL doc comments, each
    attribute and method with the Python types type checkers see (read from the generated stub,
    ``components/interfaces/<module>.pyi``) and its IDL declaration, and the constants.
``.. xpcom-interfaces::``
    Every interface in ``Ci``, in name order, each as above.
``.. preferences-table::``
    ``components.prefs.DEFAULTS``: name, type, default, and the comment the source gives it.
``.. command-help:: MODULE``
    ``python -m MODULE --help``, run when the docs are built: the CLI's own argparse text.
``.. statuses-table::``
    The onStop statuses as README.md lists them (its "onStop statuses:" paragraph, the one place
    helpers add theirs), each with its value from ``components.results.Cr``.  A name the README
    gives that ``Cr`` does not know is a build error.

Docstrings are IDL doc comments, written for reading as plain text (``@param`` columns and
all), so they are rendered as paragraphs and, where they hold ``@param``-style lines, as
literal blocks: never parsed as reStructuredText, so they cannot break the build.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PREFS = ROOT / "components" / "prefs.py"


# ---------------------------------------------------------------- text -> nodes


def doc_nodes(text: str) -> list[nodes.Node]:
    """Plain text (an IDL doc comment) as paragraphs and literal blocks."""
    out: list[nodes.Node] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if not block.strip():
            continue
        lines = block.split("\n")
        if block.lstrip().startswith("XPIDL:"):
            continue  # the declaration is shown by the caller
        if any(line.lstrip().startswith("@") for line in lines) or any(
            line.startswith("  ") for line in lines[1:]
        ):
            out.append(nodes.literal_block(block, block))
        else:
            out.append(nodes.paragraph(block, " ".join(line.strip() for line in lines)))
    return out


def _cleandoc(text: str | None) -> str:
    import inspect

    return inspect.cleandoc(text or "")


# ---------------------------------------------------------------- the stubs' signatures


def stub_members(module: str, iface: str) -> dict[str, str]:
    """member -> its typed signature as the generated stub declares it (``(self, x: str) -> None``
    for a method, ``: int`` for an attribute, ``: str  (read-only)`` for a readonly one)."""
    path = ROOT / "components" / "interfaces" / f"{module}.pyi"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name == iface):
            continue
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                found[item.target.id] = f": {ast.unparse(item.annotation)}"
            elif isinstance(item, ast.FunctionDef):
                returns = ast.unparse(item.returns) if item.returns else "None"
                if any(ast.unparse(d) == "property" for d in item.decorator_list):
                    found[item.name] = f": {returns}  (read-only)"
                else:
                    args = ast.unparse(item.args).removeprefix("self, ").removeprefix("self")
                    found[item.name] = f"({args}) -> {returns}"
    return found


def idl_declaration(member: Any) -> str:
    """The member's IDL declaration, rebuilt from the tagged values the binding carries."""
    tags = member.getTaggedValueTags()
    flags = member.queryTaggedValue("flags") or ()
    prefix = f"[{', '.join(flags)}] " if flags else ""
    if "params" in tags:
        params = ", ".join(f"{d} {t} {n}" for n, d, t in member.getTaggedValue("params"))
        return f"{prefix}{member.getTaggedValue('returns')} {member.__name__}({params})"
    readonly = "readonly " if member.queryTaggedValue("readonly") else ""
    return f"{prefix}{readonly}attribute {member.queryTaggedValue('type')} {member.__name__}"


def interface_nodes(directive: SphinxDirective, name: str) -> list[nodes.Node]:
    from components.interfaces import Ci

    iface = Ci[name]
    module = iface.__module__.rsplit(".", 1)[-1]
    typed = stub_members(module, name)
    bases = ", ".join(b.__name__ for b in iface.__bases__ if b.__name__ != "Interface")
    rst = [f".. py:class:: {name}", "   :module: components.interfaces", ""]
    members = list(iface.names())
    for member in members:
        signature = typed.get(member)
        if signature is not None and signature.startswith("("):
            rst += [f"   .. py:method:: {member}{signature}", ""]
        elif hasattr(iface[member], "positional"):  # a method the stub leaves out
            rst += [f"   .. py:method:: {member}({', '.join(iface[member].positional)})", ""]
        else:
            rst += [f"   .. py:attribute:: {member}", ""]
    section = nodes.container()
    directive.state.nested_parse(StringList(rst, source=f"<{name}>"), directive.content_offset, section)
    # Fill the bodies the rST skeleton above left empty, in the same order.
    from sphinx import addnodes

    contents = [n for n in section.findall(addnodes.desc_content)]
    head, rest = contents[0], contents[1:]
    intro = _cleandoc(iface.__doc__)
    head.insert(0, nodes.paragraph("", f"Extends {bases}." if bases else "The root interface."))
    for i, node in enumerate(doc_nodes(intro)):
        head.insert(i, node)
    for member, body in zip(members, rest, strict=True):
        spec = iface[member]
        decl = idl_declaration(spec)
        body += nodes.literal_block(decl, decl, language="text")
        signature = typed.get(member)
        if signature is None:
            body += nodes.paragraph("", "Not in the typing stub (see codegen.emit_stubs for why).")
        elif not signature.startswith("("):
            body += nodes.paragraph("", f"Python type{signature}")
        body.extend(doc_nodes(_cleandoc(spec.getDoc())))
    constants = _constants(name)
    if constants:
        rows = [(c, str(int(getattr(iface, c)))) for c in constants]
        head += table(["constant", "value"], rows)
    return list(section.children)


def _constants(name: str) -> list[str]:
    from components.interfaces import Ci

    iface = Ci[name]
    return [n for n in dir(iface) if n.isupper() and isinstance(getattr(iface, n, None), int)]


# ---------------------------------------------------------------- tables


def table(header: list[str], rows: list[tuple[str, ...]]) -> nodes.table:
    tbl = nodes.table()
    group = nodes.tgroup(cols=len(header))
    tbl += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    thead = nodes.thead()
    group += thead
    thead += _row(header)
    tbody = nodes.tbody()
    group += tbody
    tbody.extend(_row(list(r)) for r in rows)
    return tbl


def _row(cells: list[str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        text = nodes.literal(cell, cell) if _looks_like_code(cell) else nodes.Text(cell)
        entry += nodes.paragraph("", "", text)
        row += entry
    return row


def _looks_like_code(cell: str) -> bool:
    return bool(re.fullmatch(r"[\w.\-@;?=/]+", cell)) and ("." in cell or "_" in cell or cell.isdigit())


def preference_rows() -> list[tuple[str, str, str, str]]:
    """(name, type, default, note) for every default, the note being the comment above it."""
    from components.prefs import DEFAULTS

    notes: dict[str, str] = {}
    pending: list[str] = []
    source = PREFS.read_text(encoding="utf-8")
    start = source.index("DEFAULTS")
    for tok in tokenize.generate_tokens(io.StringIO(source[start:]).readline):
        if tok.type == tokenize.COMMENT:
            pending.append(tok.string.lstrip("#").strip())
        elif tok.type == tokenize.STRING and pending:
            notes[ast.literal_eval(tok.string)] = " ".join(pending)
            pending = []
        elif tok.type == tokenize.OP and tok.string == "}":
            break
    rows = []
    for name, value in DEFAULTS.items():
        kind = "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "string"
        shown = {"bool": str(value).lower(), "string": repr(value)}.get(kind, str(value))
        rows.append((name, kind, shown, notes.get(name, "")))
    return rows


def status_rows() -> list[tuple[str, str, str]]:
    """(name, hex value, meaning) from README's "onStop statuses:" paragraph."""
    from components.results import Cr

    text = README.read_text(encoding="utf-8")
    start = text.index("onStop statuses:")
    paragraph = text[start: text.index("\n\n", start)].removeprefix("onStop statuses:")
    rows = []
    for item in re.split(r"\s+·\s+", paragraph):
        m = re.match(r"\s*`(\w+)`\s*(.*)", item, flags=re.S)
        if m is None:
            raise ValueError(f"README's onStop statuses: cannot read {item!r}")
        name, meaning = m.group(1), " ".join(m.group(2).replace("`", "").split())
        value = getattr(Cr, name, None)
        if value is None:
            raise ValueError(f"README names onStop status {name}, which components.results.Cr lacks")
        # The paragraph's last item runs on into the prose after it ("Whatever a server sends...").
        meaning = re.split(r"(?<=\)|\w)\. ", meaning, maxsplit=1)[0].rstrip(".")
        rows.append((name, f"0x{value:08X}", meaning))
    return rows


# ---------------------------------------------------------------- directives


class InterfaceDirective(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return interface_nodes(self, self.arguments[0])


class AllInterfacesDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        from components.interfaces import Ci

        out: list[nodes.Node] = []
        for name in sorted(Ci):
            out += interface_nodes(self, name)
        return out


class PreferencesDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(PREFS))
        return [table(["preference", "type", "default", "note"], list(preference_rows()))]


class CommandHelpDirective(SphinxDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        import os
        import subprocess
        import sys

        env = {**os.environ, "COLUMNS": "100", "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", self.arguments[0], "--help"], capture_output=True,
                              text=True, env=env, timeout=60, check=True)
        text = done.stdout.rstrip()
        return [nodes.literal_block(text, text, language="text")]


class StatusesDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(README))
        return [table(["status", "value", "when"], list(status_rows()))]


def _plain_docstrings(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    """The code's docstrings are written to read well as plain text, in reST's spirit but not
    always to its letter.  Three habits would break the build, and are adapted here:

    * section titles ("Theory of operation" over dashes) are not allowed inside an autodoc
      directive: each becomes a rubric;
    * an indented example after a paragraph (no ``::``) would be an unexpected indentation:
      it becomes a literal block;
    * a word ending in ``_`` (``"_Fail the WebSocket Connection_"``) would be a reference to a
      missing target: the underscore is escaped.
    """
    out: list[str] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and re.fullmatch(r"-{3,}|={3,}|~{3,}", nxt.strip()) and len(nxt.strip()) >= len(
            line.strip()
        ):
            out.append(f".. rubric:: {line.strip()}")
            continue
        if re.fullmatch(r"\s*(-{3,}|={3,}|~{3,})\s*", line) and out and out[-1].startswith(".. rubric::"):
            out.append("")
            continue
        if line.startswith("    ") and out and not out[-1].strip():
            previous = next((p for p in reversed(out) if p.strip()), "")
            if previous and not previous.startswith((" ", "..")) and not previous.rstrip().endswith("::"):
                out.insert(len(out) - 1, "::")
                out.insert(len(out) - 1, "")
        escaped = re.sub(r"(?<=\w)_(?=[\s\"',.;:)]|$)", r"\_", line)
        out.append(line if line.startswith("    ") else escaped)
    lines[:] = out


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("xpcom-interface", InterfaceDirective)
    app.add_directive("xpcom-interfaces", AllInterfacesDirective)
    app.add_directive("preferences-table", PreferencesDirective)
    app.add_directive("statuses-table", StatusesDirective)
    app.add_directive("command-help", CommandHelpDirective)
    app.connect("autodoc-process-docstring", _plain_docstrings)
    return {"parallel_read_safe": True, "version": "1"}
