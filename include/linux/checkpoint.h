/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart (checkpoint/): what the rest of the kernel calls.
 * The system calls are declared in <linux/syscalls.h>; the image format
 * and the flags are in <uapi/linux/checkpoint_hdr.h> and
 * <uapi/linux/checkpoint.h>.
 */
#ifndef _LINUX_CHECKPOINT_H
#define _LINUX_CHECKPOINT_H

#include <uapi/linux/checkpoint.h>

struct seq_file;
struct pid_namespace;
struct pid;
struct task_struct;

/* /proc/PID/checkpointable and the fdinfo line (checkpoint/proc.c) */
#ifdef CONFIG_CHECKPOINT
int proc_pid_checkpointable(struct seq_file *m, struct pid_namespace *ns,
			    struct pid *pid, struct task_struct *task);
void ckpt_show_fdinfo(struct seq_file *m, struct task_struct *task,
		      unsigned int fd);
#else
static inline void ckpt_show_fdinfo(struct seq_file *m,
				    struct task_struct *task, unsigned int fd)
{
}
#endif

#endif /* _LINUX_CHECKPOINT_H */
