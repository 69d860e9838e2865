/* gdb-target: put known values in v0/v1 (the guest C code is general-registers only). */
    .text
    .global gdb_set_vregs
    .type gdb_set_vregs, %function
/* void gdb_set_vregs(uint64_t lo, uint64_t hi): v0 = {lo, hi}, v1 = {hi, lo} */
gdb_set_vregs:
    fmov    d0, x0
    fmov    v0.d[1], x1
    fmov    d1, x1
    fmov    v1.d[1], x0
    ret
    .size gdb_set_vregs, . - gdb_set_vregs

    .global gdb_get_v2_lo
    .type gdb_get_v2_lo, %function
/* uint64_t gdb_get_v2_lo(void): v2.d[0] (gdb writes it) */
gdb_get_v2_lo:
    fmov    x0, d2
    ret
    .size gdb_get_v2_lo, . - gdb_get_v2_lo
