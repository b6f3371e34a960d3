/* gen_records.c: deterministic synthetic bibliographic records for the
 * benchmarks (bench/README.md).
 *
 *   gen_records --records N --seed S --format ris|csv [--dup-rate R] -o FILE
 *
 * Record k's content depends only on (seed, k), so the RIS and the CSV
 * written with the same seed hold the same records, and a duplicate can be
 * made by regenerating its original and varying it the way real exports of
 * the same paper differ. With --dup-rate the truth goes to FILE.truth.csv
 * (id,dup_group). Nothing here is timed; it only has to be fast enough to
 * write a million records in seconds, so text is built with plain appends. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

/* --- Random numbers: splitmix64, one stream per record ------------------- */

typedef struct rng { uint64_t s; } rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static rng rng_for(uint64_t seed, uint64_t k, uint64_t stream)
{
	rng r = { seed * 0xD1B54A32D192ED03ull ^ k * 0x9E3779B97F4A7C15ull ^ stream << 56 };
	rng_next(&r);
	return r;
}

/* Uniform in [0, n). */
static unsigned rnd(rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int chance(rng *r, double p)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0) < p;
}

/* Skewed towards the start of a list: early entries are the common words,
 * later ones rarer, roughly as in real text. */
static unsigned skew(rng *r, unsigned n)
{
	uint64_t u = rng_next(r) >> 40;              /* 24 bits */
	uint64_t v = (u * u) >> 24;
	return (unsigned)((v * n) >> 24);
}

#define N_(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rnd((r), (unsigned)N_(a))])
#define PICKS(r, a) ((a)[skew((r), (unsigned)N_(a))])

/* --- Output buffer -------------------------------------------------------- */

typedef struct buf { char *p; size_t len, cap; } buf;

static void die(const char *msg)
{
	fprintf(stderr, "gen_records: %s\n", msg);
	exit(1);
}

static void b_room(buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	size_t c = b->cap ? b->cap : 4096;
	while (c < b->len + n + 1)
		c *= 2;
	b->p = realloc(b->p, c);
	if (!b->p)
		die("out of memory");
	b->cap = c;
}

static void b_add(buf *b, const char *s, size_t n)
{
	b_room(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void b_str(buf *b, const char *s) { b_add(b, s, strlen(s)); }
static void b_ch(buf *b, char c) { b_add(b, &c, 1); }

static void b_num(buf *b, long v)
{
	char t[24];
	int n = snprintf(t, sizeof(t), "%ld", v);
	b_add(b, t, (size_t)n);
}

static void b_reset(buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* --- Vocabulary (written for this generator) ------------------------------ */

static const char *const POP[] = {
	"mothers", "parents", "children", "young people", "families", "women", "older adults",
	"adolescents", "fathers", "infants", "carers", "social workers", "nurses", "midwives",
	"pregnant women", "care leavers", "health visitors", "general practitioners",
	"people with dementia", "refugees", "asylum seekers", "migrants", "students",
	"people experiencing homelessness", "adults with learning disabilities", "veterans",
	"survivors of domestic abuse", "foster carers", "kinship carers", "adoptive parents",
	"looked-after children", "ethnic minority groups", "Indigenous communities",
	"rural residents", "people who inject drugs", "prisoners", "unpaid carers",
	"frontline staff", "care home residents", "stroke survivors", "cancer survivors",
	"people living with HIV", "first-time mothers", "teenage parents", "grandparents",
	"people with severe mental illness", "family members", "service users", "practitioners",
	"community health workers", "junior doctors", "pharmacists", "paramedics",
	"people with type 2 diabetes", "people with multiple sclerosis", "autistic adults",
	"sex workers", "transgender adults", "bereaved parents", "single parents",
};

static const char *const SETTING[] = {
	"primary care", "community settings", "hospitals", "care homes", "children's social care",
	"maternity services", "neonatal units", "emergency departments", "schools", "prisons",
	"rural areas", "urban neighbourhoods", "low-income countries", "high-income countries",
	"the United Kingdom", "England", "Scotland", "Wales", "Northern Ireland", "Ireland",
	"Australia", "Canada", "New Zealand", "Sweden", "Norway", "Denmark", "the Netherlands",
	"Germany", "Brazil", "South Africa", "Kenya", "Uganda", "India", "China", "Japan",
	"sub-Saharan Africa", "family courts", "mental health services", "substance use services",
	"homeless shelters", "refugee camps", "general practice", "intensive care units",
	"home visiting programmes", "outpatient clinics", "youth justice services",
	"residential care", "hospices", "pharmacies", "faith communities", "local authorities",
	"the voluntary sector", "perinatal mental health services", "sexual health clinics",
};

static const char *const INTERV[] = {
	"peer support", "home visiting", "cognitive behavioural therapy", "parenting programmes",
	"motivational interviewing", "case management", "telehealth", "digital interventions",
	"mindfulness-based interventions", "family group conferencing", "financial incentives",
	"advocacy", "social prescribing", "psychoeducation", "trauma-informed care",
	"multidisciplinary team working", "brief alcohol interventions", "exercise programmes",
	"nurse-led clinics", "early intervention", "kangaroo care", "breastfeeding support",
	"medication review", "shared decision making", "mobile health applications",
	"video feedback", "residential treatment", "opioid substitution therapy", "Housing First",
	"school-based programmes", "befriending", "respite care", "intensive family support",
	"pre-birth assessment", "supervised contact", "restorative practice", "mentoring",
	"group antenatal care", "collaborative care", "integrated care pathways",
	"dialectical behaviour therapy", "family therapy", "cash transfers", "text message reminders",
	"community navigators", "specialist midwifery teams", "reflective supervision",
};

static const char *const OUTCOME[] = {
	"depressive symptoms", "anxiety", "quality of life", "wellbeing", "readmission",
	"mortality", "child removal", "placement stability", "maternal mental health",
	"parenting stress", "attachment security", "service engagement", "treatment adherence",
	"hospital admissions", "loneliness", "self-efficacy", "stigma", "substance use",
	"birth weight", "preterm birth", "breastfeeding rates", "school attendance", "employment",
	"costs", "health-related quality of life", "recidivism", "suicidal ideation",
	"post-traumatic stress", "resilience", "social isolation", "satisfaction with care",
	"length of stay", "functional status", "falls", "pain intensity", "physical activity",
	"body mass index", "blood pressure", "glycaemic control", "vaccination uptake",
	"access to care", "reunification", "re-referral", "caregiver burden", "sleep quality",
	"emergency admissions", "infant development", "alcohol consumption", "housing stability",
};

static const char *const DESIGN[] = {
	"qualitative study", "systematic review", "randomised controlled trial", "cohort study",
	"cross-sectional survey", "mixed-methods study", "meta-analysis", "cluster randomised trial",
	"case-control study", "realist evaluation", "scoping review", "ethnographic study",
	"pilot study", "feasibility study", "process evaluation", "economic evaluation",
	"secondary analysis", "longitudinal study", "interrupted time series analysis",
	"Delphi study", "thematic synthesis", "grounded theory study", "case study",
	"natural experiment", "interpretative phenomenological analysis", "rapid review",
};

static const char *const METHOD[] = {
	"semi-structured interviews", "focus groups", "thematic analysis", "framework analysis",
	"logistic regression", "multilevel models", "propensity score matching",
	"Cox proportional hazards models", "structural equation modelling", "content analysis",
	"survival analysis", "difference-in-differences analysis", "linked administrative data",
	"electronic health records", "routinely collected data", "a national survey",
	"case file review", "participant observation", "reflexive thematic analysis",
	"random-effects meta-analysis", "Poisson regression", "latent class analysis",
	"constant comparison", "narrative synthesis", "negative binomial regression",
};

static const char *const ADJ[] = {
	"significant", "substantial", "modest", "consistent", "limited", "complex", "structural",
	"persistent", "emerging", "marked", "small", "moderate", "important", "multiple",
	"social", "clinical", "emotional", "practical", "financial", "relational",
	"organisational", "cultural", "statutory", "specialist", "holistic", "person-centred",
	"culturally sensitive", "evidence-based", "routine", "long-term", "short-term", "unmet",
	"adverse", "protective", "intergenerational", "perinatal", "postnatal", "antenatal",
	"socioeconomic", "psychosocial", "multi-agency", "coercive", "punitive", "supportive",
	"compassionate", "fragmented", "inconsistent", "timely", "equitable", "accessible",
	"hidden", "informal", "professional", "local", "national", "sustained", "unequal",
};

static const char *const NOUN[] = {
	"barriers", "facilitators", "experiences", "perceptions", "attitudes", "needs",
	"practices", "pathways", "relationships", "trust", "communication", "continuity",
	"engagement", "disparities", "inequalities", "risk factors", "determinants",
	"mechanisms", "implementation", "workforce", "capacity", "training", "supervision",
	"policy", "guidance", "decision-making", "assessment", "referral", "safeguarding",
	"shame", "fear", "poverty", "deprivation", "housing", "income", "education",
	"health literacy", "autonomy", "dignity", "power", "voice", "participation",
	"co-production", "services", "support", "care", "strategies", "models", "frameworks",
	"evidence", "identity", "belonging", "isolation", "surveillance", "judgement", "loss",
	"grief", "hope", "coping", "motherhood", "fatherhood", "recovery", "stability",
	"transitions", "eligibility", "thresholds", "caseloads", "commissioning", "outcomes",
};

static const char *const VPAST[] = {
	"examined", "explored", "assessed", "evaluated", "investigated", "described", "compared",
	"identified", "estimated", "measured", "analysed", "synthesised", "mapped", "quantified",
	"characterised", "reviewed",
};

static const char *const VCONC[] = {
	"suggest", "indicate", "highlight", "underline", "demonstrate", "show", "support",
	"point to", "reinforce", "call into question",
};

static const char *const SCALE[] = {
	"PHQ-9", "GAD-7", "EPDS", "SDQ", "K10", "CES-D", "WEMWBS", "EQ-5D-5L", "SF-36",
	"Parenting Stress Index", "AUDIT", "PCL-5", "UCLA Loneliness Scale", "Zarit Burden Interview",
	"CORE-10", "Barthel Index", "HADS", "ASQ-3", "Bayley-III",
};

static const char *const KEYWORD[] = {
	"Child protection", "Social work", "Mental health", "Qualitative research", "Mothers",
	"Systematic review", "Primary health care", "Parenting", "Domestic violence",
	"Substance-related disorders", "Pregnancy", "Infant, newborn", "Humans", "Female",
	"Male", "Adult", "Adolescent", "Aged", "Health services accessibility",
	"Patient participation", "Stigma", "Foster home care", "Postpartum period",
	"Depression, postpartum", "Health equity", "Socioeconomic factors", "Nursing",
	"Interprofessional relations", "Attitude of health personnel", "Decision making",
	"Community health services", "Homeless persons", "Refugees", "Dementia", "Caregivers",
	"Quality of life", "Randomized controlled trials as topic", "Cohort studies",
	"Risk factors", "Treatment outcome", "Trauma", "Resilience, psychological", "Loneliness",
	"Telemedicine", "Peer group", "Breast feeding", "Prisons", "Poverty", "Wellbeing",
	"Implementation science", "Co-production", "Lived experience", "Safeguarding",
};

static const char *const COUNTRYWORD[] = {
	"Ontario", "Victoria", "Bavaria", "Catalonia", "Lombardy", "Gauteng", "Kerala", "Hubei",
	"Ontario", "Yorkshire", "Lancashire", "Glasgow", "Cardiff", "Belfast", "Dublin",
	"Stockholm", "Oslo", "Aarhus", "Utrecht", "São Paulo", "Nairobi", "Kampala", "Osaka",
};

/* Syllables for the long tail of rare terms (drugs, places, instruments):
 * term k is always the same word, so rare words recur across records the
 * way they do in a real corpus. */
static const char *const ONSET[] = { "b", "br", "c", "cl", "d", "dr", "f", "g", "gr", "h",
	"k", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "z", "ch", "th", "qu" };
static const char *const VOWEL[] = { "a", "e", "i", "o", "u", "ae", "ia", "io", "ou", "ei" };
static const char *const CODA[] = { "", "n", "r", "l", "s", "x", "m", "t", "nd", "st" };
static const char *const TSUFFIX[] = { "ine", "ol", "ide", "ate", "azole", "umab", "opril",
	"astatin", "ovir", "ase", "osis", "itis", "ectomy", "gen", "plex", "ium", "ology",
	"ford", "ton", "ville", "berg", "ini", "ane", "ex" };
#define TAIL_TERMS 60000u

static void tail_term(buf *b, unsigned k)
{
	rng r = rng_for(0x7A11, k, 1);
	unsigned syl = 1 + rnd(&r, 3);
	for (unsigned i = 0; i < syl; i++) {
		b_str(b, PICK(&r, ONSET));
		b_str(b, PICK(&r, VOWEL));
		if (i + 1 < syl)
			b_str(b, PICK(&r, CODA));
	}
	b_str(b, PICK(&r, TSUFFIX));
}

/* --- Names ---------------------------------------------------------------- */

enum { S_ANGLO, S_ACCENT, S_ASIAN_LATIN, S_AFRICAN, S_CJK, S_CYR, S_GREEK, S_COUNT };

static const char *const FAM_ANGLO[] = { "Smith", "Jones", "Williams", "Brown", "Taylor",
	"Davies", "Evans", "Wilson", "Thomas", "Roberts", "Walker", "Wright", "Thompson",
	"Robinson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis",
	"Martin", "Jackson", "Clarke", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward",
	"Moore", "King", "Watson", "Baker", "Harrison", "Morgan", "Young", "Allen", "Mitchell",
	"Anderson", "Phillips", "Bell", "Parker", "Davis", "O'Brien", "McDonald", "Murphy",
	"Kelly", "Campbell", "Stewart", "MacLeod", "Fitzgerald", "van der Berg", "de Vries",
	"Jansen", "Bakker", "Johansson", "Andersen", "Nielsen", "Larsen", "Hansen", "Fischer",
	"Weber", "Becker", "Wagner", "Rossi", "Bianchi", "Costa", "Silva", "Santos", "Pereira" };
static const char *const GIV_ANGLO[] = { "James", "Sarah", "David", "Emma", "Michael",
	"Laura", "John", "Rachel", "Peter", "Helen", "Mark", "Claire", "Paul", "Rebecca",
	"Andrew", "Catherine", "Richard", "Hannah", "Thomas", "Sophie", "Daniel", "Lucy",
	"Christopher", "Anna", "Matthew", "Karen", "Jonathan", "Ruth", "Simon", "Fiona",
	"Lars", "Ingrid", "Pieter", "Marta", "Giulia", "Marco", "Ana", "Joana", "Kirsty" };
static const char *const FAM_ACCENT[] = { "Müller", "Schäfer", "García", "Rodríguez",
	"Martínez", "López", "Hernández", "Gómez", "Pérez", "Sánchez", "Núñez", "Ibáñez",
	"Gonçalves", "Araújo", "Simões", "Lefèvre", "Béranger", "Ferré", "Øvergaard", "Sørensen",
	"Ødegård", "Åberg", "Nyström", "Kovačević", "Dvořák", "Novák", "Łukasiewicz", "Wójcik",
	"Özdemir", "Yılmaz", "Çelik", "Şahin", "Nguyễn", "Trần", "Phạm", "Jäger", "Größer",
	"Cañete", "Fernández", "Lindqvist", "Håkansson", "Mäkinen", "Kärkkäinen" };
static const char *const GIV_ACCENT[] = { "José", "María", "Jürgen", "Björn", "Søren",
	"Åsa", "Zoë", "Chloé", "Hélène", "François", "Inês", "João", "Łucja", "Paweł", "Jiří",
	"Tomáš", "Ayşe", "Çağrı", "Ünal", "Renée", "Raphaël", "Mónica", "Ángel", "Dóra",
	"Eliška", "Nguyệt", "Đức" };
static const char *const FAM_ASIAN[] = { "Wang", "Li", "Zhang", "Liu", "Chen", "Yang",
	"Huang", "Zhao", "Wu", "Zhou", "Kim", "Park", "Lee", "Choi", "Nguyen", "Tanaka",
	"Suzuki", "Sato", "Singh", "Kumar", "Sharma", "Gupta", "Patel", "Ahmed", "Khan",
	"Hussain", "Ali", "Rahman", "Chowdhury", "Das", "Reddy", "Iyer" };
static const char *const GIV_ASIAN[] = { "Wei", "Fang", "Jing", "Min", "Lei", "Xiaoming",
	"Yu", "Hui", "Ji-woo", "Seo-yeon", "Hiroshi", "Yuki", "Kenji", "Priya", "Rahul",
	"Anjali", "Arjun", "Fatima", "Imran", "Ayesha", "Mohammed", "Nadia", "Sunil" };
static const char *const FAM_AFRICAN[] = { "Okafor", "Adeyemi", "Mensah", "Mwangi", "Abebe",
	"Okonkwo", "Banda", "Dlamini", "Nkosi", "Otieno", "Kamau", "Asante", "Boateng",
	"Mutasa", "Achieng", "Eze", "Olawale", "Tesfaye" };
static const char *const GIV_AFRICAN[] = { "Chinedu", "Amara", "Kwame", "Wanjiru", "Thandiwe",
	"Oluwaseun", "Abena", "Tendai", "Kofi", "Ngozi", "Sipho", "Zanele", "Yaw", "Makena" };
static const char *const FAM_CJK[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
	"周", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "김", "이", "박", "최", "정" };
static const char *const GIV_CJK[] = { "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊",
	"军", "翔太", "陽菜", "健", "美咲", "민준", "서연", "지훈", "수빈" };
static const char *const FAM_CYR[] = { "Иванов", "Смирнова", "Кузнецов", "Попова",
	"Соколов", "Лебедева", "Козлов", "Новикова", "Морозов", "Петров", "Волкова",
	"Шевченко", "Коваленко", "Бондаренко", "Ткаченко" };
static const char *const GIV_CYR[] = { "Александр", "Елена", "Дмитрий", "Ольга", "Сергей",
	"Наталья", "Андрій", "Ірина", "Михаил", "Татьяна", "Юлия" };
static const char *const FAM_GREEK[] = { "Παπαδόπουλος", "Γεωργίου", "Νικολάου",
	"Οικονόμου", "Βασιλείου", "Δημητρίου", "Καραγιάννης", "Αντωνίου", "Παπαγεωργίου" };
static const char *const GIV_GREEK[] = { "Γιώργος", "Μαρία", "Ελένη", "Νίκος", "Δημήτρης",
	"Κατερίνα", "Σοφία", "Κωνσταντίνος", "Αθηνά" };

typedef struct name_set {
	const char *const *fam, *const *giv;
	unsigned nfam, ngiv;
} name_set;

#define SET(f, g) { f, g, N_(f), N_(g) }
static const name_set NAMES[S_COUNT] = {
	SET(FAM_ANGLO, GIV_ANGLO), SET(FAM_ACCENT, GIV_ACCENT), SET(FAM_ASIAN, GIV_ASIAN),
	SET(FAM_AFRICAN, GIV_AFRICAN), SET(FAM_CJK, GIV_CJK), SET(FAM_CYR, GIV_CYR),
	SET(FAM_GREEK, GIV_GREEK),
};
/* Per mille of records led by each group; authors mix across groups. */
static const unsigned SCRIPT_WEIGHT[S_COUNT] = { 560, 160, 130, 50, 50, 30, 20 };

/* --- Journals and reference types ---------------------------------------- */

typedef struct journal {
	const char *name, *abbr, *doi_prefix, *doi_code;
} journal;

static const journal JOURNALS[] = {
	{ "Health & Social Care in the Community", "Health Soc Care Community", "10.1111", "hsc" },
	{ "Child Abuse & Neglect", "Child Abuse Negl", "10.1016", "j.chiabu" },
	{ "BMJ Open", "BMJ Open", "10.1136", "bmjopen" },
	{ "Social Science & Medicine", "Soc Sci Med", "10.1016", "j.socscimed" },
	{ "Journal of Advanced Nursing", "J Adv Nurs", "10.1111", "jan" },
	{ "Children and Youth Services Review", "Child Youth Serv Rev", "10.1016", "j.childyouth" },
	{ "The Lancet Public Health", "Lancet Public Health", "10.1016", "S2468-2667" },
	{ "Journal of Interpersonal Violence", "J Interpers Violence", "10.1177", "08862605" },
	{ "Midwifery", "Midwifery", "10.1016", "j.midw" },
	{ "The British Journal of Social Work", "Br J Soc Work", "10.1093", "bjsw" },
	{ "Qualitative Health Research", "Qual Health Res", "10.1177", "10497323" },
	{ "International Journal of Nursing Studies", "Int J Nurs Stud", "10.1016", "j.ijnurstu" },
	{ "Archives of Disease in Childhood", "Arch Dis Child", "10.1136", "archdischild" },
	{ "Journal of Public Health", "J Public Health (Oxf)", "10.1093", "pubmed" },
	{ "PLoS One", "PLoS One", "10.1371", "journal.pone" },
	{ "BMC Public Health", "BMC Public Health", "10.1186", "s12889" },
	{ "BMC Pregnancy and Childbirth", "BMC Pregnancy Childbirth", "10.1186", "s12884" },
	{ "Maternal and Child Health Journal", "Matern Child Health J", "10.1007", "s10995" },
	{ "Journal of Clinical Nursing", "J Clin Nurs", "10.1111", "jocn" },
	{ "Child & Family Social Work", "Child Fam Soc Work", "10.1111", "cfs" },
	{ "Addiction", "Addiction", "10.1111", "add" },
	{ "Drug and Alcohol Dependence", "Drug Alcohol Depend", "10.1016", "j.drugalcdep" },
	{ "Psychological Medicine", "Psychol Med", "10.1017", "S00332917" },
	{ "Journal of Affective Disorders", "J Affect Disord", "10.1016", "j.jad" },
	{ "Women and Birth", "Women Birth", "10.1016", "j.wombi" },
	{ "Health Expectations", "Health Expect", "10.1111", "hex" },
	{ "Journal of Family Violence", "J Fam Violence", "10.1007", "s10896" },
	{ "Trauma, Violence, & Abuse", "Trauma Violence Abuse", "10.1177", "15248380" },
	{ "Infant Mental Health Journal", "Infant Ment Health J", "10.1002", "imhj" },
	{ "Journal of Epidemiology and Community Health", "J Epidemiol Community Health",
	  "10.1136", "jech" },
	{ "Cochrane Database of Systematic Reviews", "Cochrane Database Syst Rev", "10.1002",
	  "14651858.CD" },
	{ "Implementation Science", "Implement Sci", "10.1186", "s13012" },
	{ "Health Services Research", "Health Serv Res", "10.1111", "1475-6773" },
	{ "Ageing and Society", "Ageing Soc", "10.1017", "S0144686X" },
	{ "International Journal of Geriatric Psychiatry", "Int J Geriatr Psychiatry", "10.1002",
	  "gps" },
	{ "Journal of Intellectual Disability Research", "J Intellect Disabil Res", "10.1111",
	  "jir" },
	{ "Revista de Saúde Pública", "Rev Saude Publica", "10.11606", "s1518-8787" },
	{ "Das Gesundheitswesen", "Gesundheitswesen", "10.1055", "a" },
	{ "Zhonghua Liu Xing Bing Xue Za Zhi", "Zhonghua Liu Xing Bing Xue Za Zhi", "10.3760",
	  "cma.j.issn.0254-6450" },
	{ "Archives of Women's Mental Health", "Arch Womens Ment Health", "10.1007", "s00737" },
	{ "Journal of Child Psychology and Psychiatry", "J Child Psychol Psychiatry", "10.1111",
	  "jcpp" },
	{ "International Journal of Drug Policy", "Int J Drug Policy", "10.1016", "j.drugpo" },
	{ "Journal of Social Work Practice", "J Soc Work Pract", "10.1080", "02650533" },
	{ "Nursing Open", "Nurs Open", "10.1002", "nop2" },
};

typedef struct rtype { const char *ris; unsigned weight; } rtype;
enum { T_JOUR, T_CHAP, T_CONF, T_RPRT, T_BOOK, T_THES, T_ELEC, T_GEN, T_COUNT };
static const rtype TYPES[T_COUNT] = {
	{ "JOUR", 820 }, { "CHAP", 40 }, { "CONF", 50 }, { "RPRT", 30 }, { "BOOK", 15 },
	{ "THES", 20 }, { "ELEC", 15 }, { "GEN", 10 },
};

static const char *const MONTHS[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	"Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const PUBLISHERS[] = { "Wiley", "Elsevier", "SAGE Publications",
	"Oxford University Press", "BMJ Publishing Group", "Springer", "Routledge",
	"Policy Press", "Taylor & Francis", "Public Health England", "Nuffield Foundation",
	"World Health Organization", "University of Bristol", "Karolinska Institutet" };
static const char *const LANGS[] = { "English", "Spanish", "German", "Portuguese",
	"French", "Chinese", "Russian", "Greek", "Japanese" };
/* Non-English titles for the records that have them (their abstract stays
 * English, as in MEDLINE). */
static const char *const TITLE_CYR[] = {
	"Социальная поддержка матерей в системе здравоохранения",
	"Качество жизни пожилых людей в сельской местности",
	"Психическое здоровье подростков после пандемии: когортное исследование",
};
static const char *const TITLE_CJK[] = {
	"社区护理对老年人生活质量的影响：一项随机对照试验",
	"产后抑郁症的危险因素分析",
	"地域包括ケアにおける多職種連携の課題",
};
static const char *const TITLE_GREEK[] = {
	"Η ψυχική υγεία των μητέρων στην πρωτοβάθμια φροντίδα",
	"Παράγοντες κινδύνου για την κατάθλιψη μετά τον τοκετό",
};
static const char *const TITLE_ACCENT[] = {
	"Apoyo social y salud mental materna en atención primaria: un estudio cualitativo",
	"Gesundheitliche Versorgung älterer Menschen in ländlichen Regionen",
	"Saúde mental de mães em situação de vulnerabilidade: revisão sistemática",
	"Évaluation d'un programme de visites à domicile pour les familles à risque",
};

/* --- A record ------------------------------------------------------------- */

#define SIBLING 0x80000000u
#define MAX_CLUSTER 6
#define MAX_AU 30
#define MAX_KW 12

typedef struct author {
	const char *fam;
	const char *giv[2];
	int ngiv;
	int script;
} author;

typedef struct grec {
	long id;                 /* as written (ID tag, CSV id) */
	int type, layout;
	author au[MAX_AU];
	int nau;
	int year, month, day;
	int journal;
	int volume, issue, spage, epage, article_no;
	long doi_num;
	long pmid;                /* 0 when none */
	int kw[MAX_KW], nkw;
	int lang;                 /* index in LANGS; 0 English */
	const char *foreign_title;
	int has_doi, has_abstract, publisher, labelled;
	/* how this copy is written (duplicates vary these) */
	int journal_abbr;         /* journal as its abbreviation */
	int pages_short;          /* "123-9" */
	int initials;             /* authors as initials: 0 as the layout does, 1 yes, 2 no */
	int doi_upper, doi_url, strip_accents, copyright, year_shift, wrap;
	buf title, abstract;
} grec;

/* RIS layouts, as different databases write the same record. */
enum { L_OVID, L_SCOPUS, L_PUBMED, L_EBSCO, L_COUNT };
static const unsigned LAYOUT_WEIGHT[L_COUNT] = { 30, 30, 25, 15 };

static unsigned weighted(rng *r, const unsigned *w, unsigned n)
{
	unsigned total = 0;
	for (unsigned i = 0; i < n; i++)
		total += w[i];
	unsigned x = rnd(r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* --- Text ----------------------------------------------------------------- */

static const char *const BACKGROUND[] = {
	"{A} {N} among {P} in {S} remain poorly understood.",
	"{P} face {A} {N} when they use {S}, yet little is known about how {I} shapes {O}.",
	"There is growing interest in {I} as a way to improve {O} for {P}.",
	"Although {I} is widely recommended, evidence on its effect on {O} in {S} is {A}.",
	"{N} and {N} are associated with poorer {O} among {P}.",
	"Rates of {O} among {P} have risen since {yr}, with {A} differences between regions.",
	"Policy in {S} increasingly emphasises {I}, but {A} {N} persist.",
};
static const char *const OBJECTIVE[] = {
	"This {D} {V} the {N} of {P} receiving {I} in {S}.",
	"We aimed to assess whether {I} reduces {O} among {P}.",
	"The aim of this study was to explore {N} and {N} of {I} from the perspectives of {P} and {P}.",
	"We {V} the association between {O} and {O} in a sample of {P}.",
	"This review {V} {A} evidence on {I} for {P} and its effect on {O}.",
};
static const char *const METHODS[] = {
	"We conducted a {D} in {S} between {yr} and {yr2}, using {M}.",
	"A total of {n} {P} were recruited from {k} sites in {W}.",
	"Data were collected through {M} and analysed using {M}.",
	"{Oc} was measured with the {SC} at baseline and after {k} months.",
	"We searched {k} databases from inception to {yr} and included {k} studies with {n} participants.",
	"Participants were randomly allocated to {I} or usual care.",
	"Exposure to {T} was ascertained from {M} held by {S}.",
	"Interviews lasted between {k} and {n2} minutes and were audio-recorded and transcribed verbatim.",
	"Models were adjusted for age, deprivation, ethnicity and prior {O}.",
	"Two reviewers independently screened records, extracted data and appraised quality.",
};
static const char *const RESULTS[] = {
	"Of {n} participants, {pct} were {P}.",
	"{Ic} was associated with {A} reductions in {O} (odds ratio {or}, 95% CI {ci}; {p}).",
	"{k} themes were identified: {N}, {N} and {N}.",
	"Compared with usual care, {O} improved by {d} points (95% CI {ci}).",
	"{Pc} described {A} {N}, {N} and a lack of {N} in {S}.",
	"No differences were found in {O} ({p}).",
	"Rates of {O} were higher among {P} than among {P} ({pct} vs {pct}).",
	"The intervention cost £{n} per participant, and the incremental cost per QALY was £{n}.",
	"Heterogeneity was {A} (I² = {pct}), and the pooled effect on {O} was {d} (95% CI {ci}).",
	"Participants valued {N} and {N}, but reported {A} {N} linked to {T}.",
	"Mean {SC} scores fell from {d} to {d2} ({p}).",
};
static const char *const CONCLUSION[] = {
	"These findings {C} the need for {A} {I} that address {N} among {P}.",
	"{Ic} may improve {O}, but {A} {N} limit its implementation in {S}.",
	"Services should consider {N} and {N} when designing {I} for {P}.",
	"Further research is needed to examine {N} and {O} in {S}.",
	"Practitioners in {S} should attend to {N}, {N} and the {A} {N} of {P}.",
	"{A} investment in {I} could reduce {O} and {N} for {P}.",
};
static const char *const SECTION_LABEL[][5] = {
	{ "Background: ", "Objective: ", "Methods: ", "Results: ", "Conclusions: " },
	{ "BACKGROUND: ", "OBJECTIVE: ", "METHODS: ", "RESULTS: ", "CONCLUSIONS: " },
	{ "Introduction: ", "Aims: ", "Design and methods: ", "Findings: ", "Implications for practice: " },
};
static const char *const COPYRIGHT[] = {
	" © {Y} John Wiley & Sons Ltd.", " © {Y} Elsevier Ltd. All rights reserved.",
	" (PsycInfo Database Record (c) {Y} APA, all rights reserved)",
	" © Author(s) (or their employer(s)) {Y}. Re-use permitted under CC BY.",
};

/* The longest copyright line, so that abstract and line stay <= 300 words. */
#define COPYRIGHT_WORDS 11

static void cap_add(buf *b, const char *s, int cap)
{
	size_t at = b->len;
	b_str(b, s);
	if (cap && b->p[at] >= 'a' && b->p[at] <= 'z')
		b->p[at] = (char)(b->p[at] - 'a' + 'A');
}

static void add_decimal(buf *b, rng *r, int lo, int hi, int places)
{
	b_num(b, lo + (int)rnd(r, (unsigned)(hi - lo + 1)));
	b_ch(b, '.');
	for (int i = 0; i < places; i++)
		b_ch(b, (char)('0' + rnd(r, 10)));
}

/* Expands one template into b; a slot's first letter upper-cased when the
 * slot name is (e.g. {Pc}) or it starts the sentence. */
static void expand(buf *b, rng *r, const char *t, int year)
{
	int start = 1;
	while (*t) {
		if (*t != '{') {
			const char *e = strchr(t, '{');
			size_t n = e ? (size_t)(e - t) : strlen(t);
			b_add(b, t, n);
			t += n;
			start = 0;
			continue;
		}
		const char *e = strchr(t, '}');
		char slot[8] = "";
		size_t n = (size_t)(e - t - 1);
		if (n >= sizeof(slot))
			n = sizeof(slot) - 1;
		memcpy(slot, t + 1, n);
		t = e + 1;
		int cap = start || (n == 2 && slot[1] == 'c');
		start = 0;
		switch (slot[0]) {
		case 'A': cap_add(b, PICKS(r, ADJ), cap); break;
		case 'N': cap_add(b, PICKS(r, NOUN), cap); break;
		case 'P': cap_add(b, PICKS(r, POP), cap); break;
		case 'S':
			if (slot[1] == 'C')
				b_str(b, PICK(r, SCALE));
			else
				cap_add(b, PICKS(r, SETTING), cap);
			break;
		case 'I': cap_add(b, PICKS(r, INTERV), cap); break;
		case 'O': cap_add(b, PICKS(r, OUTCOME), cap); break;
		case 'D': b_str(b, PICKS(r, DESIGN)); break;
		case 'M': b_str(b, PICKS(r, METHOD)); break;
		case 'V': b_str(b, PICK(r, VPAST)); break;
		case 'C': b_str(b, PICK(r, VCONC)); break;
		case 'W': b_str(b, PICK(r, COUNTRYWORD)); break;
		case 'T': {
			size_t at = b->len;
			tail_term(b, skew(r, TAIL_TERMS));
			if (cap)
				b->p[at] = (char)(b->p[at] - 'a' + 'A');
			break;
		}
		case 'Y': b_num(b, year); break;
		case 'y':
			b_num(b, slot[2] == '2' ? year - 1 : year - 2 - (int)rnd(r, 12));
			break;
		case 'n': b_num(b, slot[1] == '2' ? 30 + rnd(r, 90) : 12 + rnd(r, 4000)); break;
		case 'k': b_num(b, 2 + rnd(r, 14)); break;
		case 'd': add_decimal(b, r, 0, 14, 1); break;
		case 'p':
			if (slot[1] == 'c') {
				add_decimal(b, r, 1, 98, 1);
				b_ch(b, '%');
			} else if (chance(r, 0.5)) {
				b_str(b, "p < 0.001");
			} else {
				b_str(b, "p = 0.0");
				b_num(b, 1 + rnd(r, 9));
			}
			break;
		case 'o': add_decimal(b, r, 0, 3, 2); break;
		case 'c':
			add_decimal(b, r, 0, 1, 2);
			b_str(b, chance(r, 0.5) ? " to " : "–");
			add_decimal(b, r, 1, 4, 2);
			break;
		default: b_str(b, slot); break;
		}
	}
}

static unsigned count_words(const char *s)
{
	unsigned n = 0;
	int in = 0;
	for (; *s; s++) {
		if (*s == ' ')
			in = 0;
		else if (!in)
			in = 1, n++;
	}
	return n;
}

/* Cuts b after its max-th word and ends it with a full stop. */
static void cut_words(buf *b, unsigned max)
{
	unsigned n = 0;
	int in = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->p[i] == ' ') {
			in = 0;
			if (n == max) {
				b->len = i;
				while (b->len && (b->p[b->len - 1] == ',' || b->p[b->len - 1] == ':' ||
						  b->p[b->len - 1] == ';'))
					b->len--;
				if (b->p[b->len - 1] != '.')
					b_ch(b, '.');
				b->p[b->len] = '\0';
				return;
			}
		} else if (!in) {
			in = 1, n++;
		}
	}
}

/* 150-300 words: background, objective, methods, results, conclusions. */
static void make_abstract(grec *g, rng *r)
{
	buf *b = &g->abstract;
	b_reset(b);
	unsigned target = 150 + rnd(r, 151);
	const char *const *labels = g->labelled ? SECTION_LABEL[rnd(r, 3)] : NULL;
	unsigned words = 0;
	struct { const char *const *t; unsigned n; unsigned until; } part[] = {
		{ BACKGROUND, N_(BACKGROUND), target * 18 / 100 },
		{ OBJECTIVE, N_(OBJECTIVE), 0 },
		{ METHODS, N_(METHODS), target * 48 / 100 },
		{ RESULTS, N_(RESULTS), target * 88 / 100 },
		{ CONCLUSION, N_(CONCLUSION), target },
	};
	for (unsigned s = 0; s < N_(part); s++) {
		if (b->len)
			b_ch(b, ' ');
		if (labels)
			b_str(b, labels[s]);
		do {
			size_t at = b->len;
			expand(b, r, part[s].t[rnd(r, part[s].n)], g->year);
			words += count_words(b->p + at);
			if (words < part[s].until)
				b_ch(b, ' ');
		} while (words < part[s].until);
	}
	cut_words(b, 300 - COPYRIGHT_WORDS);
}

static const char *const TITLE_T[] = {
	"{Ic} for {P} in {S}: a {D}",
	"{Ac} {N} of {P}: a {D}",
	"Effect of {I} on {O} among {P}: a {D}",
	"Exploring {N} and {N} in {S}: perspectives of {P}",
	"'It felt like a fight': experiences of {N} among {P} in {S}",
	"Association between {O} and {O} in {P}",
	"Does {I} improve {O}? Evidence from {S}",
	"{Nc}, {N} and {O} among {P} in {S}: findings from a {D}",
	"{Ic} and {O} in {P} with {T}: a {D} in {W}",
	"{Oc} and {N} after {I}: a {D} of {P} and {P}",
};

/* 6-25 words: a template, then whole phrases while they fit. */
static void make_title(grec *g, rng *r)
{
	static const char *const more[] = { " in {S}", " and {O}", " among {P}", " with {A} {N}",
		" across {S}" };
	buf *b = &g->title;
	b_reset(b);
	unsigned target = 6 + rnd(r, 20);
	expand(b, r, PICK(r, TITLE_T), g->year);
	unsigned words = count_words(b->p);
	while (words > 25) {          /* long population names in every slot */
		b_reset(b);
		expand(b, r, TITLE_T[0], g->year);
		words = count_words(b->p);
	}
	for (int guard = 0; words < target && guard < 8; guard++) {
		size_t at = b->len;
		expand(b, r, PICK(r, more), g->year);
		unsigned w = count_words(b->p + at);
		if (words + w > 25) {
			b->len = at;
			b->p[at] = '\0';
			break;
		}
		words += w;
	}
	if (words < 6)
		b_str(b, " in routine practice");
	if (chance(r, 0.5))
		b_ch(b, '.');
}

static void make_record(grec *g, uint64_t seed, long key)
{
	rng r = rng_for(seed, (uint64_t)key, 0);
	g->type = (int)weighted(&r, (const unsigned[]){ TYPES[0].weight, TYPES[1].weight,
		TYPES[2].weight, TYPES[3].weight, TYPES[4].weight, TYPES[5].weight,
		TYPES[6].weight, TYPES[7].weight }, T_COUNT);
	g->layout = (int)weighted(&r, LAYOUT_WEIGHT, L_COUNT);
	g->year = 2025 - (int)skew(&r, 50);
	g->month = 1 + (int)rnd(&r, 12);
	g->day = 1 + (int)rnd(&r, 28);
	g->journal = (int)skew(&r, (unsigned)N_(JOURNALS));
	g->volume = 1 + (g->year - 1970) / 2 + (int)rnd(&r, 10);
	g->issue = 1 + (int)rnd(&r, 12);
	g->spage = 1 + (int)rnd(&r, 2400);
	g->epage = g->spage + 3 + (int)rnd(&r, 22);
	g->article_no = JOURNALS[g->journal].doi_prefix[4] == '3' || chance(&r, 0.1)
		? 100000 + (int)rnd(&r, 899999) : 0;
	g->doi_num = 10000 + (long)rnd(&r, 89999);
	g->has_doi = g->type == T_JOUR ? chance(&r, 0.9) : chance(&r, 0.3);
	g->pmid = chance(&r, 0.45) ? 1000000 + (long)rnd(&r, 38000000) : 0;
	g->has_abstract = g->type == T_BOOK ? chance(&r, 0.5) : chance(&r, 0.97);
	g->labelled = chance(&r, 0.35);
	g->publisher = (int)rnd(&r, N_(PUBLISHERS));
	g->nkw = g->layout == L_PUBMED && chance(&r, 0.3) ? 0 : (int)rnd(&r, MAX_KW - 2);
	for (int i = 0, k = 0; i < g->nkw; i++) {
		int kw = (int)skew(&r, N_(KEYWORD)), seen = 0;
		for (int j = 0; j < k; j++)
			seen |= g->kw[j] == kw;
		if (!seen)
			g->kw[k++] = kw;
		if (i + 1 == g->nkw)
			g->nkw = k;
	}
	g->lang = 0;
	g->foreign_title = NULL;
	if (chance(&r, 0.04)) {
		unsigned which = rnd(&r, 4);
		if (which == 0) {
			g->lang = 6, g->foreign_title = PICK(&r, TITLE_CYR);
		} else if (which == 1) {
			unsigned k = rnd(&r, N_(TITLE_CJK));
			g->foreign_title = TITLE_CJK[k];
			g->lang = k == 2 ? 8 : 5;     /* the last one is Japanese */
		} else if (which == 2) {
			g->lang = 7, g->foreign_title = PICK(&r, TITLE_GREEK);
		} else {
			g->foreign_title = PICK(&r, TITLE_ACCENT);
			g->lang = 1 + (int)rnd(&r, 4);
		}
	}

	/* 1-30 authors, most papers 2-8; a team mostly from one group. */
	unsigned u = rnd(&r, 1000);
	g->nau = u < 60 ? 1 : u < 900 ? 2 + (int)rnd(&r, 7) : 9 + (int)rnd(&r, 22);
	int lead = (int)weighted(&r, SCRIPT_WEIGHT, S_COUNT);
	for (int i = 0; i < g->nau; i++) {
		author *a = &g->au[i];
		a->script = chance(&r, 0.7) ? lead : (int)weighted(&r, SCRIPT_WEIGHT, S_COUNT);
		const name_set *ns = &NAMES[a->script];
		a->fam = ns->fam[skew(&r, ns->nfam)];
		a->giv[0] = ns->giv[rnd(&r, ns->ngiv)];
		a->ngiv = 1;
		if (a->script < S_CJK && chance(&r, 0.3)) {
			a->giv[1] = ns->giv[rnd(&r, ns->ngiv)];
			a->ngiv = 2;
		}
	}
	make_title(g, &r);
	make_abstract(g, &r);
	g->copyright = chance(&r, 0.25) ? 1 + (int)rnd(&r, N_(COPYRIGHT)) : 0;
	g->wrap = chance(&r, 0.15) ? 1 + (int)rnd(&r, 2) : 0;
	/* This copy as its database writes it. */
	g->journal_abbr = g->layout == L_PUBMED;
	g->pages_short = g->layout == L_PUBMED;
	g->initials = 0;
	g->doi_upper = 0;
	g->doi_url = g->layout == L_OVID;
	g->strip_accents = 0;
	g->year_shift = 0;
}

/* --- Duplicates ----------------------------------------------------------- */

/* Title case changes: upper, lower, or Title Case. */
static void recase_title(buf *t, unsigned how)
{
	int word_start = 1;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		if (how == 0 && c >= 'a' && c <= 'z')
			t->p[i] = (char)(c - 32);
		else if (how == 1 && c >= 'A' && c <= 'Z')
			t->p[i] = (char)(c + 32);
		else if (how == 2 && word_start && c >= 'a' && c <= 'z')
			t->p[i] = (char)(c - 32);
		word_start = c == ' ' || c == '-';
	}
}

/* Punctuation changes: ":" -> " -", trailing full stop toggled, hyphens
 * dropped, quotes straightened. */
static void repunct_title(buf *t, rng *r)
{
	buf o = { 0 };
	unsigned how = rnd(r, 3);
	for (size_t i = 0; i < t->len; i++) {
		char c = t->p[i];
		if (c == ':' && how == 0)
			b_str(&o, " -");
		else if (c == '-' && how == 1)
			b_ch(&o, ' ');
		else if (c == '\'' && how == 2)
			b_ch(&o, '"');
		else
			b_ch(&o, c);
	}
	if (o.len && o.p[o.len - 1] == '.')
		o.p[--o.len] = '\0';
	else
		b_ch(&o, '.');
	b_reset(t);
	b_add(t, o.p, o.len);
	free(o.p);
}

/* A copy of the same paper as another database exports it. */
static void vary(grec *g, rng *r)
{
	int changed = 0;
	if (chance(r, 0.35))
		recase_title(&g->title, rnd(r, 3)), changed = 1;
	if (chance(r, 0.4))
		repunct_title(&g->title, r), changed = 1;
	if (chance(r, 0.5))
		g->initials = g->initials == 1 ? 2 : 1, changed = 1;
	if (g->has_doi && chance(r, 0.25))
		g->has_doi = 0, changed = 1;
	if (chance(r, 0.2))
		g->doi_upper = 1;
	if (chance(r, 0.4))
		g->journal_abbr = !g->journal_abbr, changed = 1;
	if (chance(r, 0.4))
		g->pages_short = !g->pages_short, changed = 1;
	if (chance(r, 0.15))
		g->strip_accents = 1;
	if (chance(r, 0.2))
		g->copyright = g->copyright ? 0 : 1 + (int)rnd(r, N_(COPYRIGHT));
	if (chance(r, 0.05))
		g->has_abstract = 0;
	if (chance(r, 0.05))
		g->year_shift = 1;     /* online first vs print year */
	if (chance(r, 0.15) && g->nkw)
		g->nkw = 0;
	if (chance(r, 0.7) || !changed) {
		int l = g->layout;
		while (l == g->layout)
			l = (int)rnd(r, L_COUNT);
		g->layout = l;
	}
	g->wrap = chance(r, 0.15) ? 1 + (int)rnd(r, 2) : 0;
}

/* A different paper that looks like one (protocol and results, erratum):
 * the hard negatives of deduplication. */
static void make_sibling(grec *g, rng *r)
{
	static const char *const suffix[] = { ": study protocol for a randomised controlled trial",
		": protocol for a systematic review", " (Erratum)", ": a 5-year follow-up",
		": secondary analysis" };
	const char *sfx = PICK(r, suffix);
	unsigned room = 25 - count_words(sfx);
	if (count_words(g->title.p) > room)
		cut_words(&g->title, room);
	while (g->title.len && (g->title.p[g->title.len - 1] == '.'))
		g->title.p[--g->title.len] = '\0';
	b_str(&g->title, sfx);
	g->year = g->year - 1 - (int)rnd(r, 3);
	g->journal = (int)rnd(r, N_(JOURNALS));
	g->doi_num = 10000 + (long)rnd(r, 89999);
	g->pmid = g->pmid ? 1000000 + (long)rnd(r, 38000000) : 0;
	g->volume = g->volume > 3 ? g->volume - 2 : g->volume + 1;
	g->spage = 1 + (int)rnd(r, 2400);
	g->epage = g->spage + 3 + (int)rnd(r, 10);
	make_abstract(g, r);
	if (g->nau > 2)
		g->nau -= 1;
}

/* --- Writing -------------------------------------------------------------- */

/* Latin letters with accents -> ASCII, as some databases export names. */
static void add_stripped(buf *b, const char *s)
{
	static const struct { const char *from, *to; } map[] = {
		{ "ü", "u" }, { "ä", "a" }, { "ö", "o" }, { "ß", "ss" }, { "á", "a" }, { "é", "e" },
		{ "í", "i" }, { "ó", "o" }, { "ú", "u" }, { "ñ", "n" }, { "ç", "c" }, { "è", "e" },
		{ "ê", "e" }, { "ã", "a" }, { "õ", "o" }, { "Ø", "O" }, { "ø", "o" }, { "Å", "A" },
		{ "å", "a" }, { "č", "c" }, { "ř", "r" }, { "Ł", "L" }, { "ł", "l" }, { "ó", "o" },
		{ "Ö", "O" }, { "ı", "i" }, { "Ç", "C" }, { "Ş", "S" }, { "ş", "s" }, { "ễ", "e" },
		{ "ầ", "a" }, { "ạ", "a" }, { "Á", "A" }, { "ë", "e" }, { "Đ", "D" }, { "ệ", "e" },
		{ "ğ", "g" }, { "Ü", "U" }, { "š", "s" }, { "ž", "z" }, { "ř", "r" }, { "ý", "y" },
		{ "ă", "a" }, { "ứ", "u" }, { "ầ", "a" }, { "ả", "a" },
	};
	while (*s) {
		if ((unsigned char)*s < 0x80) {
			b_ch(b, *s++);
			continue;
		}
		size_t k;
		for (k = 0; k < N_(map); k++) {
			size_t n = strlen(map[k].from);
			if (!strncmp(s, map[k].from, n)) {
				b_str(b, map[k].to);
				s += n;
				break;
			}
		}
		if (k == N_(map))
			b_ch(b, *s++);
	}
}

/* The first character of a name (whole UTF-8 sequence). */
static void add_initial(buf *b, const char *s)
{
	size_t n = 1;
	unsigned char c = (unsigned char)s[0];
	if (c >= 0xF0) n = 4;
	else if (c >= 0xE0) n = 3;
	else if (c >= 0xC0) n = 2;
	b_add(b, s, n);
}

/* style: 0 "Family, Given Middle", 1 "Family, G. M.", 2 "Family, GM",
 * 3 "Family GM" (MEDLINE). CJK names in their script: "王伟" or "王, 伟". */
static void add_author(buf *b, const grec *g, const author *a, int style)
{
	if (a->script == S_CJK) {
		b_str(b, a->fam);
		if (style != 3)
			b_str(b, ", ");
		b_str(b, a->giv[0]);
		return;
	}
	if (g->strip_accents)
		add_stripped(b, a->fam);
	else
		b_str(b, a->fam);
	b_str(b, style == 3 ? " " : ", ");
	for (int i = 0; i < a->ngiv; i++) {
		if (style == 0) {
			if (i)
				b_ch(b, ' ');
			if (g->strip_accents)
				add_stripped(b, a->giv[i]);
			else
				b_str(b, a->giv[i]);
		} else {
			if (style == 1 && i)
				b_ch(b, ' ');
			add_initial(b, a->giv[i]);
			if (style == 1)
				b_ch(b, '.');
		}
	}
}

static int author_style(const grec *g)
{
	int def = g->layout == L_OVID ? 0 : g->layout == L_SCOPUS ? 1 : g->layout == L_PUBMED ? 0 : 2;
	if (g->initials == 1)
		return def == 0 ? (g->layout == L_PUBMED ? 3 : 1) : def;
	if (g->initials == 2)
		return 0;
	return def;
}

static void add_pages(buf *b, const grec *g, int sep_ep)
{
	if (g->article_no) {
		b_ch(b, 'e');
		b_num(b, g->article_no);
		return;
	}
	b_num(b, g->spage);
	if (sep_ep)
		return;
	b_ch(b, '-');
	if (g->pages_short) {
		/* MEDLINE style: only the digits that change ("123-9"). */
		char s[16], e[16];
		snprintf(s, sizeof(s), "%d", g->spage);
		snprintf(e, sizeof(e), "%d", g->epage);
		size_t i = 0;
		if (strlen(s) == strlen(e))
			while (s[i] && s[i] == e[i] && e[i + 1])
				i++;
		b_str(b, e + i);
	} else {
		b_num(b, g->epage);
	}
}

static void add_doi(buf *b, const grec *g)
{
	const journal *j = &JOURNALS[g->journal];
	if (g->doi_url)
		b_str(b, g->layout == L_OVID ? "http://dx.doi.org/" : "https://doi.org/");
	size_t from = b->len;
	b_str(b, j->doi_prefix);
	b_ch(b, '/');
	b_str(b, j->doi_code);
	b_ch(b, '.');
	b_num(b, g->year);
	b_ch(b, '.');
	b_num(b, g->doi_num);
	if (g->doi_upper)
		for (size_t i = from; i < b->len; i++)
			if (b->p[i] >= 'a' && b->p[i] <= 'z')
				b->p[i] = (char)(b->p[i] - 32);
}

static void add_abstract_text(buf *b, const grec *g)
{
	b_add(b, g->abstract.p, g->abstract.len);
	if (g->copyright) {
		rng r = rng_for((uint64_t)g->id, 7, 3);
		expand(b, &r, COPYRIGHT[g->copyright - 1], g->year);
	}
}

static void tag(buf *b, const char *t)
{
	b_str(b, t);
	b_str(b, "  - ");
}

static void line(buf *b, const char *t, const char *v)
{
	tag(b, t);
	b_str(b, v);
	b_ch(b, '\n');
}

/* A long value over several lines: the first after the tag, the rest as
 * continuation lines (plain, or indented as some exports do). */
static void wrapped(buf *b, const char *t, const char *v, size_t vlen, int how)
{
	tag(b, t);
	size_t col = 0;
	const char *p = v, *end = v + vlen;
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t w = sp ? (size_t)(sp - p) : (size_t)(end - p);
		if (col && col + w > 72) {
			b_ch(b, '\n');
			if (how == 2)
				b_str(b, "      ");
			col = 0;
		} else if (col) {
			b_ch(b, ' ');
			col++;
		}
		b_add(b, p, w);
		col += w;
		p += w;
		while (p < end && *p == ' ')
			p++;
	}
	b_ch(b, '\n');
}

static void ris_authors(buf *b, const grec *g, const char *t)
{
	int style = author_style(g);
	for (int i = 0; i < g->nau; i++) {
		tag(b, t);
		add_author(b, g, &g->au[i], style);
		b_ch(b, '\n');
	}
}

static void write_ris(buf *b, grec *g, buf *tmp)
{
	const journal *j = &JOURNALS[g->journal];
	const char *jname = g->journal_abbr ? j->abbr : j->name;
	int year = g->year + g->year_shift;
	line(b, "TY", TYPES[g->type].ris);
	tag(b, "ID");
	b_num(b, g->id);
	b_ch(b, '\n');
	const char *title = g->foreign_title ? g->foreign_title : g->title.p;
	const char *ttag = g->layout == L_OVID ? "T1" : "TI";
	const char *autag = g->layout == L_OVID ? "A1" : "AU";
	const char *abtag = g->layout == L_OVID ? "N2" : "AB";
	if (g->layout == L_EBSCO)
		ris_authors(b, g, autag);
	line(b, ttag, title);
	if (g->foreign_title) {
		b_reset(tmp);
		b_ch(tmp, '[');
		b_add(tmp, g->title.p, g->title.len);
		b_ch(tmp, ']');
		line(b, "TT", tmp->p);
	}
	if (g->layout != L_EBSCO)
		ris_authors(b, g, autag);
	/* The date as each database writes it. */
	b_reset(tmp);
	b_num(tmp, year);
	if (g->layout == L_OVID) {
		b_str(tmp, "//");
		line(b, "Y1", tmp->p);
	} else if (g->layout == L_PUBMED) {
		line(b, "PY", tmp->p);
		b_ch(tmp, '/');
		if (g->month < 10) b_ch(tmp, '0');
		b_num(tmp, g->month);
		b_ch(tmp, '/');
		if (g->day < 10) b_ch(tmp, '0');
		b_num(tmp, g->day);
		b_ch(tmp, '/');
		line(b, "DA", tmp->p);
	} else if (g->layout == L_EBSCO) {
		b_ch(tmp, ' ');
		b_str(tmp, MONTHS[g->month - 1]);
		line(b, "Y1", tmp->p);
	} else {
		line(b, "PY", tmp->p);
	}
	if (g->has_abstract) {
		b_reset(tmp);
		add_abstract_text(tmp, g);
		if (g->wrap)
			wrapped(b, abtag, tmp->p, tmp->len, g->wrap);
		else
			line(b, abtag, tmp->p);
	}
	int journalish = g->type == T_JOUR || g->type == T_ELEC || g->type == T_GEN;
	if (journalish) {
		if (g->layout == L_OVID) {
			line(b, g->journal_abbr ? "JA" : "JF", jname);
		} else if (g->layout == L_SCOPUS) {
			line(b, "T2", jname);
			line(b, "J2", j->abbr);
		} else {
			line(b, g->layout == L_PUBMED ? "JO" : "T2", jname);
		}
	} else if (g->type == T_CHAP || g->type == T_CONF) {
		b_reset(tmp);
		b_str(tmp, g->type == T_CONF ? "Proceedings of the " : "Handbook of ");
		b_str(tmp, PICKS(&(rng){ (uint64_t)g->journal }, NOUN));
		b_str(tmp, g->type == T_CONF ? " Conference" : " in Health and Social Care");
		line(b, "T2", tmp->p);
	}
	if (journalish || g->type == T_CONF) {
		tag(b, "VL"); b_num(b, g->volume); b_ch(b, '\n');
		if (!g->article_no) {
			tag(b, "IS"); b_num(b, g->issue); b_ch(b, '\n');
		}
		tag(b, "SP");
		if (g->layout == L_PUBMED || g->pages_short) {
			add_pages(b, g, 0);
			b_ch(b, '\n');
		} else {
			add_pages(b, g, 1);
			b_ch(b, '\n');
			if (!g->article_no) {
				tag(b, "EP");
				b_reset(tmp);
				add_pages(tmp, g, 0);
				const char *dash = strchr(tmp->p, '-');
				b_str(b, dash ? dash + 1 : tmp->p);
				b_ch(b, '\n');
			}
		}
	}
	if (g->type != T_JOUR)
		line(b, "PB", PUBLISHERS[g->publisher]);
	if (journalish) {
		b_reset(tmp);
		rng ir = rng_for(0x155, (uint64_t)g->journal, 2);
		for (int i = 0; i < 8; i++) {
			if (i == 4) b_ch(tmp, '-');
			b_ch(tmp, (char)('0' + rnd(&ir, 10)));
		}
		line(b, "SN", tmp->p);
	}
	for (int i = 0; i < g->nkw; i++)
		line(b, "KW", KEYWORD[g->kw[i]]);
	if (g->has_doi) {
		tag(b, "DO");
		add_doi(b, g);
		b_ch(b, '\n');
	}
	if (g->pmid && (g->layout == L_PUBMED || g->layout == L_OVID)) {
		b_reset(tmp);
		b_num(tmp, g->pmid);
		line(b, "AN", tmp->p);
	}
	if (g->lang || g->layout == L_SCOPUS)
		line(b, "LA", LANGS[g->lang]);
	if (g->layout == L_SCOPUS) {
		line(b, "DB", "Scopus");
		line(b, "M3", g->type == T_JOUR ? "Article" : "Conference Paper");
		line(b, "N1", "Export Date: 14 March 2024");
	} else if (g->layout == L_EBSCO) {
		line(b, "DB", "CINAHL Ultimate");
		line(b, "DP", "EBSCOhost");
		b_reset(tmp);
		b_str(tmp, "https://search.ebscohost.com/login.aspx?direct=true&db=ccm&AN=");
		b_num(tmp, 160000000 + g->id);
		line(b, "UR", tmp->p);
	} else if (g->layout == L_OVID) {
		line(b, "M3", "Journal Article");
		b_reset(tmp);
		b_str(tmp, "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc&AN=");
		b_num(tmp, g->id);
		line(b, "L2", tmp->p);
	}
	b_str(b, "ER  - \n\n");
}

/* RFC 4180: quoted when the value holds a comma, quote or line end. */
static void csv_field(buf *b, const char *s, size_t n)
{
	if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n)) {
		b_add(b, s, n);
		return;
	}
	b_ch(b, '"');
	const char *end = s + n;
	while (s < end) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		size_t k = q ? (size_t)(q - s) + 1 : (size_t)(end - s);
		b_add(b, s, k);
		if (q)
			b_ch(b, '"');
		s += k;
	}
	b_ch(b, '"');
}

static void write_csv(buf *b, grec *g, buf *tmp)
{
	b_num(b, g->id);
	b_ch(b, ',');
	const char *title = g->foreign_title ? g->foreign_title : g->title.p;
	csv_field(b, title, strlen(title));
	b_ch(b, ',');
	if (g->has_abstract) {
		b_reset(tmp);
		add_abstract_text(tmp, g);
		csv_field(b, tmp->p, tmp->len);
	}
	b_ch(b, ',');
	b_reset(tmp);
	int style = author_style(g);
	for (int i = 0; i < g->nau; i++) {
		if (i)
			b_str(tmp, "; ");
		add_author(tmp, g, &g->au[i], style);
	}
	csv_field(b, tmp->p, tmp->len);
	b_ch(b, ',');
	b_num(b, g->year + g->year_shift);
	b_ch(b, ',');
	const journal *j = &JOURNALS[g->journal];
	const char *jn = g->journal_abbr ? j->abbr : j->name;
	csv_field(b, jn, strlen(jn));
	b_ch(b, ',');
	if (g->has_doi) {
		b_reset(tmp);
		add_doi(tmp, g);
		csv_field(b, tmp->p, tmp->len);
	}
	b_ch(b, '\n');
}

/* --- Main ----------------------------------------------------------------- */

static const char usage[] =
	"usage: gen_records --records N --seed S --format ris|csv [--dup-rate R] -o FILE\n"
	"  Writes N synthetic records (deterministic for a seed). With --dup-rate R\n"
	"  (0..0.9) about R*N of them are varied copies of earlier ones, and the truth\n"
	"  goes to FILE.truth.csv (id,dup_group).\n";

static void flush(buf *b, FILE *fp)
{
	if (b->len && fwrite(b->p, 1, b->len, fp) != b->len)
		die("write failed");
	b_reset(b);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "records", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "dup-rate", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 }
	};
	long n = -1;
	uint64_t seed = 1;
	const char *format = "ris", *out = NULL;
	double dup = -1;
	int c;
	while ((c = getopt_long(argc, argv, "n:s:f:d:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': n = strtol(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'f': format = optarg; break;
		case 'd': dup = strtod(optarg, NULL); break;
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	int csv = !strcmp(format, "csv");
	if (n < 0 || n > 2000000000L || !out || (!csv && strcmp(format, "ris")) || dup > 0.9 ||
	    optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	FILE *fp = fopen(out, "wb");
	if (!fp) {
		fprintf(stderr, "gen_records: %s: %s\n", out, strerror(errno));
		return 1;
	}
	FILE *truth = NULL;
	/* origs: the originals so far; keyof[id]: whose content record id
	 * has, SIBLING when it is a look-alike built from an earlier record;
	 * csize[id]: records in original id's cluster. */
	uint32_t *origs = NULL, *keyof = NULL;
	unsigned char *csize = NULL;
	size_t norigs = 0;
	if (dup >= 0) {
		size_t tl = strlen(out) + 16;
		char *tp = malloc(tl);
		if (!tp)
			die("out of memory");
		snprintf(tp, tl, "%s.truth.csv", out);
		truth = fopen(tp, "wb");
		if (!truth) {
			fprintf(stderr, "gen_records: %s: %s\n", tp, strerror(errno));
			return 1;
		}
		free(tp);
		fputs("id,dup_group\n", truth);
		origs = malloc(((size_t)n + 1) * sizeof(*origs));
		keyof = malloc(((size_t)n + 1) * sizeof(*keyof));
		csize = calloc((size_t)n + 1, 1);
		if (!origs || !keyof || !csize)
			die("out of memory");
	}
	buf ob = { 0 }, tb = { 0 }, tmp = { 0 };
	grec *g = calloc(1, sizeof(*g));
	if (!g)
		die("out of memory");
	if (csv)
		b_str(&ob, "id,title,abstract,authors,year,journal,doi\n");
	for (long id = 1; id <= n; id++) {
		rng dr = rng_for(seed, (uint64_t)id, 9);
		long group = id;
		uint32_t key = (uint32_t)id;
		if (dup > 0 && norigs) {
			if (chance(&dr, dup)) {
				/* A uniformly chosen original with room in its cluster:
				 * real clusters rarely exceed a handful of copies. */
				for (int t = 0; t < 8 && group == id; t++) {
					uint32_t o = origs[rnd(&dr, (unsigned)norigs)];
					if (csize[o] < MAX_CLUSTER)
						group = o;
				}
				key = keyof[group];
			} else if (chance(&dr, dup / 10)) {
				uint32_t like = origs[rnd(&dr, (unsigned)norigs)];
				key = (keyof[like] & ~SIBLING) | SIBLING;
			}
		}
		make_record(g, seed, (long)(key & ~SIBLING));
		if (key & SIBLING) {
			rng sr = rng_for(seed, (uint64_t)group, 10);
			make_sibling(g, &sr);
		}
		g->id = id;
		if (group != id)
			vary(g, &dr);
		if (origs) {
			keyof[id] = key;
			csize[group]++;
			if (group == id)
				origs[norigs++] = (uint32_t)id;
		}
		if (csv)
			write_csv(&ob, g, &tmp);
		else
			write_ris(&ob, g, &tmp);
		if (ob.len > (1u << 20))
			flush(&ob, fp);
		if (truth) {
			b_num(&tb, id);
			b_ch(&tb, ',');
			b_num(&tb, group);
			b_ch(&tb, '\n');
			if (tb.len > (1u << 16))
				flush(&tb, truth);
		}
	}
	flush(&ob, fp);
	if (truth) {
		flush(&tb, truth);
		if (fclose(truth))
			die("write failed");
	}
	if (fclose(fp))
		die("write failed");
	free(ob.p);
	free(tb.p);
	free(tmp.p);
	free(g->title.p);
	free(g->abstract.p);
	free(g);
	free(origs);
	free(keyof);
	free(csize);
	return 0;
}
