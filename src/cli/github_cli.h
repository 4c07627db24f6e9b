/* github_cli — private to cli/: the headless GitHub scan loop that `scan --github` and
 * `watch` share (scan_github.c), and the hook scan.c uses to hand --github over. */
#ifndef AKW_GITHUB_CLI_H
#define AKW_GITHUB_CLI_H

#include "cli/cli_int.h"

/* `akwatch scan --github [--once]`: argv as given to the scan command. Exit 0/1/2. */
int cli_scan_github(struct cli_ctx *ctx, int argc, char **argv);
/* 1 when argv (before a "--") holds flag. */
int cli_argv_has(int argc, char **argv, const char *flag);
/* The loop: once = stop after one round of each source; watch = headless service mode
 * (notifications, no exit code for findings). Exit 0/1/2. */
int cli_github_loop(struct cli_ctx *ctx, int once, int watch);

#endif
