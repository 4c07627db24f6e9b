/* fuzz_calls — libFuzzer harness for the log importers, in memory (no store): the first byte
 * picks the parser. 0: a trail document fed to the Records splitter in chunks of varying
 * size, each element parsed as an ActionTrail/CloudTrail event; 1: access-log lines; 2: the
 * whole input as one trail event. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calls/calls_int.h"

static struct trail_parser *tp;

static void
touch_event(const struct calls_event *ev)
{
    const char *s[] = {ev->ak_id, ev->source_ip, ev->action, ev->url, ev->user_agent,
                       ev->event_id, ev->method, ev->path};
    size_t sum = 0;
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        sum += s[i] ? strlen(s[i]) : 0;
    if (sum == (size_t)-1)
        abort();
}

static void
on_elem(void *user, const char *s, size_t n, long line)
{
    (void)user;
    (void)line;
    struct calls_event ev;
    const char *why = NULL;
    if (trail_parse(tp, s, n, &ev, &why) == 0)
        touch_event(&ev);
    else if (!why)
        abort();
}

static void
on_bad(void *user, long line, const char *why)
{
    (void)user;
    (void)line;
    if (!why)
        abort();
}

static void
records(const uint8_t *data, size_t size)
{
    struct records_splitter *sp = records_splitter_new(on_elem, on_bad, NULL);
    size_t off = 0, step = 1;
    while (off < size) {
        size_t n = size - off < step ? size - off : step;
        records_splitter_feed(sp, (const char *)data + off, n);
        off += n;
        step = step * 3 + 1; /* 1, 4, 13, 40, ...: splits land everywhere across runs */
    }
    records_splitter_finish(sp);
    records_splitter_free(sp);
}

static void
access_lines(const uint8_t *data, size_t size)
{
    struct buf scratch;
    buf_init(&scratch);
    size_t start = 0;
    while (start < size) {
        const uint8_t *nl = memchr(data + start, '\n', size - start);
        size_t n = nl ? (size_t)(nl - (data + start)) : size - start;
        char *line = malloc(n + 1);
        memcpy(line, data + start, n);
        line[n] = '\0';
        struct calls_event ev;
        const char *why = NULL;
        buf_reset(&scratch);
        if (accesslog_parse(line, n, &scratch, &ev, &why) == 0)
            touch_event(&ev);
        else if (!why)
            abort();
        free(line);
        start += n + 1;
    }
    buf_done(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!tp)
        tp = trail_parser_new();
    if (size == 0)
        return 0;
    switch (data[0] % 3) {
    case 0:
        records(data + 1, size - 1);
        break;
    case 1:
        access_lines(data + 1, size - 1);
        break;
    default: {
        struct calls_event ev;
        const char *why = NULL;
        char *copy = malloc(size - 1 ? size - 1 : 1);
        memcpy(copy, data + 1, size - 1);
        if (trail_parse(tp, copy, size - 1, &ev, &why) == 0)
            touch_event(&ev);
        free(copy);
        break;
    }
    }
    return 0;
}
