#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""ABI check for libQSslRs against the installed libQt6Network (stdlib only).

Qt's public SSL symbols are derived at run time from the installed libQt6Network.so.6: the
symbols under its default `Qt_6` version node whose demangled names belong to QSsl*, QDtls*,
QOcspResponse, QPasswordDigestor or the QSsl namespace (private classes excluded), plus their
operator<<, print, qHash, qRegisterNormalizedMetaType_*, typeinfo and vtable symbols.

The boundary is derived the same way from libQt6Network.so.6 and, when installed,
libQt6WebSockets.so.6: the exported functions outside the SSL family that take one of the SSL
value classes with a d-pointer (a relinked app hands them our objects, or receives Qt's through
them), and QSslSocketPrivate::isMatchingHostname. Deliberate exclusions are listed with their
reasons; Qt signals among them are recognised from the installed public headers (--qt-include),
and the check fails when those cannot tell. (Functions that only return such a class are not
visible in a mangled name.)

Fails when libQSslRs exports
  - anything under a Qt_* version node, or without our QSSLRS_1 node;
  - anything outside those Qt-named families and the boundary (Rust, cxx, C++ runtime leaks);
  - a wrapper of a Qt signal (connect() by address would no longer find Qt's);
  - a Qt-named symbol that Qt does not export at all (signature drift), except the functions of
    our extension header <QSslRs> (namespace QSslRs, qSslRsVersion), which are counted.
Missing public and boundary symbols are listed; with --require-complete they fail the check too.
With --newer-qt, the public SSL symbols and boundary functions that a newer libQt6Network (and
the libQt6WebSockets next to it) added are accepted as exports and reported, for information.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

OUR_NODE = "QSSLRS_1"
QT_PUBLIC_NODE = "Qt_6"
QT_PRIVATE_NODE = "Qt_6_PRIVATE_API"

FAMILY = r"(?:QSsl[A-Za-z0-9_]*|QDtls[A-Za-z0-9_]*|QOcspResponse|QPasswordDigestor)"
PUBLIC_PATTERNS = [
    # members and statics of the classes and the QSsl namespace; RTTI and vtables
    re.compile(r"^(?:typeinfo name for |typeinfo for |vtable for )?(" + FAMILY + r")(?:::|$)"),
    re.compile(r"^operator<<\(QDebug, (" + FAMILY + r")\b"),
    # Qt 6.8 streams QSslError::SslError through this exported friend
    re.compile(r"^print\(QDebug, (" + FAMILY + r")\b"),
    re.compile(r"^qHash\((" + FAMILY + r")\b"),
    re.compile(r"^qRegisterNormalizedMetaType_(?:QList_)?(" + FAMILY + r")\b"),
    # the sequential-container metatype helper Qt exports for QList<QSslError>
    re.compile(r"^QMetaSequence::MetaSequence<QList<(" + FAMILY + r")>\s*>::value$"),
]
# Anything whose name mentions one of the families counts as "Qt-named".
QT_NAMED = re.compile(FAMILY)
# Our extension header's functions (<QSslRs>): names Qt never uses, beside Qt's API.
EXTENSION = re.compile(r"^(?:QSslRs::[A-Za-z]+\(|qSslRsVersion\(\))")

# The SSL value classes that hold a d-pointer: ours and Qt's differ behind the same name, so a
# function of another Qt class that takes one needs a wrapper. Their nested enums (QSslError::
# SslError...), the QSsl:: enums and QSslEllipticCurve (a plain int) need no conversion.
VALUE_TYPE = re.compile(r"\b(?:QSslConfiguration|QSslError|QSslCertificate|QSslKey|QSslCipher"
                        r"|QSslPreSharedKeyAuthenticator|QOcspResponse"
                        r"|QSslDiffieHellmanParameters|QSslCertificateExtension)\b(?!::)")
# Private, but called across the library boundary with our objects: counted in the boundary.
BOUNDARY_INCLUDED = re.compile(r"^QSslSocketPrivate::isMatchingHostname\(")
# Members of the SSL family's own classes, private ones too: ours replace them whole.
IN_FAMILY = re.compile(r"^(?:typeinfo name for |typeinfo for |vtable for )?" + FAMILY
                       + r"(?:::|$)")
# Naming an SSL value class, yet deliberately outside the boundary: (reason, predicate on the
# demangled name, its parameter list or None for data, its version node), checked in order.
BOUNDARY_EXCLUSIONS = [
    ("private TLS plugin interface (qtlsbackend_p.h): only Qt's own TLS plugins call it, on "
     "QtNetwork's internal objects",
     lambda pretty, params, node: re.match(r"^(?:QTlsBackend|QTlsPrivate::)", pretty)),
    ("private backend-plugin API (qnetworkaccessbackend_p.h): for QNAM's own backends only",
     lambda pretty, params, node: pretty.startswith("QNetworkAccessBackend")),
    ("template, RTTI or guard-variable noise: emitted by the compiler, not API",
     lambda pretty, params, node: params is None or not VALUE_TYPE.search(params)
     or re.match(r"^(?:guard variable for |typeinfo |vtable |VTT |construction vtable )",
                 pretty)),
    ("other private API (Qt_6_PRIVATE_API): for Qt's own modules of the same version only",
     lambda pretty, params, node: node == QT_PRIVATE_NODE),
]


def run(cmd, input_text=None):
    return subprocess.run(cmd, input=input_text, capture_output=True, text=True,
                          check=True).stdout


def dynamic_symbols(path):
    """[(mangled, version, default_version, type)] of the defined dynamic symbols."""
    out = run(["nm", "-D", "--defined-only", "--with-symbol-versions", path])
    result = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        sym_type, name = parts[-2], parts[-1]
        # an unversioned library (Debian's QtWebSockets) has one definition per name
        version, default = "", True
        if "@@" in name:
            name, version = name.split("@@", 1)
        elif "@" in name:
            name, version = name.split("@", 1)
            default = False
        if sym_type == "A":
            continue  # a version node's own marker symbol
        if sym_type.islower() and sym_type not in "uvwi":
            continue  # local binding: listed in .dynsym but not exported
        result.append((name, version, default, sym_type))
    return result


def demangle(names):
    if not names:
        return {}
    tool = shutil.which("c++filt")
    if not tool:
        sys.exit("check_abi: c++filt not found")
    names = list(names)
    out = run([tool], "\n".join(names) + "\n").splitlines()
    return dict(zip(names, out))


def is_public(demangled):
    for pattern in PUBLIC_PATTERNS:
        m = pattern.match(demangled)
        if m and not m.group(1).endswith("Private"):
            return True
    return False


def split_function(demangled):
    """(qualified name, parameter list) of a demangled function, or None for data."""
    text = re.sub(r"(?: const| volatile| &&| &)+$", "", demangled)
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return text[:i], text[i + 1:-1]
    return None


def parameters(demangled):
    """The parameter list of a demangled function, or None for data (no trailing list)."""
    parts = split_function(demangled)
    return parts[1] if parts else None


# --- Qt signals, recognised from the installed public headers ------------------------------------

SIGNAL_REASON = ("Qt signal, deliberately not wrapped: connect() matches a signal by its address "
                 "against Qt's moc code, so a wrapper would break it")
# Signals of Qt 6.11 members that the installed (6.4) headers do not declare, so cannot be
# recognised from them (--newer-qt only; there are no 6.11 headers to parse). Keep it to those.
NEWER_QT_SIGNALS = {
    "QWebSocketServer::sslErrorsOccurred",  # Qt 6.8
}

_LEXEME = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_CLASS_HEAD = re.compile(r"\b(?:class|struct)\s+((?:[A-Z][A-Z0-9_]*(?:\([^()]*\))?\s+)*)"
                         r"(\w+)\s*(?:final\s*)?(?::(?!:)[^;{}()]*)?\{")
# an access label at the end of the text before a ':' (Q_SIGNALS, "public Q_SLOTS", ...)
_LABEL = re.compile(r"(?<![\w:])(?:(?:public|protected|private)\s+)?"
                    r"(Q_SIGNALS|signals|Q_SLOTS|slots|public|protected|private)\s*$")
_MACRO = re.compile(r"\s*(?:\[\[.*?\]\]|[A-Z][A-Z0-9]*_[A-Z0-9_]*\b)\s*")
_BUILTIN = {"void", "bool", "char", "short", "int", "long", "unsigned", "signed", "float",
            "double", "wchar_t", "char16_t", "char32_t", "const", "volatile"}
_TYPEDEFS = {"qint8": "signed char", "quint8": "unsigned char", "qint16": "short",
             "quint16": "unsigned short", "qint32": "int", "quint32": "unsigned int",
             "qint64": "long long", "quint64": "unsigned long long", "qlonglong": "long long",
             "qulonglong": "unsigned long long", "qintptr": "long", "quintptr": "unsigned long",
             "qsizetype": "long", "qptrdiff": "long", "qreal": "double", "uint": "unsigned int",
             "ushort": "unsigned short", "ulong": "unsigned long", "uchar": "unsigned char"}


def _skip_group(text, i):
    """The index after the bracket group that opens at text[i] ('(' or '{')."""
    close = {"(": ")", "{": "}"}[text[i]]
    opening, depth = text[i], 0
    for j in range(i, len(text)):
        if text[j] == opening:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _split_top(text):
    """Split a parameter list at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "<([{":
            depth += 1
        elif c in ">)]}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _canonical_type(text):
    """A parameter type spelled comparably in a header and in c++filt's output: qualifiers
    (Ns::) dropped, Qt's integer typedefs resolved, a leading const moved behind the type."""
    t = re.sub(r"\b\w+::", "", text)
    t = re.sub(r"\b\w+\b", lambda m: _TYPEDEFS.get(m.group(0), m.group(0)), t).strip()
    if t.startswith("const "):
        m = re.match(r"const\s+(.*?)\s*([*&\s]*)$", t, re.S)
        t = f"{m.group(1)} const{m.group(2)}"
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"\s*([<>,*&()\[\]])\s*", r"\1", t)
    return re.sub(r"\s*\bconst$", "", t)  # a top-level const is not part of the signature


def canonical_parameters(text, declared):
    """A comparable tuple of parameter types; `declared` strips names and default arguments."""
    out = []
    for p in _split_top(text):
        if declared:
            p = _split_top(p.replace("=", ",", 1))[0] if "=" in p else p
            m = re.match(r"^(.*[\w>*&])\s+([A-Za-z_]\w*)$|^(.*[*&])\s*([A-Za-z_]\w*)$", p, re.S)
            if m:
                head, name = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                # not "unsigned int" nor "const QString": those end with a type, not a name
                if name not in _BUILTIN and set(re.findall(r"\w+", head)) - {"const",
                                                                             "volatile"}:
                    p = head
        if p and p != "void":
            out.append(_canonical_type(p))
    return tuple(out)


def _strip_macros(text):
    while True:
        m = _MACRO.match(text)
        if not m:
            return text
        end = m.end()
        if text[end:end + 1] == "(":
            end = _skip_group(text, end)
        text = text[end:]


class QtHeaders:
    """Member functions declared in the installed public headers of Qt's classes, each marked as
    a signal or not. A class's header is found through the CamelCase forwarding header that Qt
    installs in its module's include directory (QtNetwork/QNetworkReply -> qnetworkreply.h)."""

    def __init__(self, dirs):
        self.dirs = dirs
        self.classes = {}  # qualified class name -> {function name: [(params, is_signal)]}
        self.parsed = set()

    def members(self, cls):
        """The members of a class, or None when no searched header declares it."""
        outer = cls.split("::")[0]
        if outer not in self.parsed:
            self.parsed.add(outer)
            for d in self.dirs:
                forward = os.path.join(d, outer)
                if not os.path.isfile(forward):
                    continue
                with open(forward, encoding="utf-8", errors="replace") as f:
                    includes = re.findall(r'^\s*#\s*include\s+"([^"]+)"', f.read(), re.M)
                for header in includes or [outer]:
                    self._parse(os.path.join(d, header))
                if outer in self.classes:
                    break
        return self.classes.get(cls)

    def _parse(self, path):
        if not os.path.isfile(path):
            return
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        text = _LEXEME.sub(lambda m: " " if m.group(0)[0] == "/" else '""', text)
        text = re.sub(r"\\\n", " ", text)
        text = re.sub(r"^[ \t]*#[^\n]*", "", text, flags=re.M)  # both branches of an #if kept
        pos = 0
        while True:
            m = _CLASS_HEAD.search(text, pos)
            if not m:
                return
            if re.search(r"\benum\s*$", text[:m.start()]):
                pos = m.end()
                continue
            pos = self._parse_body(text, m.end(), m.group(2))

    def _parse_body(self, text, i, cls):
        """Parse the body of class `cls` from text[i] (after its '{'); return the index after
        its '}'."""
        members = self.classes.setdefault(cls, {})
        signal_section = False
        start = i
        while i < len(text):
            c = text[i]
            if c == "(":
                i = _skip_group(text, i)
                continue
            if c == "{":
                head = text[start:i]
                m = _CLASS_HEAD.search(head + "{")
                if m and m.end() == len(head) + 1 and not re.search(r"\benum\s*$",
                                                                    head[:m.start()]):
                    i = self._parse_body(text, i + 1, f"{cls}::{m.group(2)}")
                else:
                    self._record(members, head, signal_section)
                    i = _skip_group(text, i)
                start = i
                continue
            if c == "}":
                return i + 1
            if c == ";":
                self._record(members, text[start:i], signal_section)
                start = i + 1
            elif c == ":" and text[i + 1:i + 2] != ":" and text[i - 1:i] != ":":
                m = _LABEL.search(text, start, i)
                if m and m.end() == i:
                    signal_section = m.group(1) in ("Q_SIGNALS", "signals")
                    start = i + 1
            i += 1
        return i

    @staticmethod
    def _record(members, decl, signal_section):
        decl = decl.strip()
        is_signal = signal_section or bool(re.match(r"Q_SIGNAL\b", decl))
        decl = _strip_macros(decl)
        if not decl or re.match(r"(?:template|typedef|using|friend|enum|class|struct)\b", decl):
            return
        paren = decl.find("(")
        if paren <= 0:
            return
        m = re.search(r"(~?[A-Za-z_]\w*)\s*$", decl[:paren])
        if not m:
            return  # an operator
        params = decl[paren + 1:_skip_group(decl, paren) - 1]
        members.setdefault(m.group(1), []).append(
            (canonical_parameters(params, declared=True), is_signal))

    def classify(self, pretty, newer=False):
        """True when `pretty` (a demangled function) is a Qt signal, False when it is not, or a
        string saying why that cannot be told. With `newer`, `pretty` comes from a newer Qt
        whose headers are not installed: what these headers do not declare is not a signal
        unless NEWER_QT_SIGNALS lists it."""
        parts = split_function(pretty)
        if not parts:
            return False
        qualified, params = parts
        depth, cut = 0, -1
        for i, c in enumerate(qualified):
            if c == "<":
                depth += 1
            elif c == ">":
                depth -= 1
            elif c == ":" and depth == 0 and qualified[i:i + 2] == "::":
                cut = i
        if cut < 0:
            return False  # not a member function
        cls, name = qualified[:cut], qualified[cut + 2:]
        members = self.members(cls)
        declared = (members or {}).get(name, [])
        if newer and not declared:
            return f"{cls}::{name}" in NEWER_QT_SIGNALS
        if members is None:
            return f"class {cls} is not declared in the headers searched"
        signals = [p for p, sig in declared if sig]
        if not signals:
            return False
        if len(signals) == len(declared):
            return True  # every declaration of that name is a signal
        wanted = canonical_parameters(params, declared=False)
        matches = {sig for p, sig in declared if p == wanted}
        if len(matches) == 1:
            return matches.pop()
        if newer:
            return False  # counted, so that it shows
        return (f"{cls}::{name} is declared both as a signal and not, and the parameters "
                f"({params}) match {'both' if matches else 'neither'}")


def include_dirs(given, libraries):
    """The directories searched for Qt's headers: those given (each value a ';' or
    os.pathsep-separated list), else the usual places next to each library's prefix."""
    dirs = []
    for value in given:
        dirs += [d for d in re.split("[;" + os.pathsep + "]", value) if d and d not in dirs]
    if dirs:
        return dirs
    for lib in libraries:
        m = re.match(r"libQt6(\w+)\.so", os.path.basename(lib))
        if not m:
            continue
        module = "Qt" + m.group(1)
        libdir = os.path.dirname(os.path.realpath(lib))
        prefix = os.path.dirname(libdir)
        for base in (os.path.join(prefix, "include"), os.path.join(prefix, "include", "qt6"),
                     os.path.join(os.path.dirname(prefix), "include",
                                  os.path.basename(libdir), "qt6"),
                     os.path.join(os.path.dirname(prefix), "include", "qt6")):
            candidate = os.path.join(base, module)
            if os.path.isdir(candidate) and candidate not in dirs:
                dirs.append(candidate)
    return dirs


class QtLibrary:
    """The exports of one Qt library: default-version symbols, demangled."""

    def __init__(self, path):
        self.path = path
        syms = dynamic_symbols(path)
        self.all = {name for name, _, _, _ in syms}
        self.node = {name: ver for name, ver, dflt, _ in syms if dflt}
        self.dm = demangle(sorted(self.node))

    def public(self):
        return {n for n, ver in self.node.items()
                if ver == QT_PUBLIC_NODE and is_public(self.dm[n])}

    def boundary(self, is_signal):
        """(included {mangled: kind}, excluded {mangled: reason}, undecided {demangled: why}).
        is_signal(demangled) is QtHeaders.classify: True, False, or why it cannot tell."""
        included, excluded, undecided = {}, {}, {}
        for name, ver in self.node.items():
            pretty = self.dm[name]
            if BOUNDARY_INCLUDED.match(pretty):
                included[name] = "private, called with our objects"
                continue
            if IN_FAMILY.match(pretty) or is_public(pretty) or not VALUE_TYPE.search(pretty):
                continue
            params = parameters(pretty)
            reason = next((reason for reason, excluded_by in BOUNDARY_EXCLUSIONS
                           if excluded_by(pretty, params, ver)), None)
            if reason:
                excluded[name] = reason
                continue
            signal = is_signal(pretty)
            if signal is True:
                excluded[name] = SIGNAL_REASON
            elif signal is False:
                included[name] = "takes an SSL value class"
            else:
                undecided[pretty] = signal
        return included, excluded, undecided


# Exports Qt does not have, on purpose. Each overrides a virtual of QAbstractSocket that Qt's own
# QSslSocket leaves alone (Qt reaches private state instead); the vtable slots are the base's, so
# code compiled against Qt's headers is unaffected, but code compiled against ours may call them
# directly (a call on a QSslSocket object is devirtualized), so they must be exported.
INTENTIONAL_EXTRAS = {
    "QSslServer::nextPendingConnection()",
    "QSslSocket::socketDescriptor() const",
    "QSslSocket::bind(QHostAddress const&, unsigned short, QFlags<QAbstractSocket::BindFlag>)",
}

# API that Qt added after the installed Qt (6.4), which we export so that an app built on newer
# headers gets ours. With --newer-qt each is checked against the newer library's own exports;
# without it (offline, nothing unpacked yet) this list stands in for that library.
NEWER_QT_API = {
    "QSslCertificate::fromFile(QString const&, QSsl::EncodingFormat)",      # 6.10
    "print(QDebug, QSslError::SslError)",                                    # 6.8
    "QNetworkRequestFactory::setSslConfiguration(QSslConfiguration const&)", # 6.7
    "QDnsLookup::setSslConfiguration(QSslConfiguration const&)",             # 6.8
}


def next_to(path, basename):
    candidate = os.path.join(os.path.dirname(path), basename)
    return candidate if os.path.exists(candidate) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qt", required=True, help="the installed libQt6Network.so.6")
    ap.add_argument("--qt-websockets",
                    help="the installed libQt6WebSockets.so.6 (default: next to --qt, if there)")
    ap.add_argument("--ours", required=True, help="libQSslRs.so")
    ap.add_argument("--qt-include", action="append", default=[],
                    help="a directory holding Qt's public headers (QtNetwork/, QtWebSockets/), "
                         "where signals are recognised; repeatable, each a ';'-separated list "
                         "(default: the include directories next to the libraries' prefix)")
    ap.add_argument("--require-complete", action="store_true",
                    help="fail when a public Qt SSL symbol or a boundary function is missing")
    ap.add_argument("--newer-qt",
                    help="a newer libQt6Network.so.6: accept and report what it added (ignored "
                         "while absent)")
    ap.add_argument("--list-public", action="store_true",
                    help="print the derived public list (mangled) and exit")
    args = ap.parse_args()

    network = QtLibrary(args.qt)
    public = sorted(network.public())
    if args.list_public:
        print("\n".join(public))
        return 0
    if not public:
        print(f"check_abi: no public SSL symbols found in {args.qt}")
        return 1
    public_set = set(public)

    qt_libs = [network]
    websockets = args.qt_websockets or next_to(args.qt, "libQt6WebSockets.so.6")
    if websockets:
        qt_libs.append(QtLibrary(websockets))
    else:
        print("QtWebSockets is not installed: its boundary is not checked")
    qt_all = set().union(*(lib.all for lib in qt_libs))
    # Signals are not wrapped (see SIGNAL_REASON): told apart by the installed headers, and the
    # check fails rather than count differently when those cannot tell.
    headers = QtHeaders(include_dirs(args.qt_include, [lib.path for lib in qt_libs]))
    boundary, excluded, undecided, dm = {}, {}, {}, {}
    for lib in qt_libs:
        inc, exc, und = lib.boundary(headers.classify)
        boundary.update({n: (kind, lib.path) for n, kind in inc.items()})
        excluded.update(exc)
        undecided.update(und)
        dm.update(lib.dm)
    if undecided:
        print("check_abi: cannot tell from Qt's headers whether these boundary functions are "
              "signals (pass the directories holding QtNetwork's and QtWebSockets' public "
              "headers with --qt-include):")
        for pretty in sorted(undecided):
            print(f"  {pretty}: {undecided[pretty]}")
        print("  headers searched in: " + (", ".join(headers.dirs) or "(none found)"))
        print("ABI check: FAILED")
        return 1

    # What a newer Qt added may be exported already (its mangled names, under our node).
    additions = newer_additions(args.newer_qt, network, qt_libs[1:], headers) \
        if args.newer_qt else None
    newer_known = set(additions[0]) | set(additions[1]) if additions else set()
    signals = {n for n, reason in excluded.items() if reason == SIGNAL_REASON}
    if additions:
        signals |= set(additions[2])

    ours = dynamic_symbols(args.ours)
    ours_dm = demangle(sorted({name for name, _, _, _ in ours}))
    problems = []
    provided = set()
    provided_boundary = set()
    not_public = []
    extensions = []
    for name, version, default, _ in ours:
        pretty = ours_dm.get(name, name)
        if version.startswith("Qt_"):
            problems.append(f"under Qt's version node {version}: {pretty}")
        elif version != OUR_NODE or not default:
            problems.append(f"not under {OUR_NODE} (version '{version or 'none'}'): {pretty}")
        if name in boundary:
            provided_boundary.add(name)
            continue
        if name in signals:
            problems.append(f"a Qt signal, whose wrapper breaks connect() by address: {pretty}")
            continue
        if name in newer_known:
            continue
        if EXTENSION.match(pretty):
            extensions.append(pretty)
            continue
        if additions is None and pretty in NEWER_QT_API:
            continue
        if not QT_NAMED.search(pretty):
            problems.append(f"not a Qt SSL name (Rust/cxx/runtime leak?): {name} [{pretty}]")
            continue
        if name not in qt_all and pretty in INTENTIONAL_EXTRAS:
            continue
        if name not in qt_all:
            hint = " Or API of a newer Qt, not unpacked yet by newer_qt_runtime?" \
                if args.newer_qt and additions is None else ""
            problems.append(f"Qt does not export this (signature drift?{hint}): {pretty}")
            continue
        if name in public_set:
            provided.add(name)
        else:
            not_public.append(pretty)

    missing = [n for n in public if n not in provided]
    missing_boundary = sorted((n for n in boundary if n not in provided_boundary),
                              key=lambda n: dm[n])
    print(f"ABI coverage: {len(provided)} of {len(public)}")
    print(f"boundary coverage: {len(provided_boundary)} of {len(boundary)}")
    print(f"extension functions (<QSslRs>): {len(extensions)}")
    if not_public:
        print(f"exported, known to Qt but outside its public SSL list ({len(not_public)}):")
        for p in sorted(not_public):
            print(f"  {p}")
    if missing:
        print(f"missing ({len(missing)}):")
        for n in missing:
            print(f"  {dm[n]}    [{n}]")
    if missing_boundary:
        print(f"boundary missing ({len(missing_boundary)}):")
        for n in missing_boundary:
            kind, lib = boundary[n]
            print(f"  {dm[n]}    [{n}]  ({os.path.basename(lib)}; {kind})")
    if excluded:
        print(f"boundary exclusions ({len(excluded)}):")
        for reason in [SIGNAL_REASON] + [reason for reason, _ in BOUNDARY_EXCLUSIONS]:
            names = sorted(dm[n] for n, r in excluded.items() if r == reason)
            if names:
                print(f"  {reason}:")
                for p in names:
                    print(f"    {p}")
    if args.newer_qt:
        exported = {name for name, version, default, _ in ours
                    if version == OUR_NODE and default}
        report_newer(args.newer_qt, additions, exported)
    if problems:
        print(f"ABI problems ({len(problems)}):")
        for p in sorted(set(problems)):
            print(f"  {p}")
    failed = bool(problems) or (args.require_complete and bool(missing or missing_boundary))
    print("ABI check: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def newer_additions(path, network, websockets, headers):
    """({mangled: demangled} of the public SSL symbols, of the boundary functions, and of the
    signals taking an SSL value class that a newer libQt6Network (and the libQt6WebSockets next
    to it) added), or None when it is not there. Signals are told apart by the installed headers
    (the newer Qt ships none) and, for members those do not declare, NEWER_QT_SIGNALS."""
    if not os.path.exists(path):
        return None

    def classify(pretty):
        return headers.classify(pretty, newer=True)

    def boundary(lib, known):
        inc, exc, _ = lib.boundary(classify)
        return ({n: lib.dm[n] for n in inc if n not in known},
                {n: lib.dm[n] for n, reason in exc.items()
                 if reason == SIGNAL_REASON and n not in known})

    newer = QtLibrary(path)
    added = {n: newer.dm[n] for n in newer.public() - network.all}
    added_boundary, added_signals = boundary(newer, network.all)
    newer_ws = next_to(path, "libQt6WebSockets.so.6")
    if newer_ws:
        inc, sig = boundary(QtLibrary(newer_ws), set().union(*(lib.all for lib in websockets)))
        added_boundary.update(inc)
        added_signals.update(sig)
    return added, added_boundary, added_signals


def report_newer(path, additions, exported):
    if additions is None:
        print(f"newer Qt coverage: skipped, {path} is not there (the newer_qt_runtime test "
              "unpacks it)")
        return
    for title, added in zip(("newer Qt coverage", "newer Qt boundary coverage"), additions):
        print(f"{title}: {sum(n in exported for n in added)} of {len(added)}"
              f" ({os.path.dirname(path)})")
        for n in sorted(added, key=added.get):
            print(f"  {'ok     ' if n in exported else 'missing'} {added[n]}    [{n}]")
    signals = additions[2]
    if signals:
        print(f"newer Qt boundary exclusions ({len(signals)}):")
        print(f"  {SIGNAL_REASON}:")
        for n in sorted(signals, key=signals.get):
            print(f"    {signals[n]}")


if __name__ == "__main__":
    sys.exit(main())
