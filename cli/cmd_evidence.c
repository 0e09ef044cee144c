/* initdata evidence: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_evidence(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata evidence: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
