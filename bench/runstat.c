/* runstat.c: runs a command and reports what it cost, for bench/run.sh
 * (like /usr/bin/time -f '%e %U %S %M', which not every machine has).
 *
 *   runstat OUTFILE CMD [ARG...]
 *
 * Runs CMD with this process's stdin, stdout and stderr, then writes one
 * line to OUTFILE: "WALL USER SYS MAXRSS_KB" (seconds, and the peak
 * resident set in KiB). Exits with CMD's status (128+N for signal N). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: runstat OUTFILE CMD [ARG...]\n", stderr);
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	FILE *fp = fopen(argv[1], "w");
	if (!fp) {
		perror("runstat: output");
		return 2;
	}
	fprintf(fp, "%.2f %.2f %.2f %ld\n", wall, secs(ru.ru_utime), secs(ru.ru_stime),
		ru.ru_maxrss);
	if (fclose(fp))
		return 2;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
