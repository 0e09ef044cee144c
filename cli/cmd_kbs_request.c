/* initdata kbs-request: placeholder until the command lands. */
#include "cmd.h"
#include <stdio.h>

int cmd_kbs_request(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("initdata kbs-request: not implemented yet\n", stderr);
    return CLI_EXIT_USAGE;
}
