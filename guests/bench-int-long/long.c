/* guests/bench-int with ten times the work, for `make bench` (tests/bench-int.py). */
#define ROUNDS 400
#include "../bench-int/main.c"
