#!/usr/bin/env python3
"""dedup_stress.py: a synthetic stress test for 'qes dedup' built from a labelled set.

  dedup_stress.py make TRUTH.csv OUT.csv [--per-kind N] [--seed S]
  dedup_stress.py score OUT.csv CLUSTERS.csv QUEUE.json [--json]

'make' copies every record of TRUTH.csv (bench_id, dup_group, author, title, ...) to OUT.csv and
adds, for N records drawn at random per kind, a copy altered the way real database exports differ
(a duplicate: it keeps the original's dup_group) or a different study that looks like it (a near
neighbour: a group of its own). The kind of each added record is in the 'stress_kind' column and its
original in 'stress_of'. 'score' says per kind how many duplicates the machine merged with their
original, how many it queued for a person, and how many near neighbours it merged (each one a
false merge). It exits 1 when a near neighbour was merged, or any false merge at all was made.

The variations are those issue 17 lists (they are what real exports do, not what one dataset
does): the journal abbreviated ISO 4 style, with punctuation, a subtitle or a bracketed
translation, damaged by an export ("?" for a letter); the title in brackets; authors missing, as
"Given, Family", with one letter mistyped, with initials only; pages "P63 [tp 104]", without their
end, as "63+"; issues that differ or are missing; a conference paper a year later with its pages
dropped; and a mix of two of these. The near neighbours: an erratum, a comment, a reply, parts 1
and 2 of a series, another article of the same journal, volume and year (other title, other
pages), the same title in the next issue on other pages, the same abstract a year later at another
meeting, a translated title of another article in the same volume."""
import csv
import json
import os
import random
import re
import sys
from collections import defaultdict

csv.field_size_limit(1 << 30)
COLS = ["bench_id", "dup_group", "author", "title", "year", "journal", "doi", "pages", "volume",
        "number", "ENTRYTYPE", "isbn", "stress_kind", "stress_of"]
STOP = {"of", "the", "and", "in", "for", "on", "de", "la", "le", "der", "und", "et", "a", "an", "&"}
ISO4 = {"journal": "J", "clinical": "Clin", "medicine": "Med", "medical": "Med", "international": "Int",
        "american": "Am", "british": "Br", "european": "Eur", "research": "Res", "society": "Soc",
        "science": "Sci", "sciences": "Sci", "annals": "Ann", "archives": "Arch", "reviews": "Rev",
        "review": "Rev", "experimental": "Exp", "national": "Natl", "academy": "Acad",
        "proceedings": "Proc", "association": "Assoc", "quarterly": "Q", "surgery": "Surg",
        "pediatrics": "Pediatr", "paediatrics": "Paediatr", "nursing": "Nurs", "health": "Health",
        "biology": "Biol", "biological": "Biol", "chemistry": "Chem", "physiology": "Physiol",
        "endocrinology": "Endocrinol", "metabolism": "Metab", "transplantation": "Transplant",
        "haematology": "Haematol", "hematology": "Hematol", "oncology": "Oncol", "cancer": "Cancer",
        "pathology": "Pathol", "cytology": "Cytol", "obstetrics": "Obstet", "gynecology": "Gynecol",
        "gynaecology": "Gynaecol", "epidemiology": "Epidemiol", "nephrology": "Nephrol",
        "cardiology": "Cardiol", "diabetes": "Diabetes", "public": "Public", "care": "Care",
        "therapy": "Ther", "therapeutics": "Ther", "pharmacology": "Pharmacol", "thrombosis": "Thromb",
        "hemostasis": "Hemost", "haemostasis": "Haemost", "infectious": "Infect", "diseases": "Dis",
        "disease": "Dis", "new": "N", "england": "Engl", "blood": "Blood", "nutrition": "Nutr",
        "molecular": "Mol", "cellular": "Cell", "applied": "Appl", "seminars": "Semin",
        "current": "Curr", "opinion": "Opin", "agents": "Agents", "women": "Women"}


def iso4(name):
    """An ISO 4 style abbreviation: stop words and brackets dropped, each kept word cut to a prefix."""
    name = re.sub(r"\[.*?\]|\(.*?\)", " ", name)
    out = []
    for w in re.findall(r"[A-Za-z]+", name):
        lw = w.lower()
        if lw in STOP:
            continue
        if lw in ISO4:
            out.append(ISO4[lw])
        elif len(w) >= 7:
            m = re.match(r"[^aeiou]*[aeiou]+[^aeiou]+", lw[1:])   # first syllable past the first letter
            cut = 1 + (m.end() if m else 4)
            out.append(w[0].upper() + lw[1:cut])
        else:
            out.append(w[0].upper() + lw[1:])
    return " ".join(out)


def authors_of(r):
    a = r.get("author") or ""
    return [x.strip() for x in a.split(" and ")] if " and " in a or a.count(",") == 1 else None


def typo(w, rng):
    if len(w) < 5:
        return None
    i = rng.randrange(1, len(w) - 1)
    c = rng.choice([x for x in "aeiourstnl" if x != w[i].lower()])
    return w[:i] + c + w[i + 1:]


def pages_range(p):
    m = re.fullmatch(r"(\d+)\s*-+\s*(\d+)", p or "")
    return (m.group(1), m.group(2)) if m else None


def vary(kind, r, rng):
    """A copy of r changed as kind says; None when r has nothing to change."""
    c = dict(r)
    j, t, p, au = r.get("journal") or "", r.get("title") or "", r.get("pages") or "", authors_of(r)
    if kind == "journal_iso4":
        if len(j.split()) < 2:
            return None
        c["journal"] = iso4(j)
        if c["journal"].lower() == j.lower():
            return None
    elif kind == "journal_punct":
        if len(j.split()) < 2:
            return None
        c["journal"] = j.upper().replace(" AND ", " & ").replace(" ", ". ", 1) + "."
    elif kind == "journal_subtitle":
        if not j:
            return None
        c["journal"] = j + rng.choice([": official journal of the national society",
                                       " [Chinese journal of medicine]", " = Revue de medecine"])
    elif kind == "journal_damage":
        letters = [i for i, ch in enumerate(j) if ch.isalpha() and i > 0 and j[i - 1].isalpha()]
        if len(j) < 8 or not letters:
            return None
        i = rng.choice(letters)
        c["journal"] = j[:i] + "?" + j[i + 1:]
    elif kind == "title_bracket":
        if not t or t.startswith("["):
            return None
        c["title"] = "[" + t.rstrip(".") + "]"
    elif kind == "authors_missing":
        if not r.get("author"):
            return None
        c["author"] = ""
    elif kind == "authors_given_family":
        if not au or "," not in au[0]:
            return None
        fam, giv = [x.strip() for x in au[0].split(",", 1)]
        if not giv:
            return None
        c["author"] = " and ".join([giv + ", " + fam] + au[1:])
    elif kind == "authors_typo":
        if not au or "," not in au[0]:
            return None
        fam, giv = au[0].split(",", 1)
        f2 = typo(fam.strip(), rng)
        if not f2:
            return None
        c["author"] = " and ".join([f2 + "," + giv] + au[1:])
    elif kind == "authors_initials":
        if not au:
            return None
        out = []
        for a in au:
            if "," not in a:
                return None
            fam, giv = a.split(",", 1)
            out.append(fam + ", " + " ".join(g[0] + "." for g in giv.split() if g))
        c["author"] = " and ".join(out)
    elif kind == "pages_tp":
        pr = pages_range(p)
        if not pr:
            return None
        c["pages"] = "P%s [tp %d]" % (pr[0], int(pr[0]) + rng.randrange(20, 90))
    elif kind == "pages_no_end":
        pr = pages_range(p)
        if not pr:
            return None
        c["pages"] = pr[0]
    elif kind == "pages_plus":
        pr = pages_range(p)
        if not pr:
            return None
        c["pages"] = pr[0] + "+"
    elif kind == "issue_differs":
        n = re.match(r"\d+", r.get("number") or "")
        if not n:
            return None
        # +2 or +3: the near neighbour "next_issue_other_pages" takes +1, and
        # a duplicate sharing its issue would join it through rules that
        # are right for real duplicates (one abstract printed twice).
        c["number"] = str(int(n.group()) + rng.choice([2, 3]))
    elif kind == "issue_missing":
        if not r.get("number") or r.get("number") == "NA":
            return None
        c["number"] = ""
    elif kind == "conference_next_year":
        if (r.get("ENTRYTYPE") or "") not in ("inproceedings", "conference") or not r.get("year"):
            return None
        c["year"] = str(int(r["year"]) + 1)
        c["pages"] = ""
    elif kind == "mix":
        kinds = [k for k in DUP_KINDS if k not in ("mix", "authors_missing")]
        rng.shuffle(kinds)
        n = 0
        for k in kinds:
            v = vary(k, c, rng)
            if v:
                c, n = v, n + 1
            if n == 2:
                return c
        return None
    else:
        raise ValueError(kind)
    return c


def neighbour(kind, r, rng, others):
    """A different study that looks like r."""
    c = dict(r)
    t = (r.get("title") or "").rstrip(".")
    if not t or len(t) < 20:
        return None
    # A record that is already an erratum, reply, comment or part: its
    # neighbour would be the same kind of thing ("X - Reply - Reply").
    if TRAP.search(t) or "[" in t:
        return None
    c["doi"] = ""
    t = re.sub(r"\s*\[[^\]]*\]", "", t).rstrip(". ")   # "[Review] [9 refs]"
    pr = pages_range(r.get("pages"))
    first = re.match(r"\D{0,2}(\d+)", r.get("pages") or "")
    other = str(int(first.group(1)) + 57) if first else str(rng.randrange(100, 900))
    if kind == "erratum":
        c["title"] = "Erratum: " + t
        c["pages"] = str(int(pr[1]) + 200) if pr else other
    elif kind == "comment":
        c["title"] = "Comment on: " + t
        c["author"] = "Other, A. and Writer, B."
    elif kind == "reply":
        c["title"] = t + " - Reply"
    elif kind == "part2":
        c["title"] = t + ". Part 2"
        c["pages"] = "%d-%d" % (int(pr[1]) + 1, 2 * int(pr[1]) - int(pr[0]) + 1) if pr else other
    elif kind == "same_issue_other_article":
        o = rng.choice(others)
        if not o.get("title") or o["title"] == r.get("title"):
            return None
        c["title"] = o["title"]   # the same authors, another title, other pages
        c["pages"] = "%d-%d" % (int(pr[1]) + 1, int(pr[1]) + 9) if pr else other
    elif kind == "next_issue_other_pages":
        # The same title in the next issue on other pages: a column, a
        # series, or a second article; never one record.
        # Only where the pages can tell the two apart: pages an export
        # garbled ("193S", "10-Jun", "A175.E1638") leave the issue alone
        # against a duplicate with no issue, and nothing would separate them.
        n = re.match(r"\d+", r.get("number") or "")
        if not n or not re.fullmatch(r"[A-Za-z]{0,2}\d+(-[A-Za-z]{0,2}\d+)?", r.get("pages") or ""):
            return None
        c["title"], c["number"], c["pages"] = t, str(int(n.group()) + 1), other
    elif kind == "other_meeting_next_year":
        # The same abstract presented again a year later at another meeting.
        if not r.get("year"):
            return None
        c["title"], c["year"], c["pages"] = t, str(int(r["year"]) + 1), ""
        c["journal"], c["volume"], c["number"] = "Annual Meeting of the Other Society", "", ""
        c["ENTRYTYPE"] = "inproceedings"
    elif kind == "translation_other_pages":
        # A translated title of another article in the same volume.
        c["title"] = "[" + t + " in children]"
        c["pages"] = other
    else:
        raise ValueError(kind)
    return c


TRAP = re.compile(r"\b(errat\w*|correct\w*|corrigend\w*|repl\w*|respon\w*|comment\w*|letter|part|pt)\b",
                  re.I)
DUP_KINDS = ["journal_iso4", "journal_punct", "journal_subtitle", "journal_damage", "title_bracket",
             "authors_missing", "authors_given_family", "authors_typo", "authors_initials", "pages_tp",
             "pages_no_end", "pages_plus", "issue_differs", "issue_missing", "conference_next_year", "mix"]
NEAR_KINDS = ["erratum", "comment", "reply", "part2", "same_issue_other_article", "next_issue_other_pages",
              "other_meeting_next_year", "translation_other_pages"]


def make(truth, out, per_kind, seed):
    rng = random.Random(seed)
    rows = list(csv.DictReader(open(truth, encoding="utf-8-sig", newline="")))
    for r in rows:
        for k in list(r):
            if r[k] == "NA":
                r[k] = ""
        if "number" not in r and "issue" in r:
            r["number"] = r["issue"]
    # Originals for parts 1 and 2 are renamed "Part 1" so the pair is a series.
    # A near neighbour must be a new work: an erratum of X when the set
    # holds "Erratum: X" already would be that erratum again, and one made
    # from a work whose records have garbled pages ("193S", "10-Jun") or no
    # issue could not be told from them by any field.
    titles = [re.sub(r"\W+", " ", (r.get("title") or "").lower()) for r in rows]
    group_rows = defaultdict(list)
    for r in rows:
        group_rows[r["dup_group"]].append(r)
    clean = re.compile(r"[A-Za-z]{0,2}\d+(-[A-Za-z]{0,2}\d+)?")

    def distinguishable(r, kind):
        t = re.sub(r"\W+", " ", (r.get("title") or "").lower()).strip()[:60]
        if sum(t in x for x in titles) > len(group_rows[r["dup_group"]]):
            return False
        if kind in ("erratum", "comment", "reply"):
            # The title tells them apart, unless the work's records hold
            # such an item already (a truth that counts an erratum with
            # its article): ours would be a copy of it.
            return not any(TRAP.search(x.get("title") or "") for x in group_rows[r["dup_group"]])
        return all(clean.fullmatch(x.get("pages") or "") and
                   (kind != "next_issue_other_pages" or re.match(r"\d", x.get("number") or ""))
                   for x in group_rows[r["dup_group"]])

    added = []
    n = 0
    for kind in DUP_KINDS + NEAR_KINDS:
        pool = rows[:]
        rng.shuffle(pool)
        made = 0
        for r in pool:
            if made >= per_kind:
                break
            if kind in NEAR_KINDS:
                if kind == "part2" and re.search(r"\bpart\b", r.get("title") or "", re.I):
                    continue
                if not distinguishable(r, kind):
                    continue
                c = neighbour(kind, r, rng, rows)
                if c is None:
                    continue
                # Neighbours made from two records of one work are one work.
                c["dup_group"] = "near-%s-%s" % (kind, r["dup_group"])
            else:
                c = vary(kind, r, rng)
                if c is None:
                    continue
            n += 1
            c["bench_id"] = "s%06d" % n
            c["stress_kind"], c["stress_of"] = kind, r["bench_id"]
            added.append(c)
            made += 1
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLS, extrasaction="ignore")
        w.writeheader()
        for r in rows + added:
            w.writerow({k: r.get(k, "") or "" for k in COLS})


def score(stress, clusters, queue, as_json=False):
    rows = list(csv.DictReader(open(stress, encoding="utf-8", newline="")))
    group = {r["bench_id"]: r["dup_group"] for r in rows}
    cl = {r["source_key"]: r["cluster"] for r in csv.DictReader(open(clusters, encoding="utf-8", newline=""))}
    members = defaultdict(list)
    for k, c in cl.items():
        members[c].append(k)
    queued = set()
    for p in json.load(open(queue)):
        queued.add((p["a"], p["b"]))
        queued.add((p["b"], p["a"]))
    show = bool(os.environ.get("DEDUP_STRESS_SHOW"))
    byid = {r["bench_id"]: r for r in rows}
    bygroup = defaultdict(list)
    for r in rows:
        bygroup[r["dup_group"]].append(r["bench_id"])
    stats = defaultdict(lambda: [0, 0, 0, 0])   # made, merged, queued, false merges
    fp_total = 0
    for c, keys in members.items():
        fp_total += len({group[k] for k in keys if k in group}) - 1
    for r in rows:
        kind = r.get("stress_kind")
        if not kind:
            continue
        s = stats[kind]
        s[0] += 1
        me = r["bench_id"]
        if kind in NEAR_KINDS:
            s[3] += len({group.get(k) for k in members[cl.get(me, "?" + me)]}) > 1
            s[2] += any((me, o) in queued for o in bygroup[group[r["stress_of"]]])
        else:
            s[1] += cl.get(me) == cl.get(r["stress_of"])
            if show and cl.get(me) != cl.get(r["stress_of"]):
                o = byid[r["stress_of"]]
                print("missed %s:" % kind, file=sys.stderr)
                for x in (o, r):
                    print("   %s | %s | %s | %s | %s %s %s %s" % (x["bench_id"], x["title"][:60], x["author"][:40],
                          x["journal"][:40], x["year"], x["volume"], x["number"], x["pages"]), file=sys.stderr)
            s[2] += cl.get(me) != cl.get(r["stress_of"]) and any(
                (me, o) in queued for o in bygroup[group[me]])
    bad = fp_total > 0 or any(stats[k][3] for k in NEAR_KINDS if k in stats)
    if as_json:
        dup = [sum(stats[k][i] for k in DUP_KINDS if k in stats) for i in range(3)]
        near = [sum(stats[k][i] for k in NEAR_KINDS if k in stats) for i in range(4)]
        print(json.dumps(dict(kinds={k: dict(zip(("made", "merged", "queued", "FP"), v)) for k, v in stats.items()},
                              dup_made=dup[0], dup_merged=dup[1], dup_queued=dup[2], near_made=near[0],
                              near_merged=near[3], near_queued=near[2], false_merges=fp_total)))
        return 1 if bad else 0
    print("%-26s %5s %7s %7s %7s" % ("kind", "made", "merged", "queued", "FP"))
    for kind in DUP_KINDS + NEAR_KINDS:
        if kind in stats:
            m, g, q, f = stats[kind]
            print("%-26s %5d %7d %7d %7d" % (kind, m, g, q, f))
            bad |= f > 0
    tot = [sum(stats[k][i] for k in DUP_KINDS if k in stats) for i in range(3)]
    print("%-26s %5d %7d %7d   merged %.3f, merged or queued %.3f" % (
        "duplicates (all kinds)", tot[0], tot[1], tot[2], tot[1] / max(tot[0], 1),
        (tot[1] + tot[2]) / max(tot[0], 1)))
    print("false merges in the whole run (any record): %d" % fp_total)
    return 1 if bad else 0


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "make":
        per = int(a[a.index("--per-kind") + 1]) if "--per-kind" in a else 100
        seed = int(a[a.index("--seed") + 1]) if "--seed" in a else 1
        make(a[1], a[2], per, seed)
    elif len(a) in (4, 5) and a[0] == "score":
        sys.exit(score(a[1], a[2], a[3], a[4:] == ["--json"]))
    else:
        sys.exit(__doc__)
