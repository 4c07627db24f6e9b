/* scan_out — private to cli/: the output formats of `scan` and `rules test` (text, json
 * lines, SARIF 2.1.0, tsv) over scan hits. text/json/tsv stream; SARIF is written at the
 * end (one document). Never prints a raw secret.
 */
#ifndef AKW_CLI_SCAN_OUT_H
#define AKW_CLI_SCAN_OUT_H

#include <stdio.h>

#include "detect/detect.h"
#include "scan/local.h"

enum scan_format { SCAN_FMT_TEXT, SCAN_FMT_JSON, SCAN_FMT_SARIF, SCAN_FMT_TSV };
extern const char *const scan_format_names[]; /* NULL-terminated, in enum order */

struct scan_out;
/* rs (borrowed, outlives the writer) lists the rules in SARIF's tool.driver.rules. */
struct scan_out *scan_out_new(enum scan_format fmt, FILE *f, const struct detect_ruleset *rs);
void scan_out_hit(struct scan_out *o, const struct scan_hit *h, int owned);
/* Finish (SARIF: write the document) and free. */
void scan_out_end(struct scan_out *o);

#endif
