/* scan/recommend — the "Related recommendation" of a leak: what to do, most urgent first,
 * per kind of credential and per provider (the providers' steps come from the rule files).
 * Untranslated text; shared by `akwatch show` and the TUI details pane. No I/O, any thread.
 */
#ifndef AKW_SCAN_RECOMMEND_H
#define AKW_SCAN_RECOMMEND_H

#include <stddef.h>

#include "detect/detect.h"

/* Room recommend_steps() needs, its NULL included. */
enum { RECOMMEND_MAX = 20 };

/* Steps for a leak of kind (struct leak.kind) found by rule rule_id: the steps of the
 * rule's provider in rs (for keys and tokens; a database or server password keeps its
 * kind's advice), else the kind's generic steps; then the kind's closing steps. rs,
 * kind and rule_id may be NULL (generic advice; an unknown kind gets the generic_secret
 * advice). Fills out with untranslated strings (static, or borrowed from rs: valid until
 * it is freed), NULL-terminated; show each with _(). Returns how many, never 0. */
size_t recommend_steps(const struct detect_ruleset *rs, const char *kind, const char *rule_id,
                       const char *out[RECOMMEND_MAX]);

/* Short label of a kind ("AccessKey", "Database", ...), untranslated; the kind itself
 * when unknown. */
const char *recommend_kind_label(const char *kind);

#endif
