/* Tandem command line (placeholder until the CLI lands). */
#include <stdio.h>
#include "tandem-config.h"

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("tandem %s\n", TANDEM_VERSION);
    return 0;
}
