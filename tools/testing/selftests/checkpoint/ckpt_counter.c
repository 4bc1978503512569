// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_counter: the target of tools_test.sh.  Fills 4 MiB with a
 * pattern, then every 20 ms checks the pattern and writes the next count
 * to the file named by argv[1] (atomically, by rename).  Exits 3 if its
 * memory ever changed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WORDS	(4u << 20) / 8

static uint64_t data[WORDS];

int main(int argc, char **argv)
{
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	unsigned long count = 0;
	char buf[32], tmp[4096];
	uint32_t i;
	int fd, n;

	if (argc != 2 ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]) >= (int)sizeof(tmp))
		return 2;
	for (i = 0; i < WORDS; i++)
		data[i] = i * 0x9e3779b97f4a7c15ull;
	for (;;) {
		for (i = 0; i < WORDS; i += 61)
			if (data[i] != i * 0x9e3779b97f4a7c15ull)
				return 3;
		n = snprintf(buf, sizeof(buf), "%lu\n", ++count);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, buf, n) != n)
			return 4;
		close(fd);
		if (rename(tmp, argv[1]))
			return 4;
		nanosleep(&tick, NULL);
	}
}
