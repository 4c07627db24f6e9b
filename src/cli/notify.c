/* notify — `akwatch notify status|test`: where the notification window stands now and which
 * channels are configured, and a test message through every channel (the window ignored).
 */
#include "config.h"

#include <unistd.h>

#include "cli/cli_int.h"
#include "notify/notify.h"

static int
notify_main(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {{0, 0, 0, 0}};
    static const char *const verbs[] = {"status", "test", NULL};
    int rc = 0, c, verb = 0;
    while ((c = cli_getopt(ctx, argc, argv, "", opts, &rc)) != CLI_OPT_END)
        if (c == CLI_OPT_EXIT)
            return rc;
    if (optind < argc && cli_choice(ctx, "notify", argv[optind], verbs, &verb))
        return CLI_ERROR;
    if (argc - optind > 1)
        return cli_usage_error(ctx, argv[optind], _("takes no argument"));
    const struct config *cfg;
    if (cli_config(ctx, &cfg))
        return CLI_ERROR;
    struct notify *n;
    struct akw_err err = {0};
    if (notify_new(cfg, &n, &err) != AKW_OK)
        return cli_fail_err(&err);
    if (verb == 0) {
        char w[160], next[32];
        time_t now = akw_now(), open_at;
        int inside = notify_is_open(n, now, &open_at);
        akw_time_iso(open_at, next);
        notify_describe_window(n, w, sizeof w);
        printf(_("window:   %s\n"), w);
        if (inside)
            printf(_("now:      inside (alerts are sent at once)\n"));
        else
            printf(_("now:      outside (alerts are suppressed%s); opens at %s\n"),
                   notify_digest_on(n) ? _(" and summarised in a digest") : "", next);
        printf(_("channels: %s\n"), *notify_channels(n) ? notify_channels(n) : _("none"));
        printf(_("digest:   %s\n"), notify_digest_on(n) ? _("on") : _("off"));
    } else if (notify_send_test(n, &err) != AKW_OK) {
        rc = cli_fail_err(&err);
    } else {
        if (notify_bell_take() > 0 && isatty(2))
            fputc('\a', stderr);
        if (!ctx->quiet)
            printf(_("test alert sent through %s\n"), notify_channels(n));
    }
    notify_free(n);
    return rc;
}

const struct cli_command cli_cmd_notify = {
    "notify",
    notify_main,
    N_("show the notification window and channels; send a test alert"),
    N_("notify [status|test]"),
    N_("  status           the [notify] window (days, time zone), whether it is open now and\n"
       "                   when it opens next, the channels and digest mode (the default)\n"
       "  test             send a test alert through every configured channel now, whatever\n"
       "                   the window; nothing is stored. Exit 2 when a channel fails.\n"),
};
