// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_counter: the target of tools_test.sh.  Fills 4 MiB with a
 * pattern, then every 20 ms checks the pattern and writes the next count
 * over the start of the file named by argv[1] (the count only grows, so
 * it needs no truncation).  Not by rename: a checkpoint taken while a
 * temporary file is open would name a file that is gone by restart.
 * Exits 3 if its memory ever changed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORDS	((4u << 20) / 8)

static uint64_t data[WORDS];

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	unsigned long count = 0;
	char buf[32];
	uint32_t i;
	int fd, n;

	if (argc != 2)
		return 2;
	for (i = 0; i < WORDS; i++)
		data[i] = i * 0x9e3779b97f4a7c15ull;
	for (;;) {
		for (i = 0; i < WORDS; i += 61)
			if (data[i] != i * 0x9e3779b97f4a7c15ull)
				return 3;
		n = snprintf(buf, sizeof(buf), "%lu\n", ++count);
		fd = open(argv[1], O_WRONLY | O_CREAT, 0600);
		if (fd < 0 || pwrite(fd, buf, n, 0) != n)
			return 4;
		close(fd);
		nanosleep(&tick, NULL);
	}
}
