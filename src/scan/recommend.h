/* scan/recommend — the "Related recommendation" of a leak: what to do, most urgent first,
 * per kind of credential and (for cloud AccessKeys) per provider. Static text marked N_();
 * shared by `akwatch show`, the TUI details pane and reports. No I/O, any thread.
 */
#ifndef AKW_SCAN_RECOMMEND_H
#define AKW_SCAN_RECOMMEND_H

/* Steps for a leak of kind (struct leak.kind) found by rule rule_id (its provider prefix,
 * "alibaba-…", "aws-…", picks the console names; may be NULL). Returns a static
 * NULL-terminated array of untranslated strings; show each with _(). Never NULL: an
 * unknown kind gets the generic advice. */
const char *const *recommend_steps(const char *kind, const char *rule_id);

/* Short label of a kind ("AccessKey", "Database", ...), untranslated; the kind itself
 * when unknown. */
const char *recommend_kind_label(const char *kind);

#endif
