/* cli — the command line: global options (--db --config --api-url --quiet --version
 * --help), the subcommand table, and one file per subcommand. Thin front ends over the
 * library layers; the only place besides ui/ that prints errors.
 */
#ifndef AKW_CLI_H
#define AKW_CLI_H

/* Parse argv, run the subcommand, return the process exit code (0, 1, 2 per DESIGN). */
int cli_main(int argc, char **argv);

#endif
