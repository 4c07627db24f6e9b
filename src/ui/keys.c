/* keys — the default key bindings as one table {context, key, action} (tig's tigrc, cmus's
 * data/rc); the user's [keys] bind lines applied over it (context, key and action names,
 * one table each; errors as file:line); the lookup in the bindings in force (pane context
 * first, then generic), the status line's key hints from them, and key names for the
 * help. Does not read keys from the terminal (app.c does).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/ui_priv.h"

/* clang-format off */
static const struct binding default_bindings[] = {
    {KC_GENERIC,    'j',              ACT_MOVE_DOWN},
    {KC_GENERIC,    K_FN(KEY_DOWN),   ACT_MOVE_DOWN},
    {KC_GENERIC,    'k',              ACT_MOVE_UP},
    {KC_GENERIC,    K_FN(KEY_UP),     ACT_MOVE_UP},
    {KC_GENERIC,    K_FN(KEY_NPAGE),  ACT_PAGE_DOWN},
    {KC_GENERIC,    ' ',              ACT_PAGE_DOWN},
    {KC_GENERIC,    K_FN(KEY_PPAGE),  ACT_PAGE_UP},
    {KC_GENERIC,    'g',              ACT_TOP},
    {KC_GENERIC,    K_FN(KEY_HOME),   ACT_TOP},
    {KC_GENERIC,    'G',              ACT_BOTTOM},
    {KC_GENERIC,    K_FN(KEY_END),    ACT_BOTTOM},
    {KC_GENERIC,    'e',              ACT_EXPORT},
    {KC_GENERIC,    'm',              ACT_MENU},
    {KC_GENERIC,    K_FN(KEY_F(2)),   ACT_MENU},
    {KC_GENERIC,    '?',              ACT_HELP},
    {KC_GENERIC,    K_FN(KEY_F(1)),   ACT_HELP},
    {KC_GENERIC,    'R',              ACT_RELOAD},
    {KC_GENERIC,    K_CTRL('l'),      ACT_REDRAW},
    {KC_GENERIC,    'q',              ACT_CLOSE},
    {KC_GENERIC,    K_ESC,            ACT_CLOSE},

    {KC_LIST,       '\r',             ACT_ENTER},
    {KC_LIST,       '\n',             ACT_ENTER},
    {KC_LIST,       K_FN(KEY_ENTER),  ACT_ENTER},
    {KC_LIST,       '/',              ACT_SEARCH},
    {KC_LIST,       'n',              ACT_SEARCH_NEXT},
    {KC_LIST,       K_ESC,            ACT_SEARCH_CLEAR},
    {KC_LIST,       '\t',             ACT_VIEW_NEXT},
    {KC_LIST,       's',              ACT_SORT},
    {KC_LIST,       'v',              ACT_VERIFY_FILTER},
    {KC_LIST,       'c',              ACT_CONFIDENCE_ALL},
    {KC_LIST,       'V',              ACT_RECHECK},
    {KC_LIST,       'p',              ACT_PROCESS},
    {KC_LIST,       'w',              ACT_WHITELIST},

    {KC_DETAILS,    'p',              ACT_PROCESS},
    {KC_DETAILS,    'V',              ACT_RECHECK},

    {KC_PROCESSING, '1',              ACT_CHOOSE_DELETED},
    {KC_PROCESSING, '2',              ACT_CHOOSE_DISABLED},
    {KC_PROCESSING, '3',              ACT_CHOOSE_WHITELIST},
    {KC_PROCESSING, '\r',             ACT_NOTE_CONFIRM},
    {KC_PROCESSING, '\n',             ACT_NOTE_CONFIRM},
    {KC_PROCESSING, K_FN(KEY_ENTER),  ACT_NOTE_CONFIRM},

    {KC_WHITELIST,  'c',              ACT_CANCEL_WHITELIST},

    {KC_MENU,       '\r',             ACT_ENTER},
    {KC_MENU,       '\n',             ACT_ENTER},
    {KC_MENU,       K_FN(KEY_ENTER),  ACT_ENTER},

    {KC_SETTINGS,   '\r',             ACT_EDIT},
    {KC_SETTINGS,   '\n',             ACT_EDIT},
    {KC_SETTINGS,   K_FN(KEY_ENTER),  ACT_EDIT},
    {KC_SETTINGS,   's',              ACT_SAVE},

    {KC_DIALOG,     'y',              ACT_YES},
    {KC_DIALOG,     'Y',              ACT_YES},
    {KC_DIALOG,     'n',              ACT_NO},
    {KC_DIALOG,     'N',              ACT_NO},
    {KC_DIALOG,     'q',              ACT_NO},
    {KC_DIALOG,     K_ESC,            ACT_NO},
};

static const char *const context_titles[KC__COUNT] = {
    [KC_GENERIC]    = N_("Everywhere"),
    [KC_LIST]       = N_("Leak list"),
    [KC_DETAILS]    = N_("Details"),
    [KC_PROCESSING] = N_("Processing"),
    [KC_WHITELIST]  = N_("Whitelist"),
    [KC_MENU]       = N_("Menu"),
    [KC_HELP]       = N_("Help"),
    [KC_DIALOG]     = N_("Dialogs"),
    [KC_SETTINGS]   = N_("Notification settings"),
};

static const struct {
    int key;
    const char *name;
} key_names[] = {
    {K_FN(KEY_DOWN), "Down"}, {K_FN(KEY_UP), "Up"}, {K_FN(KEY_LEFT), "Left"},
    {K_FN(KEY_RIGHT), "Right"}, {K_FN(KEY_NPAGE), "PgDn"}, {K_FN(KEY_PPAGE), "PgUp"},
    {K_FN(KEY_HOME), "Home"}, {K_FN(KEY_END), "End"}, {K_FN(KEY_ENTER), "KpEnter"},
    {K_FN(KEY_BACKSPACE), "Backspace"}, {'\r', "Enter"}, {'\n', "^J"}, {'\t', "Tab"},
    {K_ESC, "Esc"}, {' ', "Space"}, {127, "Backspace"},
};
/* clang-format on */

/* clang-format off */
/* [keys] bind: the context names (the config's words for enum key_context). */
static const char *const context_names[KC__COUNT] = {
    [KC_GENERIC] = "generic", [KC_LIST] = "list",         [KC_DETAILS] = "details",
    [KC_PROCESSING] = "processing", [KC_WHITELIST] = "whitelist", [KC_MENU] = "menu",
    [KC_HELP] = "help",       [KC_DIALOG] = "dialog",     [KC_SETTINGS] = "settings",
};

/* [keys] bind: named keys (any case); a name may stand for several codes (Enter is the
 * Return key, ^J and the keypad's Enter). Other keys: one character, ^X, F1..F12. */
static const struct {
    const char *name;
    int codes[3]; /* 0 ends */
} named_keys[] = {
    {"Enter", {'\r', '\n', K_FN(KEY_ENTER)}}, {"Return", {'\r', '\n', K_FN(KEY_ENTER)}},
    {"Space", {' '}},       {"Tab", {'\t'}},          {"Esc", {K_ESC}}, {"Escape", {K_ESC}},
    {"Backspace", {K_FN(KEY_BACKSPACE), 127}},
    {"Up", {K_FN(KEY_UP)}}, {"Down", {K_FN(KEY_DOWN)}}, {"Left", {K_FN(KEY_LEFT)}},
    {"Right", {K_FN(KEY_RIGHT)}}, {"PgUp", {K_FN(KEY_PPAGE)}}, {"PageUp", {K_FN(KEY_PPAGE)}},
    {"PgDn", {K_FN(KEY_NPAGE)}}, {"PageDown", {K_FN(KEY_NPAGE)}},
    {"Home", {K_FN(KEY_HOME)}}, {"End", {K_FN(KEY_END)}},
    {"Insert", {K_FN(KEY_IC)}}, {"Delete", {K_FN(KEY_DC)}},
    {"Semicolon", {';'}}, /* "; x" would start an inline comment */
    {"Hash", {'#'}},
};
/* clang-format on */

/* clang-format off */
/* The status line's key hints: actions of a context and their short labels; the keys are
 * the bindings in force (a rebound key shows as bound, an unbound action is left out).
 * TRANSLATORS: key hint labels are one or two short words: a context's hints share one
 * 80-column status line */
static const struct {
    enum key_context ctx;
    enum action act, act2; /* act2: a pair shown as "j/k" (ACT_NONE: none) */
    const char *label;     /* NC_("key hint", ...) */
} hints[] = {
    {KC_LIST,       ACT_ENTER,            ACT_NONE,    NC_("key hint", "open")},
    {KC_LIST,       ACT_PROCESS,          ACT_NONE,    NC_("key hint", "process")},
    {KC_LIST,       ACT_SEARCH,           ACT_NONE,    NC_("key hint", "search")},
    {KC_LIST,       ACT_VIEW_NEXT,        ACT_NONE,    NC_("key hint", "view")},
    {KC_LIST,       ACT_WHITELIST,        ACT_NONE,    NC_("key hint", "whitelist")},
    {KC_LIST,       ACT_MENU,             ACT_NONE,    NC_("key hint", "menu")},
    {KC_LIST,       ACT_HELP,             ACT_NONE,    NC_("key hint", "help")},
    {KC_LIST,       ACT_CLOSE,            ACT_NONE,    NC_("key hint", "quit")},
    {KC_DETAILS,    ACT_PROCESS,          ACT_NONE,    NC_("key hint", "process")},
    {KC_DETAILS,    ACT_MOVE_DOWN,        ACT_MOVE_UP, NC_("key hint", "scroll")},
    {KC_DETAILS,    ACT_MENU,             ACT_NONE,    NC_("key hint", "menu")},
    {KC_DETAILS,    ACT_HELP,             ACT_NONE,    NC_("key hint", "help")},
    {KC_DETAILS,    ACT_CLOSE,            ACT_NONE,    NC_("key hint", "back")},
    {KC_PROCESSING, ACT_CHOOSE_DELETED,   ACT_NONE,    NC_("key hint", "deleted")},
    {KC_PROCESSING, ACT_CHOOSE_DISABLED,  ACT_NONE,    NC_("key hint", "disabled")},
    {KC_PROCESSING, ACT_CHOOSE_WHITELIST, ACT_NONE,    NC_("key hint: a decision", "whitelist")},
    {KC_PROCESSING, ACT_NOTE_CONFIRM,     ACT_NONE,    NC_("key hint", "note+confirm")},
    {KC_PROCESSING, ACT_CLOSE,            ACT_NONE,    NC_("key hint", "back")},
    {KC_WHITELIST,  ACT_CANCEL_WHITELIST, ACT_NONE,    NC_("key hint", "cancel whitelist")},
    {KC_WHITELIST,  ACT_MOVE_DOWN,        ACT_MOVE_UP, NC_("key hint", "move")},
    {KC_WHITELIST,  ACT_HELP,             ACT_NONE,    NC_("key hint", "help")},
    {KC_WHITELIST,  ACT_CLOSE,            ACT_NONE,    NC_("key hint", "back")},
    {KC_MENU,       ACT_ENTER,            ACT_NONE,    NC_("key hint", "choose")},
    {KC_MENU,       ACT_MOVE_DOWN,        ACT_MOVE_UP, NC_("key hint", "move")},
    {KC_MENU,       ACT_CLOSE,            ACT_NONE,    NC_("key hint", "close")},
    {KC_HELP,       ACT_MOVE_DOWN,        ACT_MOVE_UP, NC_("key hint", "scroll")},
    {KC_HELP,       ACT_CLOSE,            ACT_NONE,    NC_("key hint", "close")},
    {KC_DIALOG,     ACT_YES,              ACT_NONE,    NC_("key hint", "confirm")},
    {KC_DIALOG,     ACT_NO,               ACT_NONE,    NC_("key hint", "cancel")},
};
/* clang-format on */

/* The name of the first key that runs act in ctx (its own binding, else a generic one the
 * context does not shadow); NULL when no key does. */
static const char *
key_for(const struct app *a, enum key_context ctx, int modal, enum action act, char out[16])
{
    size_t n;
    const struct binding *b = keys_table(a, &n);
    for (int pass = 0; pass < 2; pass++) {
        enum key_context c = pass == 0 ? ctx : KC_GENERIC;
        if (pass == 1 && (modal || ctx == KC_GENERIC))
            break;
        for (size_t i = 0; i < n; i++)
            if (b[i].ctx == c && b[i].action == act && keys_lookup(a, ctx, modal, b[i].key) == act)
                return keys_name(b[i].key, out);
    }
    return NULL;
}

void
keys_hint(const struct app *a, enum key_context ctx, int modal, char *out, size_t n)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        if (hints[i].ctx != ctx)
            continue;
        char k1[16], k2[16];
        const char *a1 = key_for(a, ctx, modal, hints[i].act, k1);
        const char *a2 = hints[i].act2 != ACT_NONE ? key_for(a, ctx, modal, hints[i].act2, k2)
                                                   : NULL;
        if (!a1)
            continue;
        int w = snprintf(out + used, n - used, "%s%s%s%s:%s", used ? "  " : "", a1,
                         a2 ? "/" : "", a2 ? a2 : "", P_(hints[i].label));
        if (w < 0 || (size_t)w >= n - used) {
            out[used] = '\0';
            return;
        }
        used += (size_t)w;
    }
}

const struct binding *
keys_table(const struct app *a, size_t *n)
{
    if (a && a->bindings) {
        *n = a->n_bindings;
        return a->bindings;
    }
    *n = sizeof default_bindings / sizeof default_bindings[0];
    return default_bindings;
}

const char *
keys_context_title(enum key_context ctx)
{
    return _(context_titles[ctx]);
}

/* The binding of key in ctx: 1 with *act set (ACT_NONE for an explicit `none`), or 0. */
static int
lookup_in(const struct binding *b, size_t n, enum key_context ctx, int key, enum action *act)
{
    for (size_t i = 0; i < n; i++)
        if (b[i].ctx == ctx && b[i].key == key) {
            *act = b[i].action;
            return 1;
        }
    return 0;
}

enum action
keys_lookup(const struct app *a, enum key_context ctx, int modal, int key)
{
    size_t n;
    const struct binding *b = keys_table(a, &n);
    enum action act = ACT_NONE;
    if (!lookup_in(b, n, ctx, key, &act) && !modal && ctx != KC_GENERIC)
        lookup_in(b, n, KC_GENERIC, key, &act);
    return act;
}

/* UTF-8 of exactly one printable character: its code point, else -1. */
static int
one_char(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int len = u[0] < 0x80 ? 1 : (u[0] & 0xe0) == 0xc0 ? 2 : (u[0] & 0xf0) == 0xe0 ? 3
            : (u[0] & 0xf8) == 0xf0                    ? 4
                                                        : 0;
    if (len == 0 || (int)strlen(s) != len)
        return -1;
    int c = len == 1 ? u[0] : u[0] & (0x3f >> (len - 1));
    for (int i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return -1;
        c = (c << 6) | (u[i] & 0x3f);
    }
    return c > ' ' && c != 127 ? c : -1;
}

/* A key name into its codes (at most 3); returns how many, 0 when unknown. */
static int
key_parse(const char *s, int codes[3])
{
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (strcasecmp(s, named_keys[i].name) == 0) {
            int n = 0;
            while (n < 3 && named_keys[i].codes[n])
                codes[n] = named_keys[i].codes[n], n++;
            return n;
        }
    /* ^X, also written Ctrl-X or C-x */
    const char *ctl = s[0] == '^'                  ? s + 1
                      : strncasecmp(s, "Ctrl-", 5) == 0 ? s + 5
                      : strncasecmp(s, "C-", 2) == 0    ? s + 2
                                                        : NULL;
    if (ctl && ctl[0] && !ctl[1] && (ctl[0] | 0x20) >= 'a' && (ctl[0] | 0x20) <= 'z') {
        codes[0] = K_CTRL(ctl[0]);
        return 1;
    }
    if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
        char *end;
        long f = strtol(s + 1, &end, 10);
        if (!*end && f >= 1 && f <= 12) {
            codes[0] = K_FN(KEY_F((int)f));
            return 1;
        }
    }
    int c = one_char(s);
    if (c < 0)
        return 0;
    codes[0] = c;
    return 1;
}

static int
action_parse(const char *s, enum action *out)
{
    char name[40];
    snprintf(name, sizeof name, "%s", s);
    for (char *p = name; *p; p++)
        *p = *p == '_' ? '-' : *p; /* move_down reads as move-down */
    for (int a = 0; a < ACT__COUNT; a++)
        if (strcasecmp(name, action_name((enum action)a)) == 0) {
            *out = (enum action)a;
            return 0;
        }
    return -1;
}

static int
context_parse(const char *s, enum key_context *out)
{
    for (int c = 0; c < KC__COUNT; c++)
        if (strcasecmp(s, context_names[c]) == 0) {
            *out = (enum key_context)c;
            return 0;
        }
    return -1;
}

/* Bind (or, action ACT_NONE, unbind) key in ctx: an earlier binding of it there goes. */
static void
bind_one(struct binding **v, size_t *n, enum key_context ctx, int key, enum action act)
{
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (!((*v)[i].ctx == ctx && (*v)[i].key == key))
            (*v)[w++] = (*v)[i];
    *n = w;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (struct binding){ctx, key, act};
}

static void
bind_error(const struct config *cfg, size_t i, keys_error_fn cb, void *user, const char *fmt,
           ...) __attribute__((format(printf, 5, 6)));

static void
bind_error(const struct config *cfg, size_t i, keys_error_fn cb, void *user, const char *fmt,
           ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *msg = xasprintf("%s:%d: [keys] bind: %s", cfg->path ? cfg->path : "config",
                          cfg->binds.line[i], what);
    cb(msg, user);
    free(msg);
}

/* One bind line over the table; 0, or -1 after reporting what is wrong with it. */
static int
bind_line(const struct config *cfg, size_t i, struct binding **v, size_t *n, keys_error_fn cb,
          void *user)
{
    char *copy = xstrdup(cfg->binds.v[i]), *save = NULL;
    const char *w[3];
    w[0] = strtok_r(copy, " \t", &save);
    w[1] = w[0] ? strtok_r(NULL, " \t", &save) : NULL;
    w[2] = w[1] ? strtok_r(NULL, " \t", &save) : NULL;
    enum key_context ctx;
    enum action act;
    int codes[3], nc = w[1] ? key_parse(w[1], codes) : 0, rc = -1;
    if (!w[2]) /* the config loader checks for three words; in case it did not */
        bind_error(cfg, i, cb, user, _("expected CONTEXT KEY ACTION (%s)"), cfg->binds.v[i]);
    else if (context_parse(w[0], &ctx) != 0)
        bind_error(cfg, i, cb, user,
                   _("unknown context '%s' (generic, list, details, processing, whitelist, "
                     "menu, help, dialog or settings)"),
                   w[0]);
    else if (nc == 0)
        bind_error(cfg, i, cb, user,
                   _("unknown key '%s' (a character, ^X, F1..F12, Enter, Space, Tab, Esc, Up, "
                     "Down, PgUp, PgDn, Home, End...)"),
                   w[1]);
    else if (action_parse(w[2], &act) != 0)
        bind_error(cfg, i, cb, user, _("unknown action '%s' (? lists them)"), w[2]);
    else
        rc = 0;
    for (int k = 0; rc == 0 && k < nc; k++)
        bind_one(v, n, ctx, codes[k], act);
    free(copy);
    return rc;
}

int
keys_build(const struct config *cfg, struct binding **out, size_t *n, keys_error_fn cb,
           void *user)
{
    *n = sizeof default_bindings / sizeof default_bindings[0];
    *out = xmalloc(*n * sizeof **out);
    memcpy(*out, default_bindings, *n * sizeof **out);
    int errors = 0;
    for (size_t i = 0; cfg && i < cfg->binds.n; i++)
        errors += bind_line(cfg, i, out, n, cb, user) != 0;
    return errors;
}

static void
count_only(const char *msg, void *user)
{
    (void)msg;
    (void)user;
}

int
ui_keys_check(const struct config *cfg, keys_error_fn cb, void *user)
{
    struct binding *b;
    size_t n;
    int errors = keys_build(cfg, &b, &n, cb ? cb : count_only, user);
    free(b);
    return errors;
}

const char *
keys_context_name(enum key_context ctx)
{
    return context_names[ctx];
}

const char *
keys_name(int key, char out[16])
{
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key)
            return key_names[i].name;
    if (key >= UI_KEY_FN + KEY_F(1) && key <= UI_KEY_FN + KEY_F(12))
        snprintf(out, 16, "F%d", key - UI_KEY_FN - KEY_F0);
    else if (key > 0 && key < 32)
        snprintf(out, 16, "^%c", key + '@');
    else if (key >= 32 && key < 127)
        snprintf(out, 16, "%c", key);
    else
        snprintf(out, 16, "#%d", key);
    return out;
}
