/* initdata decode: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_decode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata decode: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
