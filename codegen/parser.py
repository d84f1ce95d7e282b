"""The XPIDL grammar (PLY yacc): tokens in, an unchecked ``model.IDLFile`` out.

This stage knows syntax only.  Names are not resolved, includes are not followed and
constant expressions are not evaluated here: ``codegen.includes`` follows the
``#include`` lines and ``codegen.checks`` resolves names and applies pyxpidl's rules.
``parse_file`` and ``parse_string`` at the bottom run the whole front end.

The LALR tables are generated once into ``codegen/_parsetab.py`` (run
``python -m codegen.parser`` after changing the grammar; a test fails while they are
stale).  At run time they are only read: nothing is written, nothing is printed.  When
their signature (PLY's digest of the grammar's rules, precedence and tokens) matches the
grammar, they are bound to the rule methods directly and handed to PLY's ``LRParser``;
otherwise (missing or stale tables) ``ply.yacc.yacc`` rebuilds them in memory, which is
slower but still silent and correct.  Skipping ``yacc.yacc`` on the usual path skips its
reflection over the grammar (``inspect``), so ``ply.yacc`` is imported with ``inspect``
deferred until something uses it (see ``_import_yacc``).

Doc comments come with tokens (see ``codegen.lexer``); a declaration takes those of
its first token: the ``[`` of its attribute list when it has one (an interface also
those before the ``interface`` keyword), else its keyword, or the first token of a
method's return type.
"""

from __future__ import annotations

import os
import sys
import types

from codegen import model as m
from codegen.errors import IDLError
from codegen.lexer import LITERALS, TOKENS, Lexer, SourceText

TYPE_CHECKING = False  # see codegen/__init__.py: no typing at run time
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


def _import_yacc() -> Any:
    """``ply.yacc``, imported without paying for ``inspect`` and ``re`` up front.

    ``ply.yacc`` imports both at its top, for the grammar reflection and checks of
    ``yacc.yacc()``, which ``_build`` skips when the tables are current: ``inspect`` (with
    ``ast``, ``dis`` and ``tokenize``) was about a tenth of a ``python -m codegen parse`` run,
    and ``re`` (with ``enum``; the lexer is written out and needs neither) another. Each one
    nothing has imported yet is replaced, for the duration of the import, by a stand-in that
    ``ply.yacc`` keeps: its first attribute lookup imports the real module, and the
    expressions ``ply.yacc`` compiles at its top are compiled on their first use.  The
    stand-ins are removed from ``sys.modules`` at once, so everyone else's ``import re`` is
    the ordinary one."""
    if "ply.yacc" in sys.modules:
        import ply.yacc

        return ply.yacc
    stand_ins = {name: cls(name) for name, cls in (("inspect", _DeferredModule), ("re", _DeferredRe))
                 if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import ply.yacc
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    return ply.yacc


class _DeferredModule(types.ModuleType):
    """A module whose attributes are those of the real module of that name, imported on the
    first lookup."""

    def __getattr__(self, name: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self.__name__), name)


class _DeferredRe(_DeferredModule):
    """``re``, whose ``compile`` compiles when the pattern is first used."""

    def compile(self, pattern: str, flags: int = 0) -> _DeferredPattern:
        return _DeferredPattern(pattern, flags)


class _DeferredPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            import re

            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


yacc = _import_yacc()

# Expressions and generic types nest; evaluation and printing recurse.  Real IDL nests
# a few levels; this bound keeps hostile input from exhausting the Python stack.
MAX_NESTING = 200



# Left-recursive list rules: PLY needs one function per rule, but they all grow a
# Python list the same way.  Left recursion keeps PLY's stack shallow on long lists.


def _extend(p: Any) -> None:
    """``xs : xs x | empty``"""
    if len(p) == 2:
        p[0] = []
    else:
        p[1].append(p[2])
        p[0] = p[1]


def _extend_separated(p: Any) -> None:
    """``xs : x | xs ',' x``"""
    if len(p) == 2:
        p[0] = [p[1]]
    else:
        p[1].append(p[3])
        p[0] = p[1]

class _Grammar:
    """PLY grammar rules.  One instance, built once; per-parse state is reset by ``run``."""

    tokens = TOKENS
    literals = LITERALS
    start = "idlfile"

    precedence = (
        ("left", "|"),
        ("left", "LSHIFT", "RSHIFT"),
        ("left", "+", "-"),
        ("left", "*"),
        ("right", "UMINUS"),
    )

    def __init__(self) -> None:
        self.source: SourceText | None = None
        self.depth: dict[int, int] = {}
        self.type_docs: dict[int, list[str]] = {}
        self.lexer: Lexer | None = None

    # -- helpers ---------------------------------------------------------------------

    def loc(self, pos: int) -> m.Location:
        assert self.source is not None
        return self.source.location(pos)

    def nested(self, node: Any, children: Iterable[Any], pos: int) -> Any:
        depth = 1 + max((self.depth.get(id(c), 0) for c in children), default=0)
        if depth > MAX_NESTING:
            raise IDLError(f"nested more than {MAX_NESTING} levels deep", self.loc(pos))
        self.depth[id(node)] = depth
        return node

    @staticmethod
    def docs(p: Any, i: int) -> list[str]:
        """Doc comments carried by the i-th symbol of a production (a token)."""
        return list(getattr(p.slice[i], "docs", []))

    # -- file ------------------------------------------------------------------------

    def p_idlfile(self, p: Any) -> None:
        "idlfile : productions"
        p[0] = p[1]

    def p_productions(self, p: Any) -> None:
        """productions : productions production
        | empty"""
        _extend(p)

    def p_production_include(self, p: Any) -> None:
        "production : INCLUDE"
        p[0] = m.Include(p[1], location=self.loc(p.lexpos(1)))

    def p_production_cdata(self, p: Any) -> None:
        "production : CDATA"
        p[0] = m.CDATA(p[1], location=self.loc(p.lexpos(1)))

    def p_production(self, p: Any) -> None:
        """production : interface
        | typedef
        | native
        | webidl"""
        p[0] = p[1]

    def p_empty(self, p: Any) -> None:
        "empty :"

    # -- [attributes] ----------------------------------------------------------------

    def p_attributes(self, p: Any) -> None:
        """attributes : '[' attlist ']'
        | empty"""
        # (values, their locations, doc comments before '[' or None when there is no list)
        if len(p) == 2:
            p[0] = ({}, {}, None)
            return
        values: dict[str, str | None] = {}
        locations: dict[str, m.Location] = {}
        for name, value, loc in p[2]:
            # A repeated attribute is not an error in pyxpidl: the last value wins.
            values[name] = value
            locations[name] = loc
        p[0] = (values, locations, self.docs(p, 1))

    def p_attlist(self, p: Any) -> None:
        """attlist : attribute
        | attlist ',' attribute"""
        _extend_separated(p)

    def p_attribute(self, p: Any) -> None:
        "attribute : anyident attributeval"
        name, pos = p[1]
        p[0] = (name, p[2], self.loc(pos))

    def p_anyident(self, p: Any) -> None:
        """anyident : IDENTIFIER
        | CONST"""
        p[0] = (p[1], p.lexpos(1))

    def p_attributeval(self, p: Any) -> None:
        """attributeval : '(' IDENTIFIER ')'
        | '(' IID ')'
        | empty"""
        p[0] = p[2] if len(p) == 4 else None

    # -- interface / forward declaration --------------------------------------------

    def p_interface(self, p: Any) -> None:
        "interface : attributes INTERFACE IDENTIFIER ifacebase ifacebody ';'"
        attrs, attr_locs, attr_docs = p[1]
        doc = _doc((attr_docs or []) + self.docs(p, 2))
        name_loc = self.loc(p.lexpos(3))
        base, base_loc = p[4]
        body = p[5]
        if body is None:
            if attrs:
                first = next(iter(attr_locs.values()))
                raise IDLError(f"forward declaration of '{p[3]}' cannot have attributes", first)
            if base is not None:
                raise IDLError(f"forward declaration of '{p[3]}' cannot name a base interface", base_loc)
            p[0] = m.Forward(p[3], doc=doc, location=name_loc)
            return
        p[0] = m.Interface(
            p[3],
            base=base,
            attrs=attrs,
            members=body,
            doc=doc,
            location=name_loc,
            attr_locations=attr_locs,
            base_location=base_loc,
        )
        for member in body:
            if isinstance(member, m.CEnum):
                member.interface = p[3]

    def p_ifacebase(self, p: Any) -> None:
        """ifacebase : ':' IDENTIFIER
        | empty"""
        p[0] = (p[2], self.loc(p.lexpos(2))) if len(p) == 3 else (None, None)

    def p_ifacebody(self, p: Any) -> None:
        """ifacebody : '{' members '}'
        | empty"""
        p[0] = p[2] if len(p) == 4 else None

    def p_members(self, p: Any) -> None:
        """members : members member
        | empty"""
        _extend(p)

    def p_member_cdata(self, p: Any) -> None:
        "member : CDATA"
        p[0] = m.CDATA(p[1], location=self.loc(p.lexpos(1)))

    def p_member(self, p: Any) -> None:
        """member : const
        | cenum
        | attribute_member
        | method"""
        p[0] = p[1]

    # -- constants and cenums --------------------------------------------------------

    def p_const(self, p: Any) -> None:
        "const : CONST type IDENTIFIER '=' expr ';'"
        p[0] = m.Const(p[3], p[2], p[5], doc=_doc(self.docs(p, 1)), location=self.loc(p.lexpos(3)))

    def p_cenum(self, p: Any) -> None:
        "cenum : CENUM IDENTIFIER ':' NUMBER '{' variants '}' ';'"
        p[0] = m.CEnum(p[2], p[4], variants=p[6], doc=_doc(self.docs(p, 1)), location=self.loc(p.lexpos(2)))

    def p_variants(self, p: Any) -> None:
        """variants : variant_list
        | variant_list ','
        | empty"""
        p[0] = p[1] if p[1] is not None else []

    def p_variant_list(self, p: Any) -> None:
        """variant_list : variant
        | variant_list ',' variant"""
        _extend_separated(p)

    def p_variant(self, p: Any) -> None:
        """variant : IDENTIFIER
        | IDENTIFIER '=' expr"""
        expr = p[3] if len(p) == 4 else None
        p[0] = m.CEnumVariant(p[1], expr, location=self.loc(p.lexpos(1)))

    # -- attributes and methods ------------------------------------------------------

    def p_attribute_member(self, p: Any) -> None:
        "attribute_member : attributes readonly ATTRIBUTE type IDENTIFIER ';'"
        attrs, attr_locs, attr_docs = p[1]
        readonly, readonly_docs = p[2]
        if attr_docs is not None:
            docs = attr_docs
        elif readonly:
            docs = readonly_docs
        else:
            docs = self.docs(p, 3)
        p[0] = m.Attribute(
            p[5],
            p[4],
            readonly=readonly,
            attrs=attrs,
            doc=_doc(docs),
            location=self.loc(p.lexpos(5)),
            attr_locations=attr_locs,
        )

    def p_readonly(self, p: Any) -> None:
        """readonly : READONLY
        | empty"""
        if len(p) == 2 and p[1] == "readonly":
            p[0] = (True, self.docs(p, 1))
        else:
            p[0] = (False, [])

    def p_method(self, p: Any) -> None:
        "method : attributes type IDENTIFIER '(' paramlist ')' raises ';'"
        attrs, attr_locs, attr_docs = p[1]
        rtype: m.TypeRef = p[2]
        docs = attr_docs if attr_docs is not None else self.type_docs.get(id(rtype), [])
        p[0] = m.Method(
            p[3],
            rtype,
            params=p[5],
            raises=p[7],
            attrs=attrs,
            doc=_doc(docs),
            location=self.loc(p.lexpos(3)),
            attr_locations=attr_locs,
        )

    def p_paramlist(self, p: Any) -> None:
        """paramlist : params
        | empty"""
        p[0] = p[1] if p[1] is not None else []

    def p_params(self, p: Any) -> None:
        """params : param
        | params ',' param"""
        _extend_separated(p)

    def p_param(self, p: Any) -> None:
        "param : attributes paramtype type IDENTIFIER"
        attrs, attr_locs, _ = p[1]
        p[0] = m.Param(
            p[4], p[2], p[3], attrs=attrs, location=self.loc(p.lexpos(4)), attr_locations=attr_locs
        )

    def p_paramtype(self, p: Any) -> None:
        """paramtype : IN
        | OUT
        | INOUT"""
        p[0] = p[1]

    def p_raises(self, p: Any) -> None:
        """raises : RAISES '(' idlist ')'
        | empty"""
        p[0] = p[3] if len(p) == 5 else []

    def p_idlist(self, p: Any) -> None:
        """idlist : IDENTIFIER
        | idlist ',' IDENTIFIER"""
        _extend_separated(p)

    # -- typedef, native, webidl -----------------------------------------------------

    def p_typedef(self, p: Any) -> None:
        "typedef : attributes TYPEDEF type IDENTIFIER ';'"
        # pyxpidl accepts an attribute list here and ignores it; it is kept in the model.
        attrs, attr_locs, _ = p[1]
        p[0] = m.Typedef(p[4], p[3], attrs=attrs, doc=_doc(self.docs(p, 2)), location=self.loc(p.lexpos(4)))

    def p_native(self, p: Any) -> None:
        "native : attributes NATIVE IDENTIFIER '(' NATIVEID ')' ';'"
        attrs, attr_locs, attr_docs = p[1]
        docs = attr_docs if attr_docs is not None else self.docs(p, 2)
        p[0] = m.Native(
            p[3], p[5], attrs=attrs, doc=_doc(docs), location=self.loc(p.lexpos(3)), attr_locations=attr_locs
        )

    def p_webidl(self, p: Any) -> None:
        "webidl : WEBIDL IDENTIFIER ';'"
        p[0] = m.WebIDL(p[2], doc=_doc(self.docs(p, 1)), location=self.loc(p.lexpos(2)))

    # -- types -----------------------------------------------------------------------

    def p_type(self, p: Any) -> None:
        """type : IDENTIFIER
        | IDENTIFIER '<' typelist '>'"""
        args = p[3] if len(p) == 5 else []
        t = m.TypeRef(p[1], args, location=self.loc(p.lexpos(1)))
        self.type_docs[id(t)] = self.docs(p, 1)
        p[0] = self.nested(t, args, p.lexpos(1))

    def p_typelist(self, p: Any) -> None:
        """typelist : type
        | typelist ',' type"""
        _extend_separated(p)

    # -- constant expressions --------------------------------------------------------

    def p_expr_number(self, p: Any) -> None:
        """expr : NUMBER
        | HEXNUM"""
        p[0] = m.Num(p[1], self.loc(p.lexpos(1)))

    def p_expr_name(self, p: Any) -> None:
        "expr : IDENTIFIER"
        p[0] = m.NameRef(p[1], self.loc(p.lexpos(1)))

    def p_expr_paren(self, p: Any) -> None:
        "expr : '(' expr ')'"
        # Parentheses only group; they still count towards the nesting bound.
        p[0] = p[2]
        self.depth[id(p[2])] = self.depth.get(id(p[2]), 0) + 1
        if self.depth[id(p[2])] > MAX_NESTING:
            raise IDLError(f"nested more than {MAX_NESTING} levels deep", self.loc(p.lexpos(1)))

    def p_expr_unary(self, p: Any) -> None:
        "expr : '-' expr %prec UMINUS"
        node = m.Unary("-", p[2], self.loc(p.lexpos(1)))
        p[0] = self.nested(node, [p[2]], p.lexpos(1))

    def p_expr_binary(self, p: Any) -> None:
        """expr : expr '|' expr
        | expr LSHIFT expr
        | expr RSHIFT expr
        | expr '+' expr
        | expr '-' expr
        | expr '*' expr"""
        node = m.Binary(p[2], p[1], p[3], self.loc(p.lexpos(2)))
        p[0] = self.nested(node, [p[1], p[3]], p.lexpos(2))

    # -- errors ----------------------------------------------------------------------

    def p_error(self, tok: Any) -> None:
        assert self.source is not None
        if tok is None:
            # Point just after the last thing in the file, not at an empty last line.
            last = self.lexer.current if self.lexer else None
            hint = " (missing ';' after '}'?)" if last is not None and last.type == "}" else ""
            raise IDLError(f"unexpected end of file{hint}", self.loc(len(self.source.text.rstrip())))
        shown = {"CDATA": "%{C++ block", "INCLUDE": "#include", "NATIVEID": "native type text"}.get(
            tok.type, repr(str(tok.value))
        )
        hint = _syntax_hint(self.lexer.previous if self.lexer else None, tok)
        raise IDLError(f"syntax error at {shown}{hint}", self.loc(tok.lexpos))

    # -- running ---------------------------------------------------------------------

    def run(self, parser: Any, source: SourceText) -> m.IDLFile:
        self.source = source
        self.depth = {}
        self.type_docs = {}
        self.lexer = Lexer(source)
        try:
            productions = parser.parse(lexer=self.lexer, tracking=False)
        finally:
            self.depth = {}
            self.type_docs = {}
            self.lexer = None
        return m.IDLFile(source.filename, productions)


def _syntax_hint(previous: Any, tok: Any) -> str:
    """A guess at the usual mistakes behind a syntax error, or ''."""
    if (
        tok.type == "NUMBER"
        and tok.value < 0
        and previous is not None
        and previous.type
        in (
            "NUMBER",
            "HEXNUM",
            "IDENTIFIER",
            ")",
        )
    ):
        return " (a minus sign right before a digit makes a negative number: write 'a - 1' with spaces)"
    if tok.type == "RSHIFT":
        return " (to close nested generics write '> >' with a space)"
    if previous is not None and previous.type == "}" and tok.type != ";":
        return " (missing ';' after '}'?)"
    return ""


def _doc(comments: list[str]) -> str | None:
    """Several doc comments before one declaration are all kept, joined by a blank line."""
    return "\n\n".join(clean_doc(c) for c in comments) if comments else None


def clean_doc(comment: str) -> str:
    """The text of a ``/** ... */`` comment: markers and each line's leading ``*`` removed."""
    body = comment[3:-2]
    lines = body.split("\n")
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("*"):
            stripped = stripped[1:]
            if stripped.startswith(" "):
                stripped = stripped[1:]
        out.append(stripped.rstrip())
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# ------------------------------------------------------------------ building the parser

_TABMODULE = "codegen._parsetab"
_PARSER: Any = None
_GRAMMAR: _Grammar | None = None


def grammar_signature() -> str:
    """PLY's signature of the grammar (``ParserReflect.signature``: start symbol,
    precedence, the sorted tokens, then each rule's docstring in definition order), computed from the
    class itself; ``_parsetab._lr_signature`` holds the one the tables were built for."""
    rules = sorted(
        (f.__code__.co_firstlineno, name, f.__doc__ or "")
        for name, f in vars(_Grammar).items()
        if name.startswith("p_") and name != "p_error" and callable(f)
    )
    return "".join(
        [
            _Grammar.start,
            "".join("".join(level) for level in _Grammar.precedence),
            " ".join(sorted(_Grammar.tokens)),
            *(doc for _, _, doc in rules if doc),
        ]
    )


def _bind_tables(grammar: _Grammar) -> Any:
    """A PLY ``LRParser`` over the generated tables, or None when they are missing or stale."""
    try:
        from codegen import _parsetab
    except ImportError:
        return None
    if getattr(_parsetab, "_lr_signature", None) != grammar_signature():
        return None
    table = yacc.LRTable()
    try:
        table.read_table(_parsetab)
    except yacc.VersionError:
        return None
    table.bind_callables({name: getattr(grammar, name) for name in dir(_Grammar) if name.startswith("p_")})
    return yacc.LRParser(table, grammar.p_error)


def _build(write_tables: bool = False, errorlog: Any = None) -> tuple[_Grammar, Any]:
    grammar = _Grammar()
    if not write_tables:
        parser = _bind_tables(grammar)
        if parser is not None:
            return grammar, parser
    parser = yacc.yacc(
        module=grammar,
        tabmodule=_TABMODULE,
        outputdir=os.path.dirname(os.path.abspath(__file__)),
        write_tables=write_tables,
        debug=False,
        errorlog=errorlog if errorlog is not None else yacc.NullLogger(),
    )
    return grammar, parser


def _parser() -> tuple[_Grammar, Any]:
    global _PARSER, _GRAMMAR
    if _PARSER is None:
        _GRAMMAR, _PARSER = _build()
    assert _GRAMMAR is not None
    return _GRAMMAR, _PARSER


def parse_source(text: str, filename: str = "<string>") -> m.IDLFile:
    """Syntax only: the productions of ``text``, unresolved and unchecked."""
    grammar, parser = _parser()
    source = SourceText(filename, text)
    try:
        return grammar.run(parser, source)
    except IDLError as err:
        err.attach_source(text)
        raise


# ------------------------------------------------------------------ the whole front end


def parse_file(
    path: str | os.PathLike[str],
    include_dirs: Iterable[str | os.PathLike[str]] = (),
    cache_dir: str | os.PathLike[str] | None = None,
) -> m.IDLFile:
    """Parse ``path``, follow its includes through ``include_dirs``, check, return the model.

    Included files that have not changed since an earlier call in this process are not parsed
    again (``codegen.cache``); with ``cache_dir`` they are also kept there for other processes.
    """
    from codegen.cache import shared
    from codegen.includes import Loader

    return Loader(include_dirs, cache=shared(cache_dir)).load_root(os.fspath(path))


def parse_string(
    text: str,
    filename: str = "<string>",
    include_dirs: Iterable[str | os.PathLike[str]] = (),
    cache_dir: str | os.PathLike[str] | None = None,
) -> m.IDLFile:
    """Like ``parse_file`` for text held in memory (its includes are still read from disk)."""
    from codegen.cache import shared
    from codegen.includes import Loader

    return Loader(include_dirs, cache=shared(cache_dir)).load_text(text, filename)


_TABLES_HEADER = (
    "# Generated by `python -m codegen.parser`: PLY's LALR tables for codegen/parser.py. Do not edit.\n"
    "# mypy: ignore-errors\n"
)


def write_tables(path: str | os.PathLike[str] | None = None) -> str:
    """Regenerate the LALR tables (after a grammar change) into ``path`` (default
    codegen/_parsetab.py); returns the path written.

    PLY only writes a table module when it cannot import a current one, so it is pointed at
    an empty temporary folder under a module name nothing else uses: it always builds the
    tables afresh there, and the result replaces ``path`` whole, with the header once.
    """
    import sys
    import tempfile

    from codegen.regen import write_atomic

    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_parsetab.py")
    scratch_name = "_codegen_parsetab_scratch"
    with tempfile.TemporaryDirectory(prefix="codegen-tables-") as scratch:
        yacc.yacc(
            module=_Grammar(),
            tabmodule=scratch_name,
            outputdir=scratch,
            write_tables=True,
            debug=False,
            errorlog=yacc.PlyLogger(sys.stderr),
        )
        with open(os.path.join(scratch, scratch_name + ".py"), encoding="utf-8") as fh:
            tables = fh.read()
    tables = tables.replace(f"# {scratch_name}.py\n", "# _parsetab.py\n", 1)
    from pathlib import Path

    write_atomic(Path(path), (_TABLES_HEADER + tables).encode("utf-8"))
    return os.fspath(path)


if __name__ == "__main__":
    print("wrote", write_tables())
