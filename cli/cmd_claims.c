/* initdata claims: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_claims(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata claims: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
