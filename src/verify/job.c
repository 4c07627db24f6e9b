/* job — verify one stored leak on a thread of its own, so an interactive front end (the
 * TUI's "re-check") never waits on the network: the job opens its own store connection,
 * runs verify_leak() and writes one byte to a wake-up descriptor when done. Does not touch
 * the caller's store or draw anything.
 */
#include "config.h"
#include "verify/verify.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

struct verify_job {
    pthread_t thread;
    struct verify_config cfg;
    char *db_path, *who;
    int64_t leak_id;
    int force, wake_fd;
    atomic_int done;
    /* results, written by the job before done is set */
    enum akw_status status;
    struct akw_err err;
    struct verify_outcome out;
    enum verify_how how;
};

static void *
job_main(void *arg)
{
    struct verify_job *j = arg;
    struct store *st = NULL;
    struct verifier *v = verifier_new(&j->cfg);

    j->status = store_open(j->db_path, 0, &st, &j->err);
    if (j->status == AKW_OK)
        j->status = verify_leak(v, st, j->leak_id, NULL, j->force, j->who, &j->out, &j->how,
                                &j->err);
    store_close(st);
    verifier_free(v);
    atomic_store(&j->done, 1);
    if (j->wake_fd >= 0) {
        ssize_t w;
        do
            w = write(j->wake_fd, "v", 1);
        while (w < 0 && errno == EINTR);
    }
    return NULL;
}

enum akw_status
verify_job_start(const struct verify_config *cfg, const char *db_path, int64_t leak_id,
                 int force, const char *who, int wake_fd, struct verify_job **out,
                 struct akw_err *err)
{
    struct verify_job *j = xcalloc(1, sizeof *j);

    j->cfg = *cfg;
    j->db_path = xstrdup(db_path);
    j->who = xstrdup(who ? who : "akwatch");
    j->leak_id = leak_id;
    j->force = force;
    j->wake_fd = wake_fd;
    atomic_init(&j->done, 0);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        free(j->db_path);
        free(j->who);
        free(j);
        return akw_err_set(err, AKW_ERR_IO, "%s", _("cannot start the verification thread"));
    }
    *out = j;
    return AKW_OK;
}

int
verify_job_done(struct verify_job *j, struct verify_outcome *out, enum verify_how *how,
                struct akw_err *err)
{
    if (!atomic_load(&j->done))
        return 0;
    if (out)
        *out = j->out;
    if (how)
        *how = j->how;
    if (err) {
        *err = j->err;
        err->code = j->status;
    }
    return 1;
}

void
verify_job_free(struct verify_job *j)
{
    if (!j)
        return;
    pthread_join(j->thread, NULL);
    free(j->db_path);
    free(j->who);
    free(j);
}
