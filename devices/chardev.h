/*
 * Host side of a serial port: where the guest's UART output goes and where
 * its input comes from. Backends follow QEMU's -serial spellings:
 *   "stdio"      host stdout / stdin (non-blocking)
 *   "mon:stdio"  the same with the Ctrl-A escape mux (as -nographic gives)
 *   "null"       output discarded, no input
 *   "file:PATH"  output appended to PATH, no input
 * With the mux, Ctrl-A x quits, Ctrl-A h prints help, Ctrl-A Ctrl-A sends one
 * Ctrl-A to the guest. When stdin is a terminal and the mux is on, the
 * terminal is put in raw mode for the run and restored at exit.
 */
#ifndef TANDEM_DEVICES_CHARDEV_H
#define TANDEM_DEVICES_CHARDEV_H

#include "core/types.h"

typedef struct Chardev Chardev;

/* NULL with *error (g_malloc'd) on a bad spec or an unopenable file. */
Chardev *chardev_open(const char *spec, char **error);
void chardev_close(Chardev *c);

/* Called (once) when the user types Ctrl-A x. */
void chardev_set_quit_handler(Chardev *c, void (*quit)(void *opaque), void *opaque);

void chardev_write(Chardev *c, const uint8_t *buf, size_t len);
/* Pull whatever the host has typed into the chardev's buffer (non-blocking). */
void chardev_poll(Chardev *c);
/* Next byte for the guest, or -1 if none is buffered. */
int chardev_read_byte(Chardev *c);
/* Queue bytes as if the host had typed them (tests, monitor paste). */
void chardev_inject(Chardev *c, const uint8_t *buf, size_t len);
/* True if this backend can ever produce input (worth polling). */
bool chardev_has_input(const Chardev *c);

/* Put the controlling terminal back the way it was (idempotent; also atexit). */
void chardev_restore_terminal(void);

#endif
