// SPDX-License-Identifier: GPL-2.0
/*
 * ckpt_as_user UID PROGRAM [ARG...]: run PROGRAM as an ordinary user
 * (uid and gid UID, no supplementary groups, no capabilities), for the
 * tests' non-root phase.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: %s UID PROGRAM [ARG...]\n", argv[0]);
		return 2;
	}
	uid = strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid)) {
		fprintf(stderr, "%s: cannot become uid %u: %s\n", argv[0],
			(unsigned int)uid, strerror(errno));
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
	return 127;
}
