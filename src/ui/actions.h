/* actions — every user action in one x-macro list: id, config name, help text. It expands
 * into enum action, the name table and the `?` help screen, so help cannot drift from the
 * bindings (tig's request.h). Private to src/ui.
 */
#ifndef AKW_UI_ACTIONS_H
#define AKW_UI_ACTIONS_H

#include "util/util.h"

/* clang-format off */
#define UI_ACTIONS(X) \
    X(NONE,             "none",             "") \
    X(MOVE_DOWN,        "move-down",        N_("Move down")) \
    X(MOVE_UP,          "move-up",          N_("Move up")) \
    X(PAGE_DOWN,        "page-down",        N_("Next page")) \
    X(PAGE_UP,          "page-up",          N_("Previous page")) \
    X(TOP,              "top",              N_("Go to the top")) \
    X(BOTTOM,           "bottom",           N_("Go to the bottom")) \
    X(ENTER,            "enter",            N_("Open the selected item")) \
    X(SEARCH,           "search",           N_("Search by AccessKey ID prefix or repo/path text")) \
    X(SEARCH_NEXT,      "search-next",      N_("Next search result")) \
    X(SEARCH_CLEAR,     "search-clear",     N_("Clear the search (quit when there is none)")) \
    X(VIEW_NEXT,        "view-next",        N_("Cycle the view: Unhandled, Handled, All")) \
    X(SORT,             "sort",             N_("Sort by time or by severity")) \
    X(VERIFY_FILTER,    "verify-filter",    N_("Filter by verification: all, live, invalid, unknown, unchecked")) \
    X(CONFIDENCE_ALL,   "confidence-all",   N_("Show or hide the leaks below the confidence threshold")) \
    X(RECHECK,          "recheck",          N_("Re-check the selected leak with its provider (live verification)")) \
    X(PROCESS,          "process",          N_("Process the selected leak")) \
    X(WHITELIST,        "whitelist",        N_("Show the whitelist")) \
    X(CHOOSE_DELETED,   "deleted",          N_("Mark as deleted manually")) \
    X(CHOOSE_DISABLED,  "disabled",         N_("Mark as disabled manually")) \
    X(CHOOSE_WHITELIST, "add-whitelist",    N_("Add to the whitelist")) \
    X(NOTE_CONFIRM,     "note-confirm",     N_("Write the note, then confirm the decision")) \
    X(CANCEL_WHITELIST, "cancel-whitelist", N_("Cancel the whitelist of the selected entry")) \
    X(EDIT,             "edit",             N_("Edit the selected field")) \
    X(SAVE,             "save",             N_("Save the settings to the config file")) \
    X(YES,              "yes",              N_("Confirm")) \
    X(NO,               "no",               N_("Cancel")) \
    X(EXPORT,           "export",           N_("Export a report (xlsx)")) \
    X(MENU,             "menu",             N_("Open the menu")) \
    X(HELP,             "help",             N_("Show this help")) \
    X(RELOAD,           "reload",           N_("Reload from the store")) \
    X(REDRAW,           "redraw",           N_("Redraw the screen")) \
    X(CLOSE,            "close",            N_("Close the pane; quit from the list"))
/* clang-format on */

#define UI_ACTION_ENUM(id, name, help) ACT_##id,
enum action { UI_ACTIONS(UI_ACTION_ENUM) ACT__COUNT };
#undef UI_ACTION_ENUM

/* Config name ("move-down") and untranslated help text of an action. */
const char *action_name(enum action a);
const char *action_help(enum action a);

#endif
