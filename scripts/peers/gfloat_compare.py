#!/usr/bin/env python3
# scripts/peers/gfloat_compare.py - checks the output of softnum_dump.cpp against gfloat
# (github.com/graphcore-research/gfloat), the peer implementation of OCP FP8/FP6/FP4/E8M0,
# IEEE P3109 formats and OCP MX blocks. See docs/peers.md for what is compared and the results.
# SPDX-License-Identifier: MIT
#
# Usage: gfloat_compare.py GFLOAT_SRC_DIR DUMP_FILE [--examples N]
#   GFLOAT_SRC_DIR: the directory that holds gfloat's package (a checkout's src/).
# Exits 77 (skip) when gfloat cannot be imported, 0 when every difference falls in a class that
# docs/peers.md explains, 1 when some difference is unexplained.
import math
import re
import sys
import types
from collections import defaultdict

import numpy as np


def load_gfloat(src):
    sys.path.insert(0, src)
    try:
        import array_api_compat  # noqa: F401
    except ImportError:
        # gfloat needs array_api_compat only to find the array namespace: NumPy here.
        shim = types.ModuleType("array_api_compat")
        shim.array_namespace = lambda *xs: np
        shim.is_numpy_array = lambda x: isinstance(x, (np.ndarray, np.generic))
        shim.is_torch_array = lambda x: False
        shim.is_jax_array = lambda x: False
        sys.modules["array_api_compat"] = shim
    try:
        import gfloat
        import gfloat.formats
    except ImportError as e:
        print(f"gfloat_compare: gfloat not importable from {src!r} ({e}); skipped")
        sys.exit(77)
    return gfloat


def main():
    args, n_examples = sys.argv[1:], 4
    if len(args) == 4 and args[2] == "--examples":
        args, n_examples = args[:2], int(args[3])
    if len(args) != 2:
        print("usage: gfloat_compare.py GFLOAT_SRC_DIR DUMP_FILE [--examples N]", file=sys.stderr)
        sys.exit(2)
    gf = load_gfloat(args[0])
    F = gf.formats
    FI, Domain, Sg, RM = gf.FormatInfo, gf.Domain, gf.Signedness, gf.RoundMode

    def custom(name, k, p, bias, signed, domain, has_nz, high_nans):
        return FI(name, k, p, bias=bias, is_signed=signed, domain=domain, has_nz=has_nz,
                  num_high_nans=high_nans, has_subnormals=True, is_twos_complement=False)

    formats = {
        "float8_e4m3fn": F.format_info_ocp_e4m3,
        "float8_e5m2": F.format_info_ocp_e5m2,
        "float6_e2m3fn": F.format_info_ocp_e2m3,
        "float6_e3m2fn": F.format_info_ocp_e3m2,
        "float4_e2m1fn": F.format_info_ocp_e2m1,
        "float8_e8m0fnu": F.format_info_ocp_e8m0,
        "fixed2_6": F.format_info_ocp_int8,
        "binary16": F.format_info_binary16,
        "bfloat16": F.format_info_bfloat16,
        # gfloat has no named descriptor for these; its generic FormatInfo describes them.
        "float8_ue4m3": custom("ue4m3", 7, 4, 7, False, Domain.Finite, False, 1),
        "float8_e4m3": custom("e4m3", 8, 4, 7, True, Domain.Extended, True, 7),
        "float8_e4m3fnuz": custom("e4m3fnuz", 8, 4, 8, True, Domain.Finite, False, 0),
        "float8_e5m2fnuz": custom("e5m2fnuz", 8, 3, 16, True, Domain.Finite, False, 0),
        "float8_e4m3b11fnuz": custom("e4m3b11fnuz", 8, 4, 11, True, Domain.Finite, False, 0),
        "float8_e3m4": custom("e3m4", 8, 5, 3, True, Domain.Extended, True, 15),
    }
    blocks = {
        "mxfp8_e4m3": F.format_info_mxfp8_e4m3,
        "mxfp8_e5m2": F.format_info_mxfp8_e5m2,
        "mxfp6_e3m2": F.format_info_mxfp6_e3m2,
        "mxfp6_e2m3": F.format_info_mxfp6_e2m3,
        "mxfp4": F.format_info_mxfp4_e2m1,
        "mxint8": F.format_info_mxint8,
    }
    p3109_re = re.compile(r"binary(\d+)p(\d+)([su])([ef])$")

    def fmt(name):
        if name not in formats:
            m = p3109_re.match(name)
            formats[name] = F.format_info_p3109(
                int(m[1]), int(m[2]), Sg.Signed if m[3] == "s" else Sg.Unsigned,
                Domain.Extended if m[4] == "e" else Domain.Finite)
        return formats[name]

    modes = {"rne": RM.TiesToEven, "rna": RM.TiesToAway, "rtz": RM.TowardZero,
             "up": RM.TowardPositive, "down": RM.TowardNegative, "odd": RM.ToOdd,
             "srA": RM.StochasticFastest, "srB": RM.StochasticFast, "srC": RM.Stochastic}

    def num(v):
        return float.fromhex(v) if "x" in v else float(v)

    def same(a, b):
        if isinstance(a, str) or isinstance(b, str):
            return a == b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)

    def show(v):
        return v if isinstance(v, str) else (float.hex(v) if math.isfinite(v) else str(v))

    def gf_round(fi, x, mode, sat):
        srbits, srnumbits = -1, 0
        if mode.startswith("sr"):
            mode, n, r = mode.split(":")
            srnumbits, srbits = int(n), int(r)
        if sat == "propagate":  # P3109 SatPropagate, not in gfloat: SatFinite except for infinities
            keep_inf = (fi.domain == Domain.Extended and math.isinf(x) and (x > 0 or fi.is_signed))
            gsat = not keep_inf
        else:
            gsat = sat in ("sat", "finite")
        try:
            return float(gf.round_float(fi, x, modes[mode], gsat, srbits, srnumbits))
        except ValueError:
            return "ValueError"

    def classify(kind, name, sat, mode, x, ours, theirs):
        """The class of a known, explained difference (docs/peers.md), or None."""
        if kind == "R":
            fi = fmt(name)
            p3109 = name.startswith("binary") and sat in ("none", "finite", "propagate")
            num = isinstance(theirs, float)
            if theirs == "ValueError":
                return "gfloat undefined: raises ValueError (NaN into FP6/FP4, or overflow with sat=False)"
            if not fi.is_signed and (x < 0 or (x == 0 and math.copysign(1, x) < 0)):
                return "gfloat undefined: negative input to an unsigned format keeps its sign"
            if not fi.has_zero and num and math.isfinite(theirs) and theirs != 0 and abs(theirs) < fi.min:
                return "gfloat undefined: below E8M0's smallest value, not clamped"
            if not fi.has_zero and theirs == 0:
                return "gfloat undefined: zero into E8M0 (no zero code) returns 0"
            if mode == "rna" and num and math.isfinite(theirs) and abs(theirs) > abs(ours) \
                    and abs(x) < (abs(ours) + abs(theirs)) / 2:
                return "gfloat bug: TiesToAway rounds up a value below the midpoint (delta + 0.5 >= 1.0 in double)"
            if p3109 and sat == "none" and fi.domain == Domain.Finite and num and math.isnan(theirs) \
                    and not math.isnan(x):
                return "interpretation: P3109 SatNone, Finite domain: v4.0 M_hi (softnum), v3 NaN (gfloat)"
            if p3109 and sat == "none" and mode == "odd" and not fi.is_signed \
                    and fi.domain == Domain.Extended and theirs == math.inf and math.isfinite(x):
                return "interpretation: P3109 SatNone ToOdd, unsigned Extended: v4.0 M_hi (softnum), gfloat inf"
            if not p3109 and mode == "odd" and math.isfinite(x) and abs(ours) == fi.max and num \
                    and (math.isinf(theirs) or math.isnan(theirs)):
                return "interpretation: ToOdd overflow in a non-P3109 format: softnum largest finite, gfloat inf/NaN"
            if sat == "sat" and math.isinf(x) and math.isinf(ours) and num and abs(theirs) == fi.max:
                return "softnum deviation: OFP8 SAT maps +-inf to +-max (gfloat, CUDA satfinite); " \
                       "softnum's Overflow::saturate keeps an exact infinity"
        if kind == "B":
            if "inf" in x.split() or "-inf" in x.split():
                return "interpretation: MX block with an infinity: softnum NaN scale (microxcaling), gfloat 2^127"
            if "nan" in x.split() and theirs == "ValueError":
                return "gfloat undefined: MX block with a NaN raises ValueError (FP6/FP4/INT8 have no NaN)"
            if name == "mxint8" and isinstance(theirs, float) and theirs < 0 and theirs == ours * 128 / 127:
                return "interpretation: MXINT8 -2 (code 0x80): gfloat uses it, softnum clamps to -127/64"
        return None

    # name -> [count, mismatches, examples]; classes -> count
    stats = defaultdict(lambda: [0, 0, []])
    classes = defaultdict(int)
    unexplained = 0
    order = []
    with open(args[1]) as f:
        for line in f:
            t = line.split()
            kind = t[0]
            if kind == "F":
                continue
            if kind == "D":
                name, code, ours = t[1], int(t[2]), num(t[3])
                key = (name, "decode", "")
                theirs = float(gf.decode_float(fmt(name), code).fval)
                detail = f"code 0x{code:x}"
                sat = mode = ""
                x = None
            elif kind == "R":
                name, sat, mode = t[1], t[2], t[3]
                x = num(t[4])
                ours = num(t[5])
                key = (name, "round " + sat, "sr" if mode.startswith("sr") else "")
                theirs = gf_round(fmt(name), x, mode, sat)
                detail = f"{mode} {show(x)}"
            else:  # B
                name, rule, mode, bid = t[1], t[2], t[3], t[4]
                sat = rule
                scale = num(t[5])
                xi, yi = t.index("x"), t.index("y")
                xs = [num(v) for v in t[xi + 1:yi]]
                ys = [num(v) for v in t[yi + 1:]]
                key = (name, "block " + rule, mode)
                bfi = blocks[name]
                try:
                    gy = [float(v) for v in gf.quantize_block(bfi, np.array(xs), gf.compute_scale_amax,
                                                               modes[mode])]
                except ValueError:
                    gy = "ValueError"
                gscale = float(gf.compute_scale_amax(bfi.etype.emax, np.array(xs)))
                if gy != "ValueError" and not same(scale, gscale):
                    ys, gy = ys + [scale], gy + [gscale]  # a scale difference counts as element 32
                ours, theirs = ys, gy
                detail = f"{mode} block {bid}"
                x = " ".join(t[xi + 1:yi])
            if key not in stats:
                order.append(key)
            s = stats[key]
            s[0] += 1
            if kind == "B":
                bad = list(range(32)) if theirs == "ValueError" else \
                    [i for i in range(len(ours)) if not same(ours[i], theirs[i])]
                ok = not bad
                if not ok:
                    i = bad[0]
                    detail += (f" element {i} x={show(xs[i])}" if i < 32 else " scale") + \
                        f" ({len(bad)} values differ)"
                    ours = ours[i]
                    theirs = theirs if theirs == "ValueError" else theirs[i]
            else:
                ok = same(ours, theirs)
            if ok:
                continue
            s[1] += 1
            cls = classify(kind, name, sat, mode, x, ours, theirs)
            classes[cls or "UNEXPLAINED"] += 1
            if cls is None:
                unexplained += 1
            if len(s[2]) < n_examples or (cls is None and sum(1 for e in s[2] if e[2] is None) < n_examples):
                s[2].append((detail, f"softnum {show(ours)}  gfloat {show(theirs)}", cls))

    total = mism = 0
    print(f"{'format':<20} {'what':<18} {'':<3} {'compared':>9} {'differ':>7}")
    for key in order:
        n, m, ex = stats[key]
        total += n
        mism += m
        print(f"{key[0]:<20} {key[1]:<18} {key[2]:<3} {n:>9} {m:>7}")
        for d, v, c in ex:
            print(f"    {d}: {v}   [{c or 'UNEXPLAINED'}]")
    print(f"\n{total} compared, {mism} differ")
    for c, n in sorted(classes.items(), key=lambda kv: -kv[1]):
        print(f"  {n:>7}  {c}")
    sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()
