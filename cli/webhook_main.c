/* initdata-webhook: the admission webhook server as a program of its own,
 * which `initdata webhook` runs.  Its arguments are the command's. */
#include "cmd.h"

int main(int argc, char **argv)
{
    return cmd_webhook(argc, argv);
}
