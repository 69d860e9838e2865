/*
 * route-el3-strict: route-el3 plus the cases QEMU 7.2 gets wrong (listed at
 * route_strict in guests/route-el3/main.c); qemu:xfail in the manifest.
 */
extern const int route_strict;
const int route_strict = 1;
