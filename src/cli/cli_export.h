/* cli_export — the `export` subcommand (src/cli/export.c), called by the command table. */
#ifndef AKW_CLI_EXPORT_H
#define AKW_CLI_EXPORT_H

/* argv[0] is "export". db_path: the store; quiet: no progress or "saved" line.
 * Returns the exit code: 0 saved, 2 usage or runtime error (including "file exists"). */
int cli_export(const char *db_path, int quiet, int argc, char **argv);

#endif
