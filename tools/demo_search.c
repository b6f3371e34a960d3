/* demo_search.c: writes the demo review's search results, the way three
 * databases and a citation search would export them, so `make demo` needs
 * nothing from outside the repository.
 *
 *   demo_search DIR [--seed N]
 *
 * writes DIR/psycinfo.ris (Ovid RIS), DIR/medline.nbib (PubMed MEDLINE),
 * DIR/cinahl.csv (EBSCO CSV), DIR/citations.ris (citation searching) and
 * DIR/truth.csv (work id, relevant 0/1: what a careful reviewer would
 * include, used to script the demo's screening), and DIR/update.ris: the
 * PsycINFO search run again months later (new works only), which the demo
 * leaves partly screened so every reviewer has something in the screener. The same work appears in
 * several databases with the variations real exports have: initials versus
 * full names, abbreviated journals, "112-9" versus "112-119", DOIs missing
 * or written as URLs, title case and trailing full stops.
 *
 * All texts are invented for the demo. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_WORKS 260
#define N_UPDATE 30   /* works found only by the update search */

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static int pick(int n) { return (int)(rnd() % (uint32_t)n); }
static int chance(int percent) { return pick(100) < percent; }
#define PICK(arr) (arr[pick((int)(sizeof(arr) / sizeof(arr[0])))])

static const char *const family[] = {
	"Adeyemi", "Bennett", "Chaudhry", "Doherty", "Evans", "Fernandes", "Gallagher",
	"Haddad", "Ibrahim", "Jankowski", "Kaur", "Lindqvist", "McAllister", "Nakamura",
	"O'Brien", "Papadopoulos", "Quinn", "Rahman", "Sørensen", "Thompson", "Urquhart",
	"Vasquez", "Whitfield", "Xu", "Yilmaz", "Zielińska", "Mensah", "Okafor", "Brennan",
	"Castillo", "Dubois", "Eriksen", "Fitzgerald", "Gómez", "Hughes", "Iqbal", "Jensen",
};
static const char *const given[] = {
	"Amara", "Bethan", "Ciaran", "Deepa", "Eleanor", "Farah", "Gareth", "Hannah",
	"Isla", "Joseph", "Katarzyna", "Liam", "Maryam", "Niamh", "Oluwaseun", "Priya",
	"Rhiannon", "Samuel", "Tomasz", "Una", "Victoria", "William", "Yasmin", "Zoe",
};
static const char *const population[] = {
	"parents with mental health needs", "mothers with severe mental illness",
	"fathers experiencing depression", "parents with personality disorder diagnoses",
	"mothers in perinatal mental health services", "parents with co-occurring substance use",
	"families involved with child protection services", "birth parents after child removal",
};
static const char *const population_other[] = {
	"older adults with type 2 diabetes", "adolescents with asthma",
	"nurses on surgical wards", "people living with chronic kidney disease",
	"primary school teachers", "adults after hip replacement",
};
static const char *const phenomenon[] = {
	"Experiences of support", "Perspectives on child protection assessment",
	"Engagement with children's social care", "Barriers to seeking help",
	"Fear of child removal and stigma", "Relationships with social workers",
	"Views of integrated adult and children's services", "Trust and mistrust of services",
	"Experiences of family support interventions", "Living with a child protection plan",
};
static const char *const phenomenon_other[] = {
	"Adherence to medication", "Self-management education", "Physical activity",
	"Sleep quality", "Costs of care", "Outcomes of a digital intervention",
};
static const char *const design_qual[] = {
	"a qualitative study", "an interpretative phenomenological analysis",
	"a thematic analysis of interviews", "a focus group study",
	"a qualitative interview study with parents and practitioners",
};
static const char *const design_other[] = {
	"a randomised controlled trial", "a cross-sectional survey", "a cohort study",
	"a systematic review and meta-analysis", "a cost-effectiveness analysis",
};
static const char *const journal_full[] = {
	"Child & Family Social Work", "Child Abuse & Neglect", "Children and Youth Services Review",
	"British Journal of Social Work", "Health & Social Care in the Community",
	"Journal of Psychiatric and Mental Health Nursing", "Archives of Women's Mental Health",
	"BMC Psychiatry",
};
static const char *const journal_abbr[] = {
	"Child Fam Soc Work", "Child Abuse Negl", "Child Youth Serv Rev", "Br J Soc Work",
	"Health Soc Care Community", "J Psychiatr Ment Health Nurs", "Arch Womens Ment Health",
	"BMC Psychiatry",
};
static const char *const country[] = {
	"England", "Scotland", "Wales", "Ireland", "Australia", "Canada", "Norway", "Sweden",
	"the United States", "New Zealand",
};
static const char *const practitioners[] = {
	"social workers", "health visitors", "mental health nurses", "family support workers",
	"psychiatrists", "midwives",
};
static const char *const finding[] = {
	"Parents described assessments as a process done to them rather than with them.",
	"Fear that disclosing mental distress would lead to child removal delayed help-seeking.",
	"Consistent relationships with one practitioner were valued above any specific intervention.",
	"Practitioners reported that fragmented adult and children's services left families unsupported.",
	"Financial hardship and housing problems were rarely addressed by the support offered.",
	"Participants valued practitioners who were honest, reliable and respectful.",
	"Crisis-driven service thresholds meant support arrived late and ended abruptly.",
	"Parents felt judged by professionals and described feeling retraumatised by meetings.",
	"Peer support from other parents with lived experience reduced isolation.",
	"Practitioners described tension between supporting parents and protecting children.",
};
/* What a participant said, as a paper's results quote it after the
 * authors' finding of the same index (their interpretation): first-order
 * words beside the second-order sentence. Short enough for one PDF line. */
static const char *const finding_quote[] = {
	"\"They wrote about us, never with us.\" (Mother, P2)",
	"\"I said nothing because I thought they would take him.\" (Mother, P5)",
	"\"She stayed, and that was what made the difference.\" (Father, P1)",
	"\"Adult services close the case and we are left holding it.\" (Social worker, S3)",
	"\"No one asked how we would pay the rent.\" (Mother, P4)",
	"\"He never promised what he could not do.\" (Mother, P6)",
	"\"You only get help once it is a crisis.\" (Father, P3)",
	"\"Every meeting felt like a trial.\" (Mother, P7)",
	"\"Meeting other mums made me feel less alone.\" (Mother, P8)",
	"\"I support her and I also write the report.\" (Social worker, S1)",
};
static const char *const finding_other[] = {
	"The intervention group showed a modest reduction in HbA1c at twelve months.",
	"Adherence was associated with age, income and the number of daily doses.",
	"No difference in the primary outcome was found between the two arms.",
	"Costs per quality-adjusted life year were below the usual threshold.",
};
static const char *const keywords[] = {
	"child protection", "parental mental illness", "qualitative research", "social work",
	"family support", "stigma", "lived experience", "thematic synthesis", "mothers", "fathers",
};

typedef struct work {
	int id;
	int relevant;
	int kind;           /* 0 relevant-ish topic, 1 off-topic */
	char title[400];
	char abstract[2600];
	char authors[8][64];     /* "Family, Given" */
	int n_authors;
	int year, volume, issue, page_first, page_last;
	int journal;
	char doi[64];
	long pmid;
	const char *kw[4];
	int n_kw;
	int erratum_of;     /* a trap for deduplication: an erratum to another work */
	const char *country;
	const char *design;
	int parents, practitioners;
	const char *ft;     /* full-text verdict: "include" or an exclusion reason */
} work;

static work works[N_WORKS + N_UPDATE];

static void appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

static void make_work(work *w, int id)
{
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->kind = chance(35);
	int qual = w->kind == 0 && chance(75);
	const char *pop = w->kind ? PICK(population_other) : PICK(population);
	const char *phen = w->kind ? PICK(phenomenon_other) : PICK(phenomenon);
	const char *design = qual ? PICK(design_qual) : PICK(design_other);
	w->relevant = w->kind == 0 && qual;
	snprintf(w->title, sizeof(w->title), "%s among %s: %s", phen, pop, design);
	const char *where = PICK(country);
	int n_par = 6 + pick(40), n_prac = pick(3) ? 0 : 5 + pick(25);
	w->country = where;
	w->design = design;
	w->parents = n_par;
	w->practitioners = n_prac;
	/* Relevant at title and abstract; a fifth fail at full text. */
	static const char *const reasons[] = {
		"Parents' views not reported separately", "Not qualitative data",
		"No child protection involvement",
	};
	w->ft = chance(80) ? "include" : PICK(reasons);
	char topic[128];
	snprintf(topic, sizeof(topic), "%s", phen);
	topic[0] = (char)tolower((unsigned char)topic[0]);
	snprintf(w->abstract, sizeof(w->abstract),
		 "Background: Little is known about %s among %s, or about how the services that "
		 "work with them are experienced in practice. ", topic, pop);
	appendf(w->abstract, sizeof(w->abstract),
		"Methods: We conducted %s in %s with %d participants", design, where, n_par);
	if (n_prac)
		appendf(w->abstract, sizeof(w->abstract), " and %d %s", n_prac, PICK(practitioners));
	appendf(w->abstract, sizeof(w->abstract),
		". Data were collected between %d and %d and analysed %s. ",
		2008 + pick(10), 2018 + pick(4),
		qual ? "thematically, with a lived experience advisory group" : "with regression models");
	appendf(w->abstract, sizeof(w->abstract), "Results: ");
	/* Consecutive findings from a random start: no sentence twice. */
	int nf = 2 + pick(3);
	int pool = w->kind ? (int)(sizeof(finding_other) / sizeof(finding_other[0]))
			   : (int)(sizeof(finding) / sizeof(finding[0]));
	int first = pick(pool);
	for (int i = 0; i < nf && i < pool; i++)
		appendf(w->abstract, sizeof(w->abstract), "%s ",
			w->kind ? finding_other[(first + i) % pool] : finding[(first + i) % pool]);
	appendf(w->abstract, sizeof(w->abstract),
		"Conclusions: Services should be designed with the people who use them, and %s "
		"should be offered support that is consistent, accessible and free of judgement.", pop);
	w->n_authors = 1 + pick(6);
	for (int i = 0; i < w->n_authors; i++)
		snprintf(w->authors[i], sizeof(w->authors[i]), "%s, %s", PICK(family), PICK(given));
	w->year = 2005 + pick(18);
	w->volume = 10 + pick(40);
	w->issue = 1 + pick(6);
	w->page_first = 100 + pick(900);
	w->page_last = w->page_first + 5 + pick(15);
	w->journal = pick((int)(sizeof(journal_full) / sizeof(journal_full[0])));
	if (chance(85))
		snprintf(w->doi, sizeof(w->doi), "10.%d/%s.%d.%05d", 1000 + pick(8000),
			 w->kind ? "hsr" : "cfs", w->year, id);
	w->pmid = chance(70) ? 20000000L + id * 7919L : 0;
	w->n_kw = 2 + pick(3);
	for (int i = 0; i < w->n_kw; i++)
		w->kw[i] = PICK(keywords);
	w->erratum_of = -1;
}

/* "Bennett, Hannah" -> "Bennett, H." (databases that store initials). */
static void initials(const char *full, char *out, size_t n)
{
	const char *comma = strchr(full, ',');
	if (!comma) {
		snprintf(out, n, "%s", full);
		return;
	}
	snprintf(out, n, "%.*s, %c.", (int)(comma - full), full, comma[2]);
}

static void title_variant(const work *w, char *out, size_t n, int variant)
{
	snprintf(out, n, "%s", w->title);
	if (variant == 1) {          /* Title Case */
		int start = 1;
		for (char *p = out; *p; p++) {
			if (start && islower((unsigned char)*p))
				*p = (char)toupper((unsigned char)*p);
			start = *p == ' ';
		}
	} else if (variant == 2) {   /* trailing full stop, as MEDLINE writes */
		appendf(out, n, ".");
	}
}

static void write_ris_work(FILE *fp, const work *w, int id, int ovid)
{
	char t[420], a[64];
	title_variant(w, t, sizeof(t), ovid ? 0 : 1);
	fprintf(fp, "TY  - JOUR\n");
	fprintf(fp, "ID  - %d\n", id);
	if (w->erratum_of >= 0)
		fprintf(fp, "T1  - Erratum: %s\n", works[w->erratum_of].title);
	else
		fprintf(fp, "T1  - %s\n", t);
	for (int i = 0; i < w->n_authors; i++) {
		if (ovid)
			fprintf(fp, "A1  - %s\n", w->authors[i]);
		else {
			initials(w->authors[i], a, sizeof(a));
			fprintf(fp, "AU  - %s\n", a);
		}
	}
	fprintf(fp, "Y1  - %d//\n", w->year);
	fprintf(fp, "JF  - %s\n", journal_full[w->journal]);
	fprintf(fp, "VL  - %d\nIS  - %d\nSP  - %d\nEP  - %d\n", w->volume, w->issue,
		w->page_first, w->page_last);
	if (w->erratum_of < 0) {
		/* Ovid wraps long abstracts onto continuation lines. */
		const char *ab = w->abstract;
		size_t len = strlen(ab), cut = len > 600 ? 600 : len;
		while (cut < len && ab[cut] != ' ')
			cut++;
		fprintf(fp, "N2  - %.*s\n", (int)cut, ab);
		if (cut < len)
			fprintf(fp, "%s\n", ab + cut + 1);
	}
	for (int i = 0; i < w->n_kw; i++)
		fprintf(fp, "KW  - %s\n", w->kw[i]);
	if (w->doi[0] && (ovid || chance(80)))
		fprintf(fp, "DO  - %s\n", w->doi);
	fprintf(fp, "DB  - %s\n", ovid ? "APA PsycInfo" : "Citation searching");
	fprintf(fp, "ER  - \n\n");
}

static void write_medline_work(FILE *fp, const work *w, long pmid)
{
	char t[420];
	title_variant(w, t, sizeof(t), 2);
	fprintf(fp, "PMID- %ld\n", pmid);
	fprintf(fp, "OWN - NLM\nSTAT- MEDLINE\n");
	fprintf(fp, "IS  - 1365-%04d (Electronic)\n", 2000 + w->journal);
	fprintf(fp, "VI  - %d\nIP  - %d\nDP  - %d\n", w->volume, w->issue, w->year);
	/* MEDLINE wraps long fields at 82 columns with six-space continuations. */
	const char *s = t;
	fprintf(fp, "TI  - ");
	int col = 6;
	while (*s) {
		const char *sp = strchr(s, ' ');
		int wl = sp ? (int)(sp - s) : (int)strlen(s);
		if (col + wl > 82) {
			fprintf(fp, "\n      ");
			col = 6;
		}
		fprintf(fp, "%.*s%s", wl, s, sp ? " " : "");
		col += wl + 1;
		s = sp ? sp + 1 : s + wl;
	}
	int last = w->page_last % 100, first = w->page_first % 100;
	if (w->page_last / 100 == w->page_first / 100 && last > first)
		fprintf(fp, "\nPG  - %d-%d\n", w->page_first, last);   /* "112-9" style */
	else
		fprintf(fp, "\nPG  - %d-%d\n", w->page_first, w->page_last);
	if (w->doi[0])
		fprintf(fp, "LID - %s [doi]\n", w->doi);
	fprintf(fp, "AB  - %s\n", w->abstract);
	for (int i = 0; i < w->n_authors; i++) {
		char a[64];
		initials(w->authors[i], a, sizeof(a));
		for (char *p = a; *p; p++)
			if (*p == ',' || *p == '.')
				memmove(p, p + 1, strlen(p));
		fprintf(fp, "FAU - %s\nAU  - %s\n", w->authors[i], a);
	}
	fprintf(fp, "LA  - eng\nPT  - Journal Article\n");
	fprintf(fp, "TA  - %s\nJT  - %s\n", journal_abbr[w->journal], journal_full[w->journal]);
	for (int i = 0; i < w->n_kw; i++)
		fprintf(fp, "OT  - %s\n", w->kw[i]);
	if (w->doi[0])
		fprintf(fp, "AID - %s [doi]\n", w->doi);
	fprintf(fp, "SO  - %s. %d;%d(%d):%d-%d.\n\n", journal_abbr[w->journal], w->year,
		w->volume, w->issue, w->page_first, w->page_last);
}

static void csv_field(FILE *fp, const char *s, int last)
{
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
	fputc(last ? '\n' : ',', fp);
}

static void write_csv_work(FILE *fp, const work *w, int an)
{
	char buf[700] = "", num[64];
	snprintf(num, sizeof(num), "%d", an);
	csv_field(fp, num, 0);
	csv_field(fp, w->title, 0);
	for (int i = 0; i < w->n_authors; i++)
		appendf(buf, sizeof(buf), "%s%s", i ? "; " : "", w->authors[i]);
	csv_field(fp, buf, 0);
	snprintf(num, sizeof(num), "%d", w->year);
	csv_field(fp, num, 0);
	csv_field(fp, journal_full[w->journal], 0);
	snprintf(num, sizeof(num), "%d", w->volume);
	csv_field(fp, num, 0);
	snprintf(num, sizeof(num), "%d", w->issue);
	csv_field(fp, num, 0);
	snprintf(num, sizeof(num), "%d-%d", w->page_first, w->page_last);
	csv_field(fp, num, 0);
	buf[0] = '\0';
	if (w->doi[0])
		snprintf(buf, sizeof(buf), "%s%s", chance(50) ? "https://doi.org/" : "", w->doi);
	csv_field(fp, buf, 0);
	csv_field(fp, w->abstract, 0);
	buf[0] = '\0';
	for (int i = 0; i < w->n_kw; i++)
		appendf(buf, sizeof(buf), "%s%s", i ? "; " : "", w->kw[i]);
	csv_field(fp, buf, 1);
}

static FILE *open_out(const char *dir, const char *name);

/* A one-page PDF of a work's "full text" (title and abstract), for the
 * demo's full-text screening: poppler extracts its text on attach. */
static void write_pdf(const char *dir, const work *w)
{
	char name[64];
	snprintf(name, sizeof(name), "W%03d.pdf", w->id);
	FILE *fp = open_out(dir, name);
	char stream[8192];
	size_t n = (size_t)snprintf(stream, sizeof(stream), "BT /F1 11 Tf 56 760 Td 14 TL");
	/* The full text quotes a participant after each finding it reports. */
	const char *parts[3 + sizeof(finding) / sizeof(finding[0])] = { w->title, "", w->abstract };
	int nparts = 3;
	for (size_t f = 0; !w->kind && f < sizeof(finding) / sizeof(finding[0]); f++)
		if (strstr(w->abstract, finding[f]))
			parts[nparts++] = finding_quote[f];
	for (int k = 0; k < nparts; k++) {
		const char *t = parts[k];
		size_t len = strlen(t), pos = 0;
		do {
			size_t take = len - pos > 90 ? 90 : len - pos;
			while (take < len - pos && take > 0 && t[pos + take] != ' ')
				take--;
			if (take == 0)
				take = len - pos > 90 ? 90 : len - pos;
			n += (size_t)snprintf(stream + n, sizeof(stream) - n, " (");
			for (size_t i = 0; i < take && n < sizeof(stream) - 8; i++) {
				char c = t[pos + i];
				if (c == '(' || c == ')' || c == '\\')
					stream[n++] = '\\';
				stream[n++] = (unsigned char)c < 0x80 ? c : '?';
			}
			n += (size_t)snprintf(stream + n, sizeof(stream) - n, ") '");
			pos += take;
			while (pos < len && t[pos] == ' ')
				pos++;
		} while (pos < len && n < sizeof(stream) - 200);
	}
	n += (size_t)snprintf(stream + n, sizeof(stream) - n, " ET");
	long off[6];
	fprintf(fp, "%%PDF-1.4\n");
	off[1] = ftell(fp);
	fprintf(fp, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	off[2] = ftell(fp);
	fprintf(fp, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	off[3] = ftell(fp);
	fprintf(fp, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
		    "/Resources << /Font << /F1 5 0 R >> >> >>\nendobj\n");
	off[4] = ftell(fp);
	fprintf(fp, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", n, stream);
	off[5] = ftell(fp);
	fprintf(fp, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
	long xref = ftell(fp);
	fprintf(fp, "xref\n0 6\n0000000000 65535 f \n");
	for (int i = 1; i <= 5; i++)
		fprintf(fp, "%010ld 00000 n \n", off[i]);
	fprintf(fp, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
	fclose(fp);
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	if (!fp) {
		perror(path);
		exit(1);
	}
	return fp;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: demo_search DIR [--seed N]\n");
		return 2;
	}
	if (argc == 4 && !strcmp(argv[2], "--seed"))
		rng_state ^= strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ull;
	const char *dir = argv[1];
	for (int i = 0; i < N_WORKS; i++)
		make_work(&works[i], i + 1);
	/* Two errata: same journal and authors as the work they correct, a
	 * classic false-merge trap. */
	for (int k = 0; k < 2; k++) {
		work *e = &works[N_WORKS - 1 - k];
		const work *orig = &works[10 + k * 7];
		int id = e->id;
		*e = *orig;
		e->id = id;
		e->erratum_of = 10 + k * 7;
		e->doi[0] = '\0';
		e->pmid = 0;
		e->page_first = e->page_last = orig->page_last + 40;
		e->relevant = 0;
	}
	FILE *ris = open_out(dir, "psycinfo.ris");
	FILE *nbib = open_out(dir, "medline.nbib");
	FILE *csv = open_out(dir, "cinahl.csv");
	FILE *cit = open_out(dir, "citations.ris");
	FILE *truth = open_out(dir, "truth.csv");
	fprintf(csv, "\"Accession Number\",\"Title\",\"Authors\",\"Year\",\"Source\",\"Volume\","
		     "\"Issue\",\"Pages\",\"DOI\",\"Abstract\",\"Subject Terms\"\n");
	fprintf(truth, "work,relevant,psycinfo,medline,cinahl,citations,ft,country,design,"
		       "parents,practitioners\n");
	FILE *keys = open_out(dir, "keys.csv");
	fprintf(keys, "source_key,work\n");
	int n_ris = 0, n_med = 0, n_csv = 0, n_cit = 0;
	for (int i = 0; i < N_WORKS; i++) {
		work *w = &works[i];
		/* Each database indexes a different, overlapping share. */
		int in_ris = chance(w->kind ? 40 : 60);
		int in_med = w->pmid && chance(55);
		int in_csv = chance(45);
		int in_cit = !in_ris && !in_med && !in_csv && w->relevant && chance(50);
		if (!in_ris && !in_med && !in_csv && !in_cit)
			in_ris = 1;
		if (w->erratum_of >= 0)
			in_ris = 1, in_med = in_csv = in_cit = 0;
		/* keys.csv: the source key each record gets on import (RIS ID,
		 * PMID, the CSV row's ordinal), so scripts can find the work. */
		if (in_ris) {
			write_ris_work(ris, w, 500000 + i * 13, 1), n_ris++;
			fprintf(keys, "%d,%d\n", 500000 + i * 13, w->id);
		}
		if (in_med) {
			write_medline_work(nbib, w, w->pmid), n_med++;
			fprintf(keys, "%ld,%d\n", w->pmid, w->id);
		}
		if (in_csv) {
			write_csv_work(csv, w, 7000000 + i * 31), n_csv++;
			fprintf(keys, "%d,%d\n", n_csv, w->id);
		}
		if (in_cit) {
			write_ris_work(cit, w, 900 + i, 0), n_cit++;
			fprintf(keys, "%d,%d\n", 900 + i, w->id);
		}
		fprintf(truth, "%d,%d,%d,%d,%d,%d,\"%s\",%s,\"%s\",%d,%d\n", w->id, w->relevant,
			in_ris, in_med, in_csv, in_cit, w->relevant ? w->ft : "", w->country,
			w->design, w->parents, w->practitioners);
		if (w->relevant)
			write_pdf(dir, w);
	}
	/* The update search: new works, generated after the others so the
	 * first searches stay the same, in one Ovid RIS file. */
	FILE *upd = open_out(dir, "update.ris");
	int n_upd = 0;
	for (int i = N_WORKS; i < N_WORKS + N_UPDATE; i++) {
		work *w = &works[i];
		make_work(w, i + 1);
		if (w->year < 2023)
			w->year = 2023 + (w->year & 1);
		write_ris_work(upd, w, 500000 + i * 13, 1), n_upd++;
		fprintf(keys, "%d,%d\n", 500000 + i * 13, w->id);
		fprintf(truth, "%d,%d,1,0,0,0,\"%s\",%s,\"%s\",%d,%d\n", w->id, w->relevant,
			w->relevant ? w->ft : "", w->country, w->design, w->parents, w->practitioners);
		if (w->relevant)
			write_pdf(dir, w);
	}
	fclose(upd);
	fclose(ris);
	fclose(nbib);
	fclose(csv);
	fclose(cit);
	fclose(truth);
	fclose(keys);
	printf("demo search: %d works; PsycINFO %d, MEDLINE %d, CINAHL %d, citation searching %d records;"
	       " update search %d\n", N_WORKS + N_UPDATE, n_ris, n_med, n_csv, n_cit, n_upd);
	return 0;
}
