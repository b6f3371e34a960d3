/* appraise_casp.c: the CASP qualitative checklist (2018), compiled in.
 *
 * Wording of the ten questions, the sections and the answer options as
 * published by the Critical Appraisal Skills Programme: Critical Appraisal
 * Skills Programme (2018). CASP Qualitative Checklist. [online] Available at:
 * https://casp-uk.net/casp-tools-checklists/ . This is the same text as
 * data/checklists/casp-qualitative-2018.json (t61 checks that `qes checklist
 * export` of a new review gives that file's JSON); edit both together. */
#include "qes/appraise.h"

const char qes_casp_qualitative_2018_json[] =
	"{\n"
	"  \"id\": \"casp-qualitative-2018\",\n"
	"  \"title\": \"CASP Qualitative Checklist\",\n"
	"  \"citation\": \"Critical Appraisal Skills Programme (2018). CASP Qualitative Checklist. [online] Available at: https://casp-uk.net/casp-tools-checklists/\",\n"
	"  \"answers\": [\"yes\", \"cant_tell\", \"no\"],\n"
	"  \"answer_labels\": {\"yes\": \"Yes\", \"cant_tell\": \"Can't tell\", \"no\": \"No\"},\n"
	"  \"questions\": [\n"
	"    {\"id\": \"casp1\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Was there a clear statement of the aims of the research?\"},\n"
	"    {\"id\": \"casp2\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Is a qualitative methodology appropriate?\"},\n"
	"    {\"id\": \"casp3\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Was the research design appropriate to address the aims of the research?\"},\n"
	"    {\"id\": \"casp4\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Was the recruitment strategy appropriate to the aims of the research?\"},\n"
	"    {\"id\": \"casp5\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Was the data collected in a way that addressed the research issue?\"},\n"
	"    {\"id\": \"casp6\", \"section\": \"A. Are the results valid?\", \"type\": \"rating\",\n"
	"     \"text\": \"Has the relationship between researcher and participants been adequately considered?\"},\n"
	"    {\"id\": \"casp7\", \"section\": \"B. What are the results?\", \"type\": \"rating\",\n"
	"     \"text\": \"Have ethical issues been taken into consideration?\"},\n"
	"    {\"id\": \"casp8\", \"section\": \"B. What are the results?\", \"type\": \"rating\",\n"
	"     \"text\": \"Was the data analysis sufficiently rigorous?\"},\n"
	"    {\"id\": \"casp9\", \"section\": \"B. What are the results?\", \"type\": \"rating\",\n"
	"     \"text\": \"Is there a clear statement of findings?\"},\n"
	"    {\"id\": \"casp10\", \"section\": \"C. Will the results help locally?\", \"type\": \"text\",\n"
	"     \"text\": \"How valuable is the research?\"}\n"
	"  ]\n"
	"}\n";
