#!/usr/bin/env python3
"""The benchmark table and chart from tlsbench outputs (run by bench/run.sh).

    bench/chart.py --qt QT.OUT... --rs RS.OUT... [--md results.md] [--png results.png]

Each .OUT is the stdout of one tlsbench run ("name value unit" lines, "# library: ...",
"# options: ...", "# failed NAME: why"). Every value is the median over the runs given. Prints the
Markdown table (and writes it with --md); --png draws the ratio of each row as a horizontal bar,
with a vertical mark at the row's target (at 1.0 for reference rows). Needs matplotlib only for
--png.
"""
import argparse
import datetime
import os
import statistics
import sys

# (key, label, how the ratio is made, target). Ratio kinds:
#   "rs/qt"      qssl-rs / Qt of this row
#   "vs-qt:KEY"  qssl-rs of this row / Qt of KEY
#   "vs-tcp:KEY" qssl-rs of this row / qssl-rs of KEY (the same build's plain-TCP figure)
#   None         no ratio (information only)
# Target: (">=" or "<=", value, text) or None (a reference row: ratio shown, nothing to meet).
GE, LE = ">=", "<="
ROWS = [
    ("upload_aes128", "bulk upload, AES-128-GCM, 1 thread", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("download_aes128", "bulk download, AES-128-GCM, 1 thread", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("upload_aes128_cpu", "CPU per GiB, upload AES-128-GCM, 1 thread", "rs/qt", None),
    ("download_aes128_cpu", "CPU per GiB, download AES-128-GCM, 1 thread", "rs/qt", None),
    ("upload_aes128_2t", "bulk upload, AES-128-GCM, 2 threads", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("download_aes128_2t", "bulk download, AES-128-GCM, 2 threads", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("upload_chacha20", "bulk upload, ChaCha20-Poly1305, 1 thread", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("download_chacha20", "bulk download, ChaCha20-Poly1305, 1 thread", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("upload_chacha20_2t", "bulk upload, ChaCha20-Poly1305, 2 threads", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("download_chacha20_2t", "bulk download, ChaCha20-Poly1305, 2 threads", "rs/qt", (GE, 1.3, "≥ 1.3×")),
    ("handshake13", "full handshakes, TLS 1.3", "rs/qt", (GE, 2.5, "≥ 2.5×")),
    ("handshake12", "full handshakes, TLS 1.2", "rs/qt", (GE, 2.5, "≥ 2.5×")),
    ("handshake13_serial", "full handshakes, TLS 1.3, one connection at a time", "rs/qt", (GE, 2.5, "≥ 2.5×")),
    ("resumed13", "resumed handshakes, TLS 1.3 (ratio: vs Qt's full handshake13)", "vs-qt:handshake13",
     (GE, 5.0, "≥ 5× Qt handshake13")),
    ("resumed13_resumed", "handshakes the server resumed", None, None),
    ("memory", "idle memory per encrypted pair", "rs/qt", (LE, 1 / 3, "≤ 1/3")),
    ("roundtrip_p50", "64-byte echo over TLS, median (ratio: vs own plain TCP)", "vs-tcp:roundtrip_tcp_p50",
     (LE, 1.2, "≤ 1.2× plain TCP")),
    ("roundtrip_p99", "64-byte echo over TLS, p99 (ratio: vs own plain TCP)", "vs-tcp:roundtrip_tcp_p99",
     (LE, 1.2, "≤ 1.2× plain TCP")),
    ("upload_tcp", "plain TCP: bulk upload, 1 thread", "rs/qt", None),
    ("download_tcp", "plain TCP: bulk download, 1 thread", "rs/qt", None),
    ("memory_tcp", "plain TCP: idle memory per pair", "rs/qt", None),
    ("roundtrip_tcp_p50", "plain TCP: 64-byte echo, median", "rs/qt", None),
    ("roundtrip_tcp_p99", "plain TCP: 64-byte echo, p99", "rs/qt", None),
]
LOWER_IS_BETTER_UNITS = ("KiB/pair", "us", "CPU-s/GiB")
# What tlsbench adds to a scenario's name for its further results.
SUFFIXES = ("", "_cpu", "_p50", "_p99", "_resumed")


class Program:
    """The runs of one build: per result its values, unit; library line; failures."""

    def __init__(self, paths):
        self.values, self.units, self.failures = {}, {}, {}
        self.library, self.options, self.runs = "?", "", len(paths)
        self.order = []
        for path in paths:
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if line.startswith("# library: "):
                        self.library = line[len("# library: "):]
                    elif line.startswith("# options: "):
                        self.options = line[len("# options: "):]
                    elif line.startswith("# failed "):
                        name, _, why = line[len("# failed "):].partition(": ")
                        self.failures.setdefault(name, []).append(why)
                    elif line and not line.startswith("#"):
                        fields = line.split(" ", 2)
                        if len(fields) < 2:
                            continue
                        try:
                            value = float(fields[1])
                        except ValueError:
                            continue
                        if fields[0] not in self.values:
                            self.order.append(fields[0])
                        self.values.setdefault(fields[0], []).append(value)
                        self.units[fields[0]] = fields[2] if len(fields) > 2 else ""

    @property
    def ssl(self):
        """sslLibraryVersionString() of the program ("Qt; OpenSSL 3.0.2 15 Mar 2022; Qt 6.4.2")."""
        parts = self.library.split("; ")
        return parts[1] if len(parts) == 3 else self.library

    @property
    def qt_version(self):
        parts = self.library.split("; ")
        return parts[2][3:] if len(parts) == 3 and parts[2].startswith("Qt ") else ""

    def median(self, key):
        values = self.values.get(key)
        return statistics.median(values) if values else None

    def failed(self, key):
        """The failure messages of the scenario that gives `key`."""
        for name, why in self.failures.items():
            if any(key == name + suffix for suffix in SUFFIXES):
                return why
        return []


def nproc():
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def fmt(value):
    if value is None:
        return "—"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def build_rows(qt, rs):
    """One dict per row present in either program (known rows first, then any unknown results)."""
    known = {row[0] for row in ROWS}
    extra = [(key, key, "rs/qt", None) for key in qt.order + [k for k in rs.order if k not in qt.order]
             if key not in known]
    rows = []
    for key, label, kind, target in ROWS + extra:
        q, r = qt.median(key), rs.median(key)
        if q is None and r is None and not qt.failed(key) and not rs.failed(key):
            continue   # not selected (--only)
        unit = rs.units.get(key) or qt.units.get(key, "")
        ratio = None
        if kind == "rs/qt" and q and r is not None:
            ratio = r / q
        elif kind and kind.startswith("vs-qt:"):
            base = qt.median(kind[6:])
            ratio = r / base if base and r is not None else None
        elif kind and kind.startswith("vs-tcp:"):
            base = rs.median(kind[7:])
            ratio = r / base if base and r is not None else None
        met = "—"
        if target:
            if ratio is None:
                met = "failed" if rs.failed(key) or (kind == "rs/qt" and qt.failed(key)) else "n/a"
            else:
                met = "yes" if (ratio >= target[1] if target[0] == GE else ratio <= target[1]) else "no"
        rows.append(dict(key=key, label=label, qt=q, rs=r, unit=unit, ratio=ratio, kind=kind, target=target,
                         met=met, qt_failed=qt.failed(key), rs_failed=rs.failed(key),
                         lower=unit in LOWER_IS_BETTER_UNITS))
    return rows


def cell(value, failures):
    if value is None:
        return "failed" if failures else "—"
    return fmt(value) + (f" ({len(failures)} failed)" if failures else "")


def markdown(qt, rs, rows):
    rounds = min(qt.runs, rs.runs)
    lines = [
        f"qssl-rs benchmark, {datetime.date.today().isoformat()}: nproc {nproc()}; median of {rounds} "
        f"round{'s' if rounds != 1 else ''} (Qt and qssl-rs alternating); sslLibraryVersionString: "
        f"Qt build \"{qt.ssl}\", qssl-rs build \"{rs.ssl}\" (Qt {rs.qt_version or qt.qt_version}); "
        f"tlsbench {rs.options or qt.options}",
        "",
        "| scenario | Qt 6.4 | qssl-rs | unit | ratio | target | met |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for row in rows:
        target = row["target"][2] if row["target"] else ("" if row["kind"] is None else "reference")
        ratio = fmt(row["ratio"]) if row["ratio"] is not None else "—"
        if row["ratio"] is not None:
            ratio = f"{row['ratio']:.2f}"
        lines.append(f"| {row['label']} | {cell(row['qt'], row['qt_failed'])} | {cell(row['rs'], row['rs_failed'])} "
                     f"| {row['unit']} | {ratio} | {target} | {row['met']} |")
    lines.append("")
    lines.append("Ratio = qssl-rs / Qt unless the row says otherwise; for memory, latency and CPU rows lower "
                 "is better.")
    for p50 in ("roundtrip_p50", "roundtrip_p99"):
        tcp = p50.replace("roundtrip_", "roundtrip_tcp_")
        if qt.median(p50) and qt.median(tcp):
            lines.append(f"Qt's own TLS / plain TCP echo ({p50[-3:]}): {qt.median(p50) / qt.median(tcp):.2f}.")
    for name, program in (("Qt 6.4", qt), ("qssl-rs", rs)):
        for scenario, why in program.failures.items():
            lines.append(f"{name}: {scenario} failed in {len(why)} of {program.runs} runs: {why[0]}")
    return "\n".join(lines) + "\n"


def chart(qt, rs, rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [row for row in rows if row["kind"] is not None]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(rows) + 1.6))
    ys = list(range(len(rows)))[::-1]
    ratios = [row["ratio"] if row["ratio"] is not None else 0 for row in rows]
    colours = []
    for row in rows:
        if row["ratio"] is None:
            colours.append("#bbbbbb")
        elif not row["target"]:
            colours.append("#8da0cb")
        else:
            colours.append("#4daf4a" if row["met"] == "yes" else "#e41a1c")
    ax.barh(ys, ratios, color=colours, height=0.7)
    marks = [row["target"][1] if row["target"] else 1.0 for row in rows]
    ax.set_xlim(0, max(ratios + marks) * 1.15)
    for y, row, ratio in zip(ys, rows, ratios):
        mark = row["target"][1] if row["target"] else 1.0
        ax.vlines(mark, y - 0.45, y + 0.45, colors="black", linewidth=2 if row["target"] else 1,
                  linestyles="solid" if row["target"] else "dotted")
        text = f"{ratio:.2f}" if row["ratio"] is not None else ("failed" if row["met"] == "failed" else "n/a")
        ax.text(max(ratio, mark) + ax.get_xlim()[1] * 0.01, y, text, va="center", fontsize=8)
    labels = []
    for row in rows:
        arrow = "lower is better" if row["lower"] else "higher is better"
        labels.append(f"{row['label']}\n({arrow}; target {row['target'][2] if row['target'] else 'none'})")
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlabel("ratio qssl-rs / Qt 6.4 unless the row says otherwise (black mark: target; dotted: 1.0)")
    ax.set_title(f"qssl-rs vs Qt 6.4, {datetime.date.today().isoformat()} (median of {min(qt.runs, rs.runs)} "
                 f"round{'s' if min(qt.runs, rs.runs) != 1 else ''}, nproc {nproc()})\nsslLibraryVersionString: Qt build \"{qt.ssl}\", qssl-rs build \"{rs.ssl}\"",
                 fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qt", nargs="+", required=True, help="stdout files of tlsbench_qt runs")
    parser.add_argument("--rs", nargs="+", required=True, help="stdout files of tlsbench_qsslrs runs")
    parser.add_argument("--md", help="write the Markdown table here")
    parser.add_argument("--png", help="draw the chart here (needs matplotlib)")
    args = parser.parse_args()
    qt, rs = Program(args.qt), Program(args.rs)
    rows = build_rows(qt, rs)
    text = markdown(qt, rs, rows)
    sys.stdout.write(text)
    if args.md:
        with open(args.md, "w", encoding="utf-8") as f:
            f.write(text)
    if args.png:
        chart(qt, rs, rows, args.png)


if __name__ == "__main__":
    main()
