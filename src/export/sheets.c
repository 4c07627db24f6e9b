/* sheets — what each sheet of the report holds: one column table per sheet, read by every
 * format, so the xlsx, csv and json of one export carry the same rows and columns.
 * Adding a column is one line here; no format knows sheet contents. */
#include "config.h"

#include "export/export_int.h"

/* Machine words a LABEL cell may hold; listed so xgettext extracts them and the xlsx
 * shows them in the user's language. */
static const char *const labels[] __attribute__((unused)) = {
    N_("unhandled"), N_("handled"),  N_("whitelisted"), N_("deleted"), N_("disabled"),
    N_("reopened"),  N_("live"),     N_("invalid"),     N_("unknown"), N_("critical"),
    N_("high"),      N_("medium"),   N_("low"),         N_("owned"),   N_("not owned"),
    N_("leak"),      N_("call"),     N_("digest"),      N_("pending"), N_("sent"),
    N_("suppressed"), N_("failed"),  N_("actiontrail"), N_("cloudtrail"), N_("access_log"),
    N_("whitelist-add"), N_("whitelist-remove"),
};

static const char *
nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* Getters are one statement each: they only say which field a column shows. */
#define GETTER(name, stmt)                                                                   \
    static void name(const struct export_row *r, struct cell *c)                             \
    {                                                                                        \
        stmt;                                                                                \
    }

// clang-format off
/* ---- Leaks ---- */
GETTER(lk_id, c->n = r->leak->id)
GETTER(lk_sev, c->s = severity_name(r->leak->severity))
GETTER(lk_conf, c->s = confidence_name(r->leak->confidence))
GETTER(lk_status, c->s = leak_status_name(r->leak->status))
GETTER(lk_handled, c->s = nonempty(handled_as_name(r->leak->handled_as)))
GETTER(lk_ak, c->s = r->leak->ak_id)
GETTER(lk_masked, c->s = r->leak->secret_masked)
GETTER(lk_kind, c->s = r->leak->kind)
GETTER(lk_rule, c->s = r->leak->rule)
GETTER(lk_desc, c->s = r->leak->description)
GETTER(lk_prov, c->s = r->prov ? r->prov->name : NULL)
GETTER(lk_console, c->s = r->prov ? nonempty(r->prov->console) : NULL)
GETTER(lk_owned, c->n = r->leak->owned != 0)
GETTER(lk_verified, c->s = r->leak->verified)
GETTER(lk_verified_at, c->t = r->leak->verified_at)
GETTER(lk_verify_detail, c->s = r->leak->verified_identity ? r->leak->verified_identity
                                                           : r->leak->verify_error)
GETTER(lk_repo, c->s = r->leak->repo)
GETTER(lk_path, c->s = r->leak->path)
GETTER(lk_nloc, c->n = r->leak->n_locations)
GETTER(lk_first, c->t = r->leak->first_seen)
GETTER(lk_last, c->t = r->leak->last_seen)
GETTER(lk_note, c->s = r->leak->note)
GETTER(lk_fp, c->s = r->leak->fingerprint)

static const struct export_column leak_cols[] = {
    {N_("ID"),                "id",            8,  CELL_INT,      lk_id},
    {N_("Severity"),          "severity",      10, CELL_SEVERITY, lk_sev},
    {N_("Confidence"),        "confidence",    12, CELL_LABEL,    lk_conf},
    {N_("Status"),            "status",        12, CELL_LABEL,    lk_status},
    {N_("Handled as"),        "handled_as",    12, CELL_LABEL,    lk_handled},
    {N_("AccessKey ID"),      "ak_id",         34, CELL_TEXT,     lk_ak},
    {N_("Secret (masked)"),   "secret_masked", 40, CELL_TEXT,     lk_masked},
    {N_("Kind"),              "kind",          20, CELL_TEXT,     lk_kind},
    {N_("Rule"),              "rule",          28, CELL_TEXT,     lk_rule},
    {N_("Description"),       "description",   40, CELL_TEXT,     lk_desc},
    {N_("Provider"),          "provider",      20, CELL_LABEL,    lk_prov},
    {N_("Console"),           "console",       40, CELL_TEXT,     lk_console},
    {N_("Owned"),             "owned",         8,  CELL_BOOL,     lk_owned},
    {N_("Verified"),          "verified",      10, CELL_LABEL,    lk_verified},
    {N_("Verified at (UTC)"), "verified_at",   20, CELL_TIME,     lk_verified_at},
    {N_("Verification"),      "verification",  40, CELL_TEXT,     lk_verify_detail},
    {N_("Repository"),        "repo",          36, CELL_TEXT,     lk_repo},
    {N_("Path"),              "path",          50, CELL_TEXT,     lk_path},
    /* TRANSLATORS: a column header counting the places a leak was seen (not the sheet) */
    {NC_("column: how many", "Locations"), "n_locations", 10, CELL_INT, lk_nloc},
    {N_("First seen (UTC)"),  "first_seen",    20, CELL_TIME,     lk_first},
    {N_("Last seen (UTC)"),   "last_seen",     20, CELL_TIME,     lk_last},
    {N_("Note"),              "note",          40, CELL_TEXT,     lk_note},
    {N_("Fingerprint"),       "fingerprint",   66, CELL_TEXT,     lk_fp},
};

/* ---- Locations: one row per place a leak was seen ---- */
GETTER(lo_leak, c->n = r->leak->id)
GETTER(lo_platform, c->s = r->loc->platform)
GETTER(lo_repo, c->s = r->loc->repo)
GETTER(lo_path, c->s = r->loc->path)
GETTER(lo_line, c->n = r->loc->line)
GETTER(lo_col, c->n = r->loc->column)
GETTER(lo_commit, c->s = r->loc->commit)
GETTER(lo_url, c->s = r->loc->url)
GETTER(lo_author, c->s = r->loc->author)
GETTER(lo_committed, c->t = r->loc->committed_at)
GETTER(lo_found, c->t = r->loc->found_at)
GETTER(lo_snippet, c->s = r->loc->snippet)

static const struct export_column location_cols[] = {
    {N_("Leak ID"),                "leak_id",      8,  CELL_INT,      lo_leak},
    {N_("AccessKey ID"),           "ak_id",        34, CELL_TEXT,     lk_ak},
    {N_("Severity"),               "severity",     10, CELL_SEVERITY, lk_sev},
    {N_("Platform"),               "platform",     10, CELL_TEXT,     lo_platform},
    {N_("Repository"),             "repo",         36, CELL_TEXT,     lo_repo},
    {N_("Path"),                   "path",         50, CELL_TEXT,     lo_path},
    {N_("Line"),                   "line",         8,  CELL_INT,      lo_line},
    {N_("Column"),                 "column",       8,  CELL_INT,      lo_col},
    {N_("Commit"),                 "commit",       42, CELL_TEXT,     lo_commit},
    {N_("URL"),                    "url",          60, CELL_URL,      lo_url},
    {N_("Author"),                 "author",       24, CELL_TEXT,     lo_author},
    {N_("Committed at (UTC)"),     "committed_at", 20, CELL_TIME,     lo_committed},
    {N_("Found at (UTC)"),         "found_at",     20, CELL_TIME,     lo_found},
    {N_("Matching line (masked)"), "snippet",      80, CELL_TEXT,     lo_snippet},
};

/* ---- Suspicious calls: calls made with a leaked key after it leaked ---- */
GETTER(ca_id, c->n = r->call->id)
GETTER(ca_at, c->t = r->call->at)
GETTER(ca_ak, c->s = r->call->ak_id)
GETTER(ca_leak, c->n = r->call->leak_id; if (!c->n) c->type = CELL_TEXT)
GETTER(ca_ip, c->s = r->call->source_ip)
GETTER(ca_action, c->s = r->call->action)
GETTER(ca_url, c->s = r->call->url)
GETTER(ca_ua, c->s = r->call->user_agent)
GETTER(ca_kind, c->s = r->call->kind)
GETTER(ca_file, c->s = r->call->source_file)
GETTER(ca_line, c->n = r->call->source_line)

static const struct export_column call_cols[] = {
    {N_("ID"),           "id",          8,  CELL_INT,   ca_id},
    {N_("Time (UTC)"),   "at",          20, CELL_TIME,  ca_at},
    {N_("AccessKey ID"), "ak_id",       34, CELL_TEXT,  ca_ak},
    {N_("Leak ID"),      "leak_id",     8,  CELL_INT,   ca_leak},
    {N_("Source IP"),    "source_ip",   18, CELL_TEXT,  ca_ip},
    {N_("Action"),       "action",      30, CELL_TEXT,  ca_action},
    {N_("URL"),          "url",         50, CELL_TEXT,  ca_url},
    {N_("User agent"),   "user_agent",  40, CELL_TEXT,  ca_ua},
    {N_("Log type"),     "kind",        14, CELL_LABEL, ca_kind},
    {N_("Log file"),     "source_file", 40, CELL_TEXT,  ca_file},
    {N_("Log line"),     "source_line", 10, CELL_INT,   ca_line},
};

/* ---- Alerts: what was sent, and what was suppressed outside the window ---- */
GETTER(al_id, c->n = r->alert->id)
GETTER(al_created, c->t = r->alert->created_at)
GETTER(al_type, c->s = alert_type_name(r->alert->type))
GETTER(al_state, c->s = alert_state_name(r->alert->state))
GETTER(al_leak, c->n = r->alert->leak_id; if (!c->n) c->type = CELL_TEXT)
GETTER(al_call, c->n = r->alert->call_id; if (!c->n) c->type = CELL_TEXT)
GETTER(al_sent, c->t = r->alert->sent_at)
GETTER(al_reason, c->s = r->alert->suppressed_reason)
GETTER(al_channel, c->s = r->alert->channel)
GETTER(al_attempts, c->n = r->alert->attempts)
GETTER(al_error, c->s = r->alert->last_error)

static const struct export_column alert_cols[] = {
    {N_("ID"),                 "id",                8,  CELL_INT,   al_id},
    {N_("Created at (UTC)"),   "created_at",        20, CELL_TIME,  al_created},
    {N_("Type"),               "type",              10, CELL_LABEL, al_type},
    {N_("State"),              "state",             12, CELL_LABEL, al_state},
    {N_("Leak ID"),            "leak_id",           8,  CELL_INT,   al_leak},
    {N_("Call ID"),            "call_id",           8,  CELL_INT,   al_call},
    {N_("Sent at (UTC)"),      "sent_at",           20, CELL_TIME,  al_sent},
    {N_("Suppressed because"), "suppressed_reason", 30, CELL_TEXT,  al_reason},
    {N_("Channels"),           "channel",           24, CELL_TEXT,  al_channel},
    {N_("Attempts"),           "attempts",          9,  CELL_INT,   al_attempts},
    {N_("Last error"),         "last_error",        40, CELL_TEXT,  al_error},
};

/* ---- Whitelist ---- */
GETTER(wl_id, c->n = r->wl->id)
GETTER(wl_ak, c->s = r->wl->ak_id)
GETTER(wl_fp, c->s = r->wl->fingerprint)
GETTER(wl_reason, c->s = r->wl->reason)
GETTER(wl_who, c->s = r->wl->who)
GETTER(wl_added, c->t = r->wl->added_at)
GETTER(wl_leaks, c->n = r->wl->n_leaks)

static const struct export_column whitelist_cols[] = {
    {N_("ID"),             "id",          8,  CELL_INT,  wl_id},
    {N_("AccessKey ID"),   "ak_id",       34, CELL_TEXT, wl_ak},
    {N_("Fingerprint"),    "fingerprint", 66, CELL_TEXT, wl_fp},
    {N_("Reason"),         "reason",      40, CELL_TEXT, wl_reason},
    {N_("Added by"),       "who",         16, CELL_TEXT, wl_who},
    {N_("Added at (UTC)"), "added_at",    20, CELL_TIME, wl_added},
    {N_("Leaks"),          "n_leaks",     8,  CELL_INT,  wl_leaks},
};

/* ---- Audit log ---- */
GETTER(au_id, c->n = r->audit->id)
GETTER(au_at, c->t = r->audit->at)
GETTER(au_who, c->s = r->audit->who)
GETTER(au_what, c->s = r->audit->what)
/* leak_id 0: a whitelist change not tied to one leak; an empty cell, not "0" */
GETTER(au_leak, c->n = r->audit->leak_id; if (!c->n) c->type = CELL_TEXT)
GETTER(au_ak, c->s = r->audit->ak_id)
GETTER(au_note, c->s = r->audit->note)

static const struct export_column audit_cols[] = {
    {N_("ID"),           "id",      8,  CELL_INT,   au_id},
    {N_("Time (UTC)"),   "at",      20, CELL_TIME,  au_at},
    {N_("User"),         "who",     16, CELL_TEXT,  au_who},
    {N_("Action"),       "what",    18, CELL_LABEL, au_what},
    {N_("Leak ID"),      "leak_id", 8,  CELL_INT,   au_leak},
    {N_("AccessKey ID"), "ak_id",   34, CELL_TEXT,  au_ak},
    {N_("Note"),         "note",    40, CELL_TEXT,  au_note},
};

/* ---- Summary: section, item, value ---- */
GETTER(su_section, c->s = r->sum->section)
static void
su_item(const struct export_row *r, struct cell *c)
{
    c->type = r->sum->item_type;
    c->s = r->sum->item;
}
static void
su_value(const struct export_row *r, struct cell *c)
{
    c->type = r->sum->value_type;
    c->n = r->sum->count;
    c->t = r->sum->t;
    c->s = r->sum->text;
}

static const struct export_column summary_cols[] = {
    {N_("Section"), "section", 24, CELL_LABEL, su_section},
    {N_("Item"),    "item",    30, CELL_TEXT,  su_item},
    {N_("Value"),   "value",   20, CELL_INT,   su_value},
};

const char *const export_sheet_keys[SHEET_COUNT + 1] = {
    "summary", "leaks", "locations", "calls", "alerts", "whitelist", "audit", NULL,
};

#define COLS(a) a, sizeof a / sizeof a[0]
const struct export_sheet export_sheets[SHEET_COUNT] = {
    {SHEET_SUMMARY,   N_("Summary"),          "summary",   COLS(summary_cols)},
    {SHEET_LEAKS,     N_("Leaks"),            "leaks",     COLS(leak_cols)},
    {SHEET_LOCATIONS, N_("Locations"),        "locations", COLS(location_cols)},
    {SHEET_CALLS,     N_("Suspicious calls"), "calls",     COLS(call_cols)},
    {SHEET_ALERTS,    N_("Alerts"),           "alerts",    COLS(alert_cols)},
    {SHEET_WHITELIST, N_("Whitelist"),        "whitelist", COLS(whitelist_cols)},
    {SHEET_AUDIT,     N_("Audit log"),        "audit",     COLS(audit_cols)},
};
// clang-format on

void
export_sheet_cells(const struct export_sheet *sh, const struct export_row *r, struct cell *cells)
{
    for (size_t i = 0; i < sh->n_cols; i++) {
        struct cell *c = &cells[i];
        *c = (struct cell){.type = sh->cols[i].type};
        sh->cols[i].get(r, c);
    }
}
