/* keys — the default key bindings as one table {context, key, action} (tig's tigrc, cmus's
 * data/rc), the lookup (pane context first, then generic) and key names for the help.
 * Does not read keys from the terminal (app.c does).
 */
#include "config.h"

#include <stdio.h>

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

const struct binding *
keys_table(size_t *n)
{
    *n = sizeof default_bindings / sizeof default_bindings[0];
    return default_bindings;
}

const char *
keys_context_title(enum key_context ctx)
{
    return _(context_titles[ctx]);
}

static enum action
lookup_in(enum key_context ctx, int key)
{
    for (size_t i = 0; i < sizeof default_bindings / sizeof default_bindings[0]; i++)
        if (default_bindings[i].ctx == ctx && default_bindings[i].key == key)
            return default_bindings[i].action;
    return ACT_NONE;
}

enum action
keys_lookup(enum key_context ctx, int modal, int key)
{
    enum action a = lookup_in(ctx, key);
    if (a == ACT_NONE && !modal && ctx != KC_GENERIC)
        a = lookup_in(KC_GENERIC, key);
    return a;
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
