/*
 * SDEI, the Software Delegated Exception Interface (Arm DEN0054, v1.1), in
 * Tandem's built-in EL3 firmware (devices/firmware.h).
 *
 * The firmware delegates events to its client, the highest Non-secure EL in
 * use (EL2 when SCR_EL3.HCE is set, else EL1): a registered and enabled
 * event that fires on an unmasked PE interrupts it and enters the client's
 * handler as if EL3 had ERET'd there. Events (docs/impdef.md):
 *   0            private, normal, software-signalled (SDEI_EVENT_SIGNAL)
 *   1            private, critical, bound to SGI 15 (the platform's doorbell)
 *   1000..1003   private, normal, dynamic: INTERRUPT_BIND of a PPI
 *   2000..2003   shared, normal, dynamic: INTERRUPT_BIND of an SPI
 * A bound interrupt of a registered event is owned by the firmware: the GIC
 * no longer signals it to the CPU interface (gicv3_fw_claim) and the firmware
 * dispatches it instead of the IRQ.
 *
 * The per-event handler state follows DEN0054 6.1 as a table:
 * sdei_state_next(state, action).
 */
#ifndef TANDEM_DEVICES_FIRMWARE_SDEI_H
#define TANDEM_DEVICES_FIRMWARE_SDEI_H

#include "core/machine.h"
#include "cpu/cpu.h"

/* Function IDs: SMC64 fast calls 0xC4000020 + n (DEN0054 5.x). */
#define SDEI_FN(n) (0xc4000020u + (n))
#define SDEI_VERSION                   SDEI_FN(0x00)
#define SDEI_EVENT_REGISTER            SDEI_FN(0x01)
#define SDEI_EVENT_ENABLE              SDEI_FN(0x02)
#define SDEI_EVENT_DISABLE             SDEI_FN(0x03)
#define SDEI_EVENT_CONTEXT             SDEI_FN(0x04)
#define SDEI_EVENT_COMPLETE            SDEI_FN(0x05)
#define SDEI_EVENT_COMPLETE_AND_RESUME SDEI_FN(0x06)
#define SDEI_EVENT_UNREGISTER          SDEI_FN(0x07)
#define SDEI_EVENT_STATUS              SDEI_FN(0x08)
#define SDEI_EVENT_GET_INFO            SDEI_FN(0x09)
#define SDEI_EVENT_ROUTING_SET         SDEI_FN(0x0a)
#define SDEI_PE_MASK                   SDEI_FN(0x0b)
#define SDEI_PE_UNMASK                 SDEI_FN(0x0c)
#define SDEI_INTERRUPT_BIND            SDEI_FN(0x0d)
#define SDEI_INTERRUPT_RELEASE         SDEI_FN(0x0e)
#define SDEI_EVENT_SIGNAL              SDEI_FN(0x0f)
#define SDEI_FEATURES                  SDEI_FN(0x10)
#define SDEI_PRIVATE_RESET             SDEI_FN(0x11)
#define SDEI_SHARED_RESET              SDEI_FN(0x12)

/* Return codes (DEN0054 5.x). */
enum {
    SDEI_SUCCESS = 0,
    SDEI_NOT_SUPPORTED = -1,
    SDEI_INVALID_PARAMETERS = -2,
    SDEI_DENIED = -3,
    SDEI_PENDING = -5,
    SDEI_OUT_OF_RESOURCE = -10,
};

/* SDEI_VERSION: major [62:48], minor [47:32], vendor [31:0]. */
#define SDEI_VERSION_1_1 0x0001000100000000ULL

/*
 * Handler states (DEN0054 6.1): registered (G), enabled (E), running (R) as
 * the EVENT_STATUS bits 0, 1, 2. "Unregister pending" is running without
 * registered (R, not G). E without G cannot occur.
 */
enum {
    SDEI_ST_REGISTERED = 1u << 0,
    SDEI_ST_ENABLED = 1u << 1,
    SDEI_ST_RUNNING = 1u << 2,
    SDEI_NUM_STATES = 8,
};

/* What can happen to an event's handler: the calls, plus dispatch. */
typedef enum SDEIAction {
    SDEI_ACT_REGISTER,
    SDEI_ACT_RELEASE,           /* INTERRUPT_RELEASE: checks only */
    SDEI_ACT_ENABLE,
    SDEI_ACT_DISABLE,
    SDEI_ACT_UNREGISTER,
    SDEI_ACT_ROUTING_SET,
    SDEI_ACT_CONTEXT,
    SDEI_ACT_COMPLETE,          /* COMPLETE and COMPLETE_AND_RESUME */
    SDEI_ACT_DISPATCH,
    SDEI_NUM_ACTIONS,
} SDEIAction;

/*
 * The state table: the next state of a handler in `state` after `action`,
 * or a negative SDEI error code when the action is not allowed there
 * (DENIED; PENDING for UNREGISTER of a running handler, which still moves
 * it to "unregister pending": see sdei_state_result()).
 */
int sdei_state_next(unsigned state, SDEIAction action);
/* The call's return code for that transition (SUCCESS, DENIED or PENDING). */
int sdei_state_result(unsigned state, SDEIAction action);

/* Is fid an SDEI function ID (0xC4000020..0xC400003F)? */
static inline bool sdei_owns_fid(uint32_t fid)
{
    return (fid & ~0x1fu) == 0xc4000020u;
}

/* Machine lifecycle (devices/virt.c): state for every PE and event. */
void sdei_create(Machine *m);
void sdei_reset(Machine *m);
void sdei_destroy(Machine *m);
/* PSCI CPU_ON: the PE loses its private registrations and starts masked. */
void sdei_cpu_on(CPUState *cpu);
/* Is SDEI offered (built-in firmware enabled and SDEI not switched off)? */
bool sdei_present(const Machine *m);

/*
 * One SDEI call from the built-in firmware's dispatcher. cpu->pc is the
 * SMC/HVC, which the CPU steps over afterwards (EXEC_SYNC); the call writes
 * every result register itself and may leave the PE elsewhere (COMPLETE,
 * a dispatch on return).
 */
void sdei_call(CPUState *cpu, uint32_t fid, const uint64_t *arg);

#endif
