// SPDX-License-Identifier: GPL-2.0
/*
 * The log of a checkpoint or restart: one line per failure, for logfd.
 *
 * Lines are queued and written when the operation returns, never where
 * they are made: a line is often made under the target's mmap lock, a
 * pipe's mutex or borrowed credentials, and logfd may be any file (a
 * pipe nobody reads, a FUSE file, a file the target maps).
 */
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "internal.h"

/* A failing operation says what went wrong in a few lines; cap them. */
#define CKPT_LOG_MAX_LINES	64

struct ckpt_log_line {
	struct list_head list;
	char text[];
};

/**
 * ckpt_err - explain a failure on the operation's log
 * @ctx: the operation
 * @err: the negative errno about to be returned
 * @fmt: what failed and why
 *
 * Queues one line, prefixed with the operation and the pid of the task
 * being written or restored (as in the image; 0 for the operation as a
 * whole) and suffixed with the errno, for the logfd given to the system
 * call; ckpt_log_flush() writes it.
 *
 * Return: @err, so that callers can write "return ckpt_err(...)".
 */
int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...)
{
	struct ckpt_log_line *l;
	struct va_format vaf;
	va_list args;
	char *line;
	size_t len;

	if (!ctx->logfile || READ_ONCE(ctx->log_nr) >= CKPT_LOG_MAX_LINES)
		return err;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	line = kasprintf(GFP_KERNEL, "%s: pid %d: %pV (error %d)\n",
			 ctx->op == CKPT_OP_CHECKPOINT ? "checkpoint" :
			 "restart",
			 ctx->log_pid, &vaf, err);
	va_end(args);
	if (!line)
		return err;
	len = strlen(line) + 1;
	l = kmalloc(sizeof(*l) + len, GFP_KERNEL);
	if (l) {
		memcpy(l->text, line, len);
		mutex_lock(&ctx->log_lock);
		if (ctx->log_nr < CKPT_LOG_MAX_LINES) {
			list_add_tail(&l->list, &ctx->log_lines);
			WRITE_ONCE(ctx->log_nr, ctx->log_nr + 1);
			l = NULL;
		}
		mutex_unlock(&ctx->log_lock);
		kfree(l);
	}
	kfree(line);
	return err;
}

/**
 * ckpt_log_flush - write the queued log lines to logfd
 * @ctx: the operation
 *
 * Called where the operation holds no lock and acts with the caller's
 * own credentials: when the system call returns, and when the context
 * is freed.
 */
void ckpt_log_flush(struct ckpt_ctx *ctx)
{
	struct ckpt_log_line *l, *tmp;
	LIST_HEAD(lines);
	loff_t pos = 0;

	if (!ctx->logfile)
		return;
	mutex_lock(&ctx->log_lock);
	list_splice_init(&ctx->log_lines, &lines);
	mutex_unlock(&ctx->log_lock);
	list_for_each_entry_safe(l, tmp, &lines, list) {
		size_t len = strlen(l->text);

		if (!(ctx->logfile->f_mode & FMODE_STREAM))
			pos = ctx->logfile->f_pos;
		if (kernel_write(ctx->logfile, l->text, len, &pos) > 0 &&
		    !(ctx->logfile->f_mode & FMODE_STREAM))
			ctx->logfile->f_pos = pos;
		list_del(&l->list);
		kfree(l);
	}
}
