/* Host side of serial ports (see chardev.h). */
#include "devices/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>

#define CHARDEV_BUF_SIZE 4096
#define CTRL_A 0x01

struct Chardev {
    int out_fd;            /* -1: discard */
    bool own_out_fd;
    int in_fd;             /* -1: no input */
    bool mux;
    bool mux_escape;       /* the previous input byte was Ctrl-A */
    uint8_t buf[CHARDEV_BUF_SIZE];   /* host input not yet taken by the guest */
    size_t head, count;
    void (*quit)(void *opaque);
    void *quit_opaque;
};

static struct termios saved_tio;
static bool tio_saved;
static int saved_in_flags = -1;

void chardev_restore_terminal(void)
{
    if (tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
        tio_saved = false;
    }
    if (saved_in_flags != -1) {
        fcntl(STDIN_FILENO, F_SETFL, saved_in_flags);
        saved_in_flags = -1;
    }
}

/* Raw mode like QEMU's stdio backend with the mux: no echo, no line editing,
 * no signals from ^C (the guest gets it), output post-processing kept. */
static void chardev_setup_stdin(bool raw)
{
    static bool atexit_done;
    if (!atexit_done) {
        atexit(chardev_restore_terminal);
        atexit_done = true;
    }
    if (saved_in_flags == -1) {
        saved_in_flags = fcntl(STDIN_FILENO, F_GETFL);
        if (saved_in_flags != -1) {
            fcntl(STDIN_FILENO, F_SETFL, saved_in_flags | O_NONBLOCK);
        }
    }
    if (raw && isatty(STDIN_FILENO) && !tio_saved && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
        struct termios tio = saved_tio;
        tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        tio.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        tio.c_cflag &= ~(CSIZE | PARENB);
        tio.c_cflag |= CS8;
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        tio_saved = true;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
    }
}

Chardev *chardev_open(const char *spec, char **error)
{
    Chardev *c = g_new0(Chardev, 1);
    c->out_fd = -1;
    c->in_fd = -1;
    if (!spec || !strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        c->out_fd = STDOUT_FILENO;
        c->in_fd = STDIN_FILENO;
        c->mux = spec && !strcmp(spec, "mon:stdio");
        chardev_setup_stdin(c->mux);
    } else if (!strcmp(spec, "null") || !strcmp(spec, "none")) {
        /* nothing */
    } else if (!strncmp(spec, "file:", 5)) {
        c->out_fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (c->out_fd < 0) {
            *error = g_strdup_printf("cannot open serial file '%s': %s", spec + 5, strerror(errno));
            g_free(c);
            return NULL;
        }
        c->own_out_fd = true;
    } else {
        *error = g_strdup_printf("unsupported -serial backend '%s' (stdio, mon:stdio, null, file:PATH)", spec);
        g_free(c);
        return NULL;
    }
    return c;
}

void chardev_close(Chardev *c)
{
    if (!c) {
        return;
    }
    if (c->own_out_fd) {
        close(c->out_fd);
    }
    if (c->in_fd == STDIN_FILENO) {
        chardev_restore_terminal();
    }
    g_free(c);
}

void chardev_set_quit_handler(Chardev *c, void (*quit)(void *opaque), void *opaque)
{
    c->quit = quit;
    c->quit_opaque = opaque;
}

static void chardev_write_fd(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            /* stdout shares the O_NONBLOCK file description with stdin on a tty */
            g_usleep(100);
            continue;
        }
        if (n <= 0) {
            return;   /* host side gone: the guest's output is lost, like a cut cable */
        }
        p += n;
        len -= (size_t)n;
    }
}

void chardev_write(Chardev *c, const uint8_t *buf, size_t len)
{
    if (c && c->out_fd >= 0) {
        chardev_write_fd(c->out_fd, buf, len);
    }
}

static void chardev_push(Chardev *c, uint8_t b)
{
    if (c->count < CHARDEV_BUF_SIZE) {
        c->buf[(c->head + c->count) % CHARDEV_BUF_SIZE] = b;
        c->count++;
    }
}

static const char chardev_mux_help[] =
    "\r\nC-a h    print this help\r\n"
    "C-a x    exit emulator\r\n"
    "C-a C-a  sends C-a\r\n";

/* QEMU's mux escape handling (chardev/char-mux.c behaviour, re-done here). */
static void chardev_mux_byte(Chardev *c, uint8_t b)
{
    if (!c->mux_escape) {
        if (b == CTRL_A) {
            c->mux_escape = true;
        } else {
            chardev_push(c, b);
        }
        return;
    }
    c->mux_escape = false;
    switch (b) {
    case 'x':
        chardev_write_fd(STDERR_FILENO, "tandem: terminating on signal from console\r\n", 44);
        if (c->quit) {
            c->quit(c->quit_opaque);
        }
        break;
    case 'h': case '?':
        chardev_write_fd(c->out_fd >= 0 ? c->out_fd : STDERR_FILENO,
                         chardev_mux_help, sizeof(chardev_mux_help) - 1);
        break;
    case CTRL_A:
        chardev_push(c, CTRL_A);
        break;
    default:
        break;   /* unknown escape: dropped, as QEMU does */
    }
}

void chardev_inject(Chardev *c, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (c->mux) {
            chardev_mux_byte(c, buf[i]);
        } else {
            chardev_push(c, buf[i]);
        }
    }
}

void chardev_poll(Chardev *c)
{
    if (!c || c->in_fd < 0) {
        return;
    }
    while (c->count < CHARDEV_BUF_SIZE) {
        uint8_t tmp[256];
        size_t room = CHARDEV_BUF_SIZE - c->count;
        ssize_t n = read(c->in_fd, tmp, room < sizeof(tmp) ? room : sizeof(tmp));
        if (n <= 0) {
            if (n == 0) {
                c->in_fd = -1;   /* EOF: no more input, stop polling */
            } else if (errno == EINTR) {
                continue;
            } else if (errno != EAGAIN) {
                c->in_fd = -1;
            }
            return;
        }
        chardev_inject(c, tmp, (size_t)n);
    }
}

int chardev_read_byte(Chardev *c)
{
    if (!c || !c->count) {
        return -1;
    }
    int b = c->buf[c->head];
    c->head = (c->head + 1) % CHARDEV_BUF_SIZE;
    c->count--;
    return b;
}

bool chardev_has_input(const Chardev *c)
{
    return c && (c->in_fd >= 0 || c->count);
}
