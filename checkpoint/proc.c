// SPDX-License-Identifier: GPL-2.0
/*
 * Asking before checkpointing: /proc/PID/checkpointable and the
 * "checkpointable:" line of /proc/PID/fdinfo/N.
 *
 * Both run the checks checkpoint(2) makes, when they are read, so they
 * cost nothing otherwise and cannot disagree with the system call.  What
 * depends on the moment of the checkpoint (the target frozen, the
 * checkpointer's ptrace access) is not shown.
 */
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "internal.h"

/* The task itself, and what its process shares with others. */
static int ckpt_task_area(struct task_struct *t, char *why, size_t len)
{
	int err = ckpt_task_checkpointable(t, why, len);

	return err ?: ckpt_process_shares(t->group_leader, why, len);
}

static int ckpt_all_files_checkpointable(struct task_struct *t, char *why,
					 size_t len)
{
	return ckpt_files_checkpointable(t, -1, why, len);
}

static const struct {
	const char *name;
	int (*check)(struct task_struct *t, char *why, size_t len);
} ckpt_areas[] = {
	{ "task", ckpt_task_area },
	{ "fs", ckpt_fs_checkpointable },
	{ "files", ckpt_all_files_checkpointable },
	{ "mm", ckpt_mm_checkpointable },
};

static void ckpt_show_verdict(struct seq_file *m, const char *name, int err,
			      const char *why)
{
	if (err > 0)	/* not judged on this read */
		seq_printf(m, "%s:\t? (%s)\n", name, why);
	else if (err)
		seq_printf(m, "%s:\t0 (%s)\n", name, why);
	else
		seq_printf(m, "%s:\t1\n", name);
}

/**
 * proc_pid_checkpointable - show /proc/PID/checkpointable
 * @m: the seq_file
 * @ns: pid namespace of the proc mount
 * @pid: the process
 * @task: its task
 *
 * One line per area, "name:\t1" or "name:\t0 (reason)", then the
 * verdict "checkpointable:\t1" or "checkpointable:\t0".
 *
 * Return: 0 or -EACCES without ptrace read access to @task.
 */
int proc_pid_checkpointable(struct seq_file *m, struct pid_namespace *ns,
			    struct pid *pid, struct task_struct *task)
{
	char *why;
	bool ok = true;
	int i, err;

	if (!ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS))
		return -EACCES;
	why = kmalloc(512, GFP_KERNEL);
	if (!why)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ckpt_areas); i++) {
		why[0] = '\0';
		err = ckpt_areas[i].check(task, why, 512);
		ckpt_show_verdict(m, ckpt_areas[i].name, err, why);
		ok = ok && !err;
	}
	seq_printf(m, "checkpointable:\t%d\n", ok);
	kfree(why);
	return 0;
}

/**
 * ckpt_show_fdinfo - the "checkpointable:" line of /proc/PID/fdinfo/N
 * @m: the seq_file
 * @task: the task whose fd it is
 * @fd: the descriptor
 *
 * "checkpointable:\t1" or "checkpointable:\t0 (reason)": the file checks
 * of checkpoint, and for a pipe end whether its peers are this task's;
 * "checkpointable:\t? (reason)" when the peers of a pipe, socket or pidfd
 * are in a subtree too big to count on every read.
 */
void ckpt_show_fdinfo(struct seq_file *m, struct task_struct *task,
		      unsigned int fd)
{
	char *why = kmalloc(512, GFP_KERNEL);
	int err;

	if (!why)
		return;
	why[0] = '\0';
	err = ckpt_files_checkpointable(task, fd, why, 512);
	ckpt_show_verdict(m, "checkpointable", err, why);
	kfree(why);
}
