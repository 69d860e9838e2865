/* route-el3 without the checks QEMU 7.2 gets wrong (see main.c, route_strict). */
extern const int route_strict;
const int route_strict = 0;
