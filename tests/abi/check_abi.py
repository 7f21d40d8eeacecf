#!/usr/bin/env python3
"""ABI check for libQSslRs against the installed libQt6Network (stdlib only).

Qt's public SSL symbols are derived at run time from the installed libQt6Network.so.6: the
symbols under its default `Qt_6` version node whose demangled names belong to QSsl*, QDtls*,
QOcspResponse, QPasswordDigestor or the QSsl namespace (private classes excluded), plus their
operator<<, qHash, qRegisterNormalizedMetaType_*, typeinfo and vtable symbols.

Fails when libQSslRs exports
  - anything under a Qt_* version node, or without our QSSLRS_1 node;
  - anything outside those Qt-named families (Rust, cxx, C++ runtime leaks);
  - a Qt-named symbol that libQt6Network does not export at all (signature drift).
Missing public symbols are listed; with --require-complete they fail the check too.
"""

import argparse
import re
import shutil
import subprocess
import sys

OUR_NODE = "QSSLRS_1"
QT_PUBLIC_NODE = "Qt_6"

FAMILY = r"(?:QSsl[A-Za-z0-9_]*|QDtls[A-Za-z0-9_]*|QOcspResponse|QPasswordDigestor)"
PUBLIC_PATTERNS = [
    # members and statics of the classes and the QSsl namespace; RTTI and vtables
    re.compile(r"^(?:typeinfo name for |typeinfo for |vtable for )?(" + FAMILY + r")(?:::|$)"),
    re.compile(r"^operator<<\(QDebug, (" + FAMILY + r")\b"),
    re.compile(r"^qHash\((" + FAMILY + r")\b"),
    re.compile(r"^qRegisterNormalizedMetaType_(?:QList_)?(" + FAMILY + r")\b"),
    # the sequential-container metatype helper Qt exports for QList<QSslError>
    re.compile(r"^QMetaSequence::MetaSequence<QList<(" + FAMILY + r")>\s*>::value$"),
]
# Anything whose name mentions one of the families counts as "Qt-named".
QT_NAMED = re.compile(FAMILY)


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
        version, default = "", False
        if "@@" in name:
            name, version = name.split("@@", 1)
            default = True
        elif "@" in name:
            name, version = name.split("@", 1)
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
    out = run([tool], "\n".join(names) + "\n").splitlines()
    return dict(zip(names, out))


def is_public(demangled):
    for pattern in PUBLIC_PATTERNS:
        m = pattern.match(demangled)
        if m and not m.group(1).endswith("Private"):
            return True
    return False


# Exports Qt does not have, on purpose. Each overrides a virtual of QAbstractSocket that Qt's own
# QSslSocket leaves alone (Qt reaches private state instead); the vtable slots are the base's, so
# code compiled against Qt's headers is unaffected, but code compiled against ours may call them
# directly (a call on a QSslSocket object is devirtualized), so they must be exported.
INTENTIONAL_EXTRAS = {
    "QSslSocket::socketDescriptor() const",
    "QSslSocket::bind(QHostAddress const&, unsigned short, QFlags<QAbstractSocket::BindFlag>)",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qt", required=True, help="the installed libQt6Network.so.6")
    ap.add_argument("--ours", required=True, help="libQSslRs.so")
    ap.add_argument("--require-complete", action="store_true",
                    help="fail when a public Qt SSL symbol is missing")
    ap.add_argument("--list-public", action="store_true",
                    help="print the derived public list (mangled) and exit")
    args = ap.parse_args()

    qt_syms = dynamic_symbols(args.qt)
    qt_all = {name for name, _, _, _ in qt_syms}
    qt_default = sorted({name for name, ver, dflt, _ in qt_syms
                         if ver == QT_PUBLIC_NODE and dflt})
    dm = demangle(qt_default)
    public = sorted(n for n in qt_default if is_public(dm[n]))
    if args.list_public:
        print("\n".join(public))
        return 0
    if not public:
        print(f"check_abi: no public SSL symbols found in {args.qt}")
        return 1
    public_set = set(public)

    ours = dynamic_symbols(args.ours)
    ours_dm = demangle(sorted({name for name, _, _, _ in ours}))
    problems = []
    provided = set()
    not_public = []
    for name, version, default, _ in ours:
        pretty = ours_dm.get(name, name)
        if version.startswith("Qt_"):
            problems.append(f"under Qt's version node {version}: {pretty}")
        elif version != OUR_NODE or not default:
            problems.append(f"not under {OUR_NODE} (version '{version or 'none'}'): {pretty}")
        if not QT_NAMED.search(pretty):
            problems.append(f"not a Qt SSL name (Rust/cxx/runtime leak?): {name} [{pretty}]")
            continue
        if name not in qt_all and pretty in INTENTIONAL_EXTRAS:
            continue
        if name not in qt_all:
            problems.append(f"Qt does not export this (signature drift?): {pretty}")
            continue
        if name in public_set:
            provided.add(name)
        else:
            not_public.append(pretty)

    missing = [n for n in public if n not in provided]
    print(f"ABI coverage: {len(provided)} of {len(public)}")
    if not_public:
        print(f"exported, known to Qt but outside its public SSL list ({len(not_public)}):")
        for p in sorted(not_public):
            print(f"  {p}")
    if missing:
        print(f"missing ({len(missing)}):")
        for n in missing:
            print(f"  {dm[n]}    [{n}]")
    if problems:
        print(f"ABI problems ({len(problems)}):")
        for p in sorted(set(problems)):
            print(f"  {p}")
    failed = bool(problems) or (args.require_complete and bool(missing))
    print("ABI check: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
