/* initdata check: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata check: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
