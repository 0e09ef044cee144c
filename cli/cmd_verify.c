/* initdata verify: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata verify: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
