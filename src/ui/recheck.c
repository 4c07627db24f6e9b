/* recheck — the TUI's live re-check of one leak: starts verify_job_start() on its own thread
 * with the app's wake-up pipe, so the loop never waits on the network; on wake-up reports
 * the outcome and reloads. Does not verify anything itself (src/verify does).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui_priv.h"
#include "verify/verify.h"

static struct verify_config recheck_vc; /* borrowed strings of a->cfg: outlive the job */

unsigned
recheck_start(struct app *a, int64_t leak_id)
{
    if (leak_id == 0) {
        app_message(a, 1, "%s", _("No leak selected."));
        return STALE_DRAW;
    }
    if (a->vjob) {
        app_message(a, 1, "%s", _("A re-check is already running."));
        return STALE_DRAW;
    }
    if (a->vjob_pipe[0] < 0) {
        if (pipe(a->vjob_pipe) != 0) {
            app_message(a, 1, _("Cannot re-check: %s"), strerror(errno));
            return STALE_DRAW;
        }
        for (int i = 0; i < 2; i++) {
            fcntl(a->vjob_pipe[i], F_SETFL, O_NONBLOCK);
            fcntl(a->vjob_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    verify_config_from(&recheck_vc, a->cfg);
    struct akw_err err;
    akw_err_clear(&err);
    if (verify_job_start(&recheck_vc, a->db_path, leak_id, 1, a->who, a->vjob_pipe[1],
                         &a->vjob, &err) != AKW_OK) {
        a->vjob = NULL;
        app_message(a, 1, _("Cannot re-check: %s"), err.msg);
        return STALE_DRAW;
    }
    a->vjob_leak = leak_id;
    app_message(a, 0, _("Leak %lld: checking…"), (long long)leak_id);
    return STALE_DRAW;
}

/* The job wrote to the pipe: report its outcome, free it, reload the panes. */
unsigned
recheck_wake(struct app *a)
{
    char buf[16];
    while (read(a->vjob_pipe[0], buf, sizeof buf) > 0)
        ;
    if (!a->vjob)
        return 0;
    struct verify_outcome out = {0};
    enum verify_how how = VERIFY_CHECKED;
    struct akw_err err;
    akw_err_clear(&err);
    if (!verify_job_done(a->vjob, &out, &how, &err))
        return 0;
    verify_job_free(a->vjob);
    a->vjob = NULL;
    long long id = (long long)a->vjob_leak;
    if (err.code != AKW_OK)
        app_message(a, 1, _("Leak %lld: re-check failed: %s"), id, err.msg);
    else if (how == VERIFY_SKIP_NO_SECRET)
        app_message(a, 1, _("Leak %lld: not checked: raw secret not stored"), id);
    else if (how == VERIFY_SKIP_UNSUPPORTED)
        app_message(a, 1, _("Leak %lld: not checked: no verifier for this kind"), id);
    else
        app_message(a, out.state != VERIFY_LIVE && out.state != VERIFY_INVALID,
                    _("Leak %lld: %s %s"), id, _(verify_state_name(out.state)),
                    out.state == VERIFY_LIVE ? out.identity : out.error);
    return STALE_DRAW | STALE_RELOAD | STALE_HEADER;
}

/* At exit: wait for a running job (one request at most) and close the pipe. */
void
recheck_stop(struct app *a)
{
    if (a->vjob)
        verify_job_free(a->vjob);
    a->vjob = NULL;
    for (int i = 0; i < 2; i++)
        if (a->vjob_pipe[i] >= 0)
            close(a->vjob_pipe[i]);
    a->vjob_pipe[0] = a->vjob_pipe[1] = -1;
}
