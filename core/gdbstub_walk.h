/*
 * `monitor walk` and `monitor tlb`: translation-table descriptors decoded for
 * people (VMSAv8-64, Arm ARM D8.3), stage 1 and stage 2, all granules,
 * FEAT_LPA (64K, OA[51:48] in bits 15:12) and FEAT_LPA2 (TCR.DS/VTCR.DS = 1,
 * OA[51:50] in bits 9:8).
 */
#ifndef TANDEM_CORE_GDBSTUB_WALK_H
#define TANDEM_CORE_GDBSTUB_WALK_H

#include "core/gdbstub_int.h"

typedef enum GdbDescType {
    GDB_DESC_INVALID = 0,
    GDB_DESC_TABLE,
    GDB_DESC_BLOCK,
    GDB_DESC_PAGE,
    GDB_DESC_RESERVED,     /* bits[1:0] = 0b01 at level 3 */
} GdbDescType;

typedef struct GdbDescInfo {
    GdbDescType type;
    uint64_t out_addr;     /* next table, or the block/page output address (aligned) */
    uint64_t size;         /* bytes mapped by a block/page */
} GdbDescInfo;

/* granule_bits: 12, 14 or 16; ds: the LPA2 descriptor format. */
void gdb_desc_decode(uint64_t desc, int level, unsigned granule_bits, bool ds, GdbDescInfo *info);
/* One line of decoded attributes (no newline). */
void gdb_desc_format(uint64_t desc, bool stage2, int level, unsigned granule_bits, bool ds, char *buf,
                     size_t len);
/* The fault status code (DFSC) for a fault type and level (Arm ARM ESR_ELx ISS encoding). */
unsigned gdb_fault_fsc(int type, int level);

void gdbstub_walk_print(CPUState *cpu, uint64_t va, GdbRegime regime, GdbOut *out);
void gdbstub_tlb_print(CPUState *cpu, GdbOut *out);

#endif
