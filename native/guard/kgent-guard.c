/* kgent-guard: runs one child so that it cannot outlive Kgent, however Kgent ends.
 *
 *   kgent-guard [--dir DIR] -- PROGRAM [ARG...]
 *
 * Kgent starts the guard with a pipe on its standard input and keeps the write end. The pipe is the guard's only
 * link to its owner: when it reaches end-of-file, Kgent has exited (cleanly, by a signal, even by SIGKILL: the kernel
 * closes a dead process's descriptors) or asked for a hard stop by closing it. The guard then kills the child's process
 * group and every descendant, removes DIR (Kgent's temporary folder for this child, one level of plain files) and exits.
 *
 * The guard:
 *   - starts its own session, so a Ctrl-C in Kgent's terminal reaches Kgent only (Kgent decides how to stop the child);
 *   - is a child subreaper, so descendants that detach (a workload's "server &", a double fork) become its children and
 *     are killed too;
 *   - starts the child in a process group of its own with PR_SET_PDEATHSIG(SIGKILL): if the guard itself is killed,
 *     the kernel kills the child (the guard is single-threaded, so "the parent thread" is the guard);
 *   - forwards SIGINT, SIGTERM and SIGHUP to the child (Kgent's clean stop: bpftrace runs END and prints its maps);
 *   - when the child exits, kills whatever is left of its process group and its descendants, and exits with the child's
 *     status (its exit code, or 128 + the signal that ended it);
 *   - writes one line "__KGENT_GUARD_CHILD=PID" to standard error after the fork, so Kgent knows the child's PID.
 * Exit codes of its own: 125 on a usage error, 127 when PROGRAM cannot be run.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t child = -1;

static void say(const char *what, const char *detail)
{
    char line[512];
    int n = snprintf(line, sizeof line, "kgent-guard: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    if (n > 0) {
        ssize_t ignored = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)ignored;
    }
}

/* Kills every direct child of this process (after the group kill, these are descendants that detached and were
 * reparented here, the subreaper) and reaps them, until none is left or the deadline passes. */
static void kill_descendants(int deadline_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t self = getpid();
    for (;;) {
        DIR *proc = opendir("/proc");
        if (proc != NULL) {
            struct dirent *entry;
            while ((entry = readdir(proc)) != NULL) {
                char *end;
                long pid = strtol(entry->d_name, &end, 10);
                if (*end != '\0' || pid <= 0) {
                    continue;
                }
                char path[64], stat[1024];
                snprintf(path, sizeof path, "/proc/%ld/stat", pid);
                int fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                    continue;
                }
                ssize_t n = read(fd, stat, sizeof stat - 1);
                close(fd);
                if (n <= 0) {
                    continue;
                }
                stat[n] = '\0';
                /* pid (comm) state ppid ...: comm may hold spaces and parentheses, so start after the last ')'. */
                char *paren = strrchr(stat, ')');
                char state;
                long ppid;
                if (paren == NULL || sscanf(paren + 1, " %c %ld", &state, &ppid) != 2) {
                    continue;
                }
                if (ppid == self) {
                    kill((pid_t)pid, SIGKILL);
                }
            }
            closedir(proc);
        }
        int status;
        pid_t reaped;
        while ((reaped = waitpid(-1, &status, WNOHANG)) > 0) {
        }
        if (reaped < 0 && errno == ECHILD) {
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed > deadline_ms) {
            say("gave up waiting for descendants to exit", NULL);
            return;
        }
        struct timespec pause = {0, 20 * 1000000};
        nanosleep(&pause, NULL);
    }
}

/* Removes DIR: the plain files directly inside it, then the folder. Refuses anything that is not a folder Kgent made
 * (its name starts with "kgent-"); never follows a symbolic link. */
static void remove_dir(const char *dir)
{
    const char *base = strrchr(dir, '/');
    base = base ? base + 1 : dir;
    if (strncmp(base, "kgent-", 6) != 0) {
        return;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    DIR *listing = fdopendir(fd);
    if (listing == NULL) {
        close(fd);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) {
            continue;
        }
        struct stat info;
        if (fstatat(fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(info.st_mode)) {
            unlinkat(fd, entry->d_name, 0);
        }
    }
    closedir(listing);
    rmdir(dir);
}

static int exit_status(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    if (WIFSIGNALED(status)) {
        return 128 + WTERMSIG(status);
    }
    return 1;
}

int main(int argc, char **argv)
{
    const char *dir = NULL;
    int first = 1;
    while (first < argc && strcmp(argv[first], "--") != 0) {
        if (strcmp(argv[first], "--dir") == 0 && first + 1 < argc) {
            dir = argv[first + 1];
            first += 2;
        } else {
            say("usage: kgent-guard [--dir DIR] -- PROGRAM [ARG...]", NULL);
            return 125;
        }
    }
    if (first >= argc - 1) {
        say("usage: kgent-guard [--dir DIR] -- PROGRAM [ARG...]", NULL);
        return 125;
    }
    char **command = argv + first + 1;

    setsid();
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    sigset_t handled, previous;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGHUP);
    sigaddset(&handled, SIGPIPE);
    sigprocmask(SIG_BLOCK, &handled, &previous);
    int signals = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signals < 0) {
        say("signalfd failed", strerror(errno));
        return 125;
    }

    pid_t guard = getpid();
    /* Closed on exec: the child's pid is reported only once the command runs (or its exec has failed), so whoever
       reads the marker never sees the guard's own copy in the child's /proc entry. */
    int exec_pipe[2];
    if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
        say("pipe2 failed", strerror(errno));
        return 125;
    }
    child = fork();
    if (child < 0) {
        say("fork failed", strerror(errno));
        return 127;
    }
    if (child == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != guard) {
            _exit(127); /* the guard died before the line above: nobody would stop this child */
        }
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) {
            dup2(null, 0);
            if (null != 0) {
                close(null);
            }
        }
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &previous, NULL);
        close(exec_pipe[0]);
        execvp(command[0], command);
        int failure = errno;
        ssize_t told = write(exec_pipe[1], &failure, sizeof failure);
        (void)told;
        say("cannot run the command", strerror(failure));
        _exit(127);
    }
    setpgid(child, child); /* also from this side, so the group exists before any kill(-child) */
    close(exec_pipe[1]);
    int exec_errno;
    while (read(exec_pipe[0], &exec_errno, sizeof exec_errno) < 0 && errno == EINTR) {
    }
    close(exec_pipe[0]);

    char marker[64];
    int n = snprintf(marker, sizeof marker, "__KGENT_GUARD_CHILD=%d\n", (int)child);
    ssize_t ignored = write(2, marker, (size_t)n);
    (void)ignored;

    struct pollfd watched[2] = {{.fd = 0, .events = POLLIN}, {.fd = signals, .events = POLLIN}};
    int owner_gone = 0;
    int child_status = -1;
    while (child_status < 0 && !owner_gone) {
        if (poll(watched, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            owner_gone = 1;
            break;
        }
        if (watched[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
            char buffer[64];
            ssize_t got = read(0, buffer, sizeof buffer);
            if (got <= 0 && !(got < 0 && errno == EINTR)) {
                owner_gone = 1;
            }
        }
        if (watched[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signals, &info, sizeof info) == (ssize_t)sizeof info) {
                if (info.ssi_signo == SIGCHLD) {
                    int status;
                    pid_t reaped;
                    while ((reaped = waitpid(-1, &status, WNOHANG)) > 0) {
                        if (reaped == child) {
                            child_status = status;
                        }
                    }
                } else if (info.ssi_signo == SIGINT || info.ssi_signo == SIGTERM || info.ssi_signo == SIGHUP) {
                    kill(child, (int)info.ssi_signo);
                }
            }
        }
    }

    /* Whatever ended the wait: nothing of the child's may stay behind. */
    kill(-child, SIGKILL);
    if (child_status < 0) {
        kill(child, SIGKILL);
    }
    kill_descendants(10000);
    if (child_status < 0) {
        /* The child was reaped by kill_descendants; its status is not needed once the owner is gone. */
        child_status = W_EXITCODE(0, SIGKILL);
    }
    if (owner_gone && dir != NULL) {
        remove_dir(dir);
    }
    return exit_status(child_status);
}
