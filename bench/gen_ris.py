#!/usr/bin/env python3
"""Writes a synthetic RIS file for bench_parse: records like a database
export, each with a 150-300 word abstract.  usage: gen_ris.py OUT MEGABYTES"""
import random
import sys

WORDS = ("the of and in to a patients with was for were study on as by at "
         "from that treatment results group randomised trial outcome clinical "
         "effect review systematic analysis data significant compared control "
         "intervention health care risk associated years methods conclusion "
         "background objective mortality therapy cohort quality evidence").split()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def record(rng, i):
    lines = ["TY  - JOUR", f"ID  - {i}", f"TI  - {words(rng, rng.randint(8, 20)).capitalize()}"]
    for _ in range(rng.randint(2, 8)):
        lines.append(f"AU  - {rng.choice(WORDS).capitalize()}, {rng.choice('ABCDEFGH')}.")
    lines += [f"PY  - {rng.randint(1980, 2024)}", f"DA  - {rng.randint(1980, 2024)}/0{rng.randint(1, 9)}/1{rng.randint(0, 9)}",
              f"T2  - Journal of {words(rng, 3)}", f"JA  - J {rng.choice(WORDS)}",
              f"VL  - {rng.randint(1, 300)}", f"IS  - {rng.randint(1, 12)}",
              f"SP  - {rng.randint(1, 900)}", f"EP  - {rng.randint(901, 999)}",
              f"SN  - {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
              f"DO  - 10.{rng.randint(1000, 9999)}/j.x.{i}",
              f"AB  - {words(rng, rng.randint(150, 300))}"]
    for _ in range(rng.randint(3, 10)):
        lines.append(f"KW  - {words(rng, 2)}")
    lines += ["LA  - English", f"UR  - https://example.org/{i}", "DB  - Synthetic", "ER  - ", ""]
    return "\n".join(lines) + "\n"


def main():
    out, mb = sys.argv[1], float(sys.argv[2])
    rng = random.Random(1)
    size, i = 0, 0
    with open(out, "w") as f:
        while size < mb * 1e6:
            i += 1
            r = record(rng, i)
            f.write(r)
            size += len(r)


if __name__ == "__main__":
    main()
