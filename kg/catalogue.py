"""The stored questions in ``queries/``: each ``NAME.rq`` with its header and parameters.

A stored query opens with a comment header that says what it is for::

    # title: Assistance standards and their growth
    # title@zh: 保障标准及其增长
    # question: Which assistance standards did the notice report, ...?
    # question@zh: 通知报告了哪些保障标准……？
    # columns: standard, value, unit, period, growth
    # param: lang (language, default en): language of the labels, en or zh
    # param: min_rate (decimal, default 10): smallest growth rate, in percent

Names say what a query is for: ``check-*`` queries are data-quality checks
(no rows means healthy), ``construct-*`` queries build triples, the rest are
questions. Parameters are bound as values (SPARQL variables ``?lang``,
``?min_rate``), never pasted into the query text.

>>> q = load("standards")
>>> q.kind, [p.name for p in q.params][:1]
('question', ['lang'])
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import XSD

from kg import resources
from kg.errors import InputError, UnknownNameError
from kg.namespaces import PREFIXES

PARAM_TYPES = ("language", "iri", "decimal", "integer", "string")
LANGUAGES = ("en", "zh")

_HEADER = re.compile(r"^#\s*([a-z]+(?:@[a-z]+)?)\s*:\s*(.*?)\s*$")
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s", re.IGNORECASE | re.MULTILINE)
_DEFAULT_LINE = re.compile(r"^[ \t]*OPTIONAL\s*\{\s*BIND\s*\(", re.MULTILINE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
#: IRI schemes written without ``//`` that a value may use unbracketed (``urn:x``); any other
#: ``name:local`` is taken for a prefixed name, and an unknown prefix is an error, not an IRI.
_SCHEMES = {"urn", "mailto", "tag", "info", "doi", "did", "data", "geo", "tel", "isbn"}
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)(?:,\s*default\s+(?P<default>[^)]*))?\)"
    r"\s*:\s*(?P<doc>.*)$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str

    def bind(self, raw: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value given on the command line, checked against the type."""
        if self.type == "language":
            if raw not in LANGUAGES:
                raise InputError(f"--param {self.name}: language must be one of {LANGUAGES}")
            return ox.Literal(raw)
        if self.type == "iri":
            return iri_term(raw, f"--param {self.name}")
        if self.type in ("decimal", "integer"):
            try:
                number = Decimal(raw)
            except InvalidOperation as error:
                raise InputError(f"--param {self.name}: not a number: {raw!r}") from error
            if not number.is_finite() or abs(number.adjusted()) > 30:
                raise InputError(f"--param {self.name}: not a usable number: {raw!r}")
            if self.type == "integer":
                if number != number.to_integral_value():
                    raise InputError(f"--param {self.name}: not a whole number: {raw!r}")
                lexical = str(int(number))
            else:
                lexical = format(number, "f")  # xsd:decimal has no exponent form
            return ox.Literal(lexical, datatype=ox.NamedNode(str(XSD[self.type])))
        return ox.Literal(raw)


def expand(raw: str, what: str) -> str:
    """A prefixed name (``grp:orphans``) or an IRI (``<https://...>``, ``urn:x``) as a full IRI.

    >>> expand("grp:orphans", "--param group")
    'https://w3id.org/mca-kg/concept/group/orphans'
    >>> expand("grpp:orphans", "--param group")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.InputError: --param group: unknown prefix 'grpp:' ... (did you mean 'grp:'? ...)
    """
    text = raw.strip()
    bracketed = text.startswith("<") and text.endswith(">")
    if bracketed:
        text = text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not bracketed:
        if re.fullmatch(r"[A-Za-z0-9_.-]+", local):
            return PREFIXES[prefix] + local
        raise InputError(f"{what}: not a prefixed name: {raw!r}")
    if sep and not bracketed and "//" not in local and prefix.lower() not in _SCHEMES:
        close = difflib.get_close_matches(prefix, sorted(PREFIXES), n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}:'? " if close else ""
        raise InputError(
            f"{what}: unknown prefix '{prefix}:' in {raw!r} ({hint}a full IRI goes in <...>)"
        )
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$", text):
        if any(c in text for c in ' <>"{}|\\^`') or re.fullmatch(r"[a-z+.-]+://", text):
            raise InputError(f"{what}: not a valid IRI: {raw!r}")
        return text
    raise InputError(f"{what}: not an IRI or a known prefixed name: {raw!r}")


def iri_term(raw: str, what: str) -> ox.NamedNode:
    """The IRI of :func:`expand` as an RDF term, refused in one line if Oxigraph refuses it."""
    try:
        return ox.NamedNode(expand(raw, what))
    except ValueError as error:
        raise InputError(f"{what}: not a valid IRI: {raw!r} ({error})") from error


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    header: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.name.startswith("check-"):
            return "check"
        if self.name.startswith("construct-"):
            return "construct"
        return "question"

    def title(self, lang: str = "en") -> str:
        return self.header.get(f"title@{lang}") or self.header.get("title", self.name)

    def question(self, lang: str = "en") -> str:
        return self.header.get(f"question@{lang}") or self.header.get("question", "")

    @property
    def columns(self) -> list[str]:
        return [c.strip() for c in self.header.get("columns", "").split(",") if c.strip()]

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UnknownNameError(f"query {self.name!r} has no parameter {name!r} (it has: {known})")

    def prebound(self, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The query ready to run anywhere, its parameters bound by a ``VALUES`` block.

        The block opens the WHERE clause, before the parameters' defaults (each an
        ``OPTIONAL { BIND (default AS ?name) }``, which a bound value overrides), so
        every pattern and filter sees the values. They are RDF terms checked by type
        and written by Oxigraph's serializer: no text of the user's becomes query
        syntax. This is how values reach an endpoint, Jena and ``kg query --show``.
        A query file that declares no prefixes gets kg's.
        """
        text = self.text
        if not _PREFIX_LINE.search(text):
            text = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + text
        if not bindings:
            return text
        block = values_block(bindings)
        default = _DEFAULT_LINE.search(text)
        if default is not None:
            return f"{text[: default.start()]}  {block}\n{text[default.start() :]}"
        where = _WHERE.search(text, _body_start(text))
        if where is None:
            raise InputError(f"{self.path}: parameters need a WHERE {{ ... }} clause to bind into")
        return f"{text[: where.end()]}\n  {block}{text[where.end() :]}"

    def bindings(self, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Every parameter bound: the given values, else the defaults."""
        for name in given:
            self.param(name)
        bound = {}
        for param in self.params:
            raw = given.get(param.name, param.default)
            if raw is not None:
                bound[param.name] = param.bind(raw)
        return bound


def values_block(bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """A SPARQL ``VALUES`` block of terms serialised by Oxigraph (N-Triples syntax).

    >>> print(values_block({"lang": ox.Literal('x" } ; DROP ALL ; { "')}))
    VALUES (?lang) { ("x\\" } ; DROP ALL ; { \\"") }
    """
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


def _body_start(text: str) -> int:
    """Where the query starts after its header of comment lines."""
    position = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        position += len(line)
    return position


def parse(path: Path, text: str | None = None) -> StoredQuery:
    """Read a query file and its header (the leading ``# key: value`` lines)."""
    try:
        # utf-8-sig: a byte-order mark, as Windows editors write, is not part of the query
        text = path.read_text(encoding="utf-8-sig") if text is None else text
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except (IsADirectoryError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a readable UTF-8 query file") from error
    except OSError as error:  # a loop of links, no permission, an I/O error
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from error
    if not text.strip():
        raise InputError(f"{path}: empty query file")
    query = StoredQuery(name=path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            param = _PARAM.match(value)
            if not param or param["type"] not in PARAM_TYPES:
                raise InputError(f"{path}: malformed parameter line: {value!r}")
            default = param["default"].strip().strip('"') if param["default"] else None
            query.params.append(Param(param["name"], param["type"], default, param["doc"]))
        else:
            query.header[key] = value
    return query


def check_registry() -> dict[str, dict[str, object]]:
    """``queries/checks.toml``: which checks are live, and how severe their findings are."""
    path = resources.queries_dir() / "checks.toml"
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: {error}") from error


def names() -> list[str]:
    return sorted(path.stem for path in resources.queries_dir().glob("*.rq"))


def all_queries() -> list[StoredQuery]:
    return [parse(path) for path in sorted(resources.queries_dir().glob("*.rq"))]


def load(name_or_file: str) -> StoredQuery:
    """A stored query by name, or a query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" or path.exists() or "/" in name_or_file:
        return parse(path)
    stored = resources.queries_dir() / f"{name_or_file}.rq"
    if stored.is_file():
        return parse(stored)
    close = difflib.get_close_matches(name_or_file, names(), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `kg list` shows them all"
    raise UnknownNameError(f"no stored query named {name_or_file!r}{hint}")
