// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart of Unix 98 pseudo-terminals whose master the
 * checkpoint holds: a PTY record (termios of both ends, window size,
 * lock, packet mode, the session the slave controls and its foreground
 * group) before the first FILE or CTTY record naming the pair.  A
 * slave whose master is outside the checkpoint is a terminal of the
 * world outside: restart gives the restarter's terminal in its place,
 * as for any other terminal (CKPT_FILE_TTY).
 *
 * Restart opens the ptmx node again, which makes a new pair, opens the
 * slave's files from the master as TIOCGPTPEER does, and gives the
 * session leader the slave back as its controlling terminal, then the
 * session's other processes.  The bytes either end had not read go in
 * the PTY record and back into the new pair's line disciplines.
 */
#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/devpts_fs.h>
#include <linux/major.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>

#include "internal.h"

#define CKPT_PTMX_DEV	MKDEV(TTYAUX_MAJOR, 2)
#define CKPT_TTY_DEV	MKDEV(TTYAUX_MAJOR, 0)
/* the open flags a pty's end may have: the rest are refused */
#define CKPT_PTY_OPEN_FLAGS	(O_ACCMODE | O_NONBLOCK | O_LARGEFILE)

/*
 * An open ptmx (a master), /dev/pts/N (a slave) or /dev/tty opened on a
 * slave (the process's controlling terminal then): the pair's master.
 */
static struct tty_struct *ckpt_pty_master(struct file *file)
{
	struct inode *inode = file_inode(file);
	unsigned int major = imajor(inode);
	struct tty_struct *tty;

	if (!S_ISCHR(inode->i_mode) || file->f_flags & O_PATH)
		return NULL;
	if (inode->i_rdev != CKPT_PTMX_DEV && inode->i_rdev != CKPT_TTY_DEV &&
	    (major < UNIX98_PTY_SLAVE_MAJOR ||
	     major >= UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT))
		return NULL;
	/* what the open of such a node made: a tty's file */
	tty = file_tty(file);
	if (!tty || tty->driver->type != TTY_DRIVER_TYPE_PTY || !tty->link)
		return NULL;
	return tty->driver->subtype == PTY_TYPE_MASTER ? tty : tty->link;
}

static bool ckpt_is_pty(struct file *file)
{
	return ckpt_pty_master(file);
}

static bool ckpt_is_pty_master_file(struct file *file)
{
	struct tty_struct *master = ckpt_pty_master(file);

	return master && file_tty(file) == master;
}

/* Are the master's termios still those the driver gave it? */
static bool ckpt_pty_master_termios(struct tty_struct *master)
{
	const struct ktermios *init = &master->driver->init_termios;
	bool same;

	down_read(&master->termios_rwsem);
	same = master->termios.c_iflag == init->c_iflag &&
	       master->termios.c_oflag == init->c_oflag &&
	       master->termios.c_cflag == init->c_cflag &&
	       master->termios.c_lflag == init->c_lflag &&
	       !memcmp(master->termios.c_cc, init->c_cc, NCCS);
	up_read(&master->termios_rwsem);
	return same;
}

/*
 * What checkpoint does not save of a pty it takes: what the line
 * disciplines hold but the bytes not read (n_tty_unread()), a master's
 * own termios, a packet-mode status byte, stopped output, exclusive
 * mode, another line discipline.
 */
static int ckpt_pty_state(struct tty_struct *master, char *why, size_t len)
{
	struct tty_struct *slave = master->link;
	int to_slave = n_tty_unread(slave, NULL, NULL);
	int to_master = n_tty_unread(master, NULL, NULL);

	if (to_slave == -EINVAL || to_master == -EINVAL)
		snprintf(why, len, "pty %d: line discipline other than N_TTY",
			 slave->index);
	else if (to_slave == -EBUSY || to_master == -EBUSY)
		snprintf(why, len,
			 "pty %d: echoes not output yet, or a literal next (^V) waiting for its character",
			 slave->index);
	else if (to_slave < 0 || to_master < 0)
		snprintf(why, len,
			 "pty %d: the %s's input buffer is full (what waits behind it is not saved)",
			 slave->index, to_slave < 0 ? "slave" : "master");
	else if (!ckpt_pty_master_termios(master))
		snprintf(why, len,
			 "pty %d: the master's termios were changed (not saved)",
			 slave->index);
	else if (test_bit(TTY_EXCLUSIVE, &slave->flags))
		snprintf(why, len, "pty %d: in exclusive mode (TIOCEXCL)",
			 slave->index);
	else if (READ_ONCE(slave->flow.stopped) ||
		 READ_ONCE(master->flow.stopped))
		snprintf(why, len, "pty %d: output stopped (^S or TCOOFF)",
			 slave->index);
	else if (READ_ONCE(master->ctrl.packet) &&
		 READ_ONCE(slave->ctrl.pktstatus))
		snprintf(why, len, "pty %d: a packet-mode status byte not read",
			 slave->index);
	else
		return 0;
	return -EOPNOTSUPP;
}

/* Is @pid the pid of one of @tasks?  Its number then, else 0. */
static pid_t ckpt_pty_task_pid(struct pid *pid, struct task_struct **tasks,
			       unsigned int nr)
{
	unsigned int i;

	for (i = 0; pid && i < nr; i++)
		if (task_pid(tasks[i]) == pid)
			return pid_vnr(pid);
	return 0;
}

/*
 * The session the slave of @master controls and its foreground group,
 * as pids of @tasks in *@sid and *@pgid (0 and 0 for none): both must
 * be led by one of @tasks, which restart makes again first.
 */
static int ckpt_pty_session(struct tty_struct *master,
			    struct task_struct **tasks, unsigned int nr,
			    pid_t *sid, pid_t *pgid, char *why, size_t len)
{
	struct tty_struct *slave = master->link;
	struct pid *session, *pgrp;
	int err = 0;

	spin_lock_irq(&slave->ctrl.lock);
	session = get_pid(slave->ctrl.session);
	pgrp = get_pid(slave->ctrl.pgrp);
	spin_unlock_irq(&slave->ctrl.lock);
	*sid = ckpt_pty_task_pid(session, tasks, nr);
	*pgid = ckpt_pty_task_pid(pgrp, tasks, nr);
	if (session && !*sid) {
		snprintf(why, len,
			 "pty %d: the controlling terminal of session %d, whose leader is outside the checkpoint",
			 slave->index, pid_vnr(session));
		err = -EOPNOTSUPP;
	} else if (session && !*pgid) {
		snprintf(why, len,
			 "pty %d: its foreground process group %d has no leader in the checkpoint",
			 slave->index, pgrp ? pid_vnr(pgrp) : 0);
		err = -EOPNOTSUPP;
	}
	put_pid(session);
	put_pid(pgrp);
	return err;
}

/*
 * Of the files open on @tty, how many are in @files (@nr, sorted), and
 * how many there are.
 */
static void ckpt_pty_count(struct tty_struct *tty, struct file **files,
			   unsigned int nr, unsigned int *in, unsigned int *all)
{
	struct tty_file_private *priv;

	spin_lock(&tty->files_lock);
	list_for_each_entry(priv, &tty->tty_files, list) {
		(*all)++;
		if (bsearch(&priv->file, files, nr, sizeof(*files),
			    ckpt_ptr_cmp))
			(*in)++;
	}
	spin_unlock(&tty->files_lock);
}

/*
 * Every file of a pty whose master @all holds must be in @all too:
 * restart makes a new pair, which a file outside would not reach.  A
 * slave whose master is outside is the outside world's terminal.
 */
static int ckpt_pty_peers(const struct ckpt_fds *f, int only,
			  const struct ckpt_fds *all,
			  struct task_struct **tasks, unsigned int nr_tasks,
			  char *why, size_t len)
{
	struct file **files = NULL;
	struct tty_struct *master;
	unsigned int i, in, n;
	pid_t sid, pgid;
	int err = 0;

	for (i = 0; i < f->nr && !err; i++) {
		if (only >= 0 && i != only)
			continue;
		master = ckpt_pty_master(f->fds[i].file);
		if (!master)
			continue;
		if (!files) {
			files = ckpt_fds_sorted_files(all);
			if (!files) {
				snprintf(why, len, "out of memory");
				return -ENOMEM;
			}
		}
		in = 0;
		n = 0;
		ckpt_pty_count(master, files, all->nr, &in, &n);
		if (!in)
			continue;	/* a terminal outside */
		ckpt_pty_count(master->link, files, all->nr, &in, &n);
		if (in != n) {
			snprintf(why, len,
				 "process %d fd %u%s: pty %d is open outside the checkpoint too",
				 f->fds[i].pid, f->fds[i].fd,
				 ckpt_fd_flight(&f->fds[i]), master->link->index);
			err = -EOPNOTSUPP;
		} else if (tty_hung_up_p(f->fds[i].file)) {
			snprintf(why, len,
				 "process %d fd %u%s: pty %d was hung up (vhangup)",
				 f->fds[i].pid, f->fds[i].fd,
				 ckpt_fd_flight(&f->fds[i]), master->link->index);
			err = -EOPNOTSUPP;
		} else if (f->fds[i].file->f_flags & CKPT_FILE_FLAGS &
			   ~CKPT_PTY_OPEN_FLAGS) {
			snprintf(why, len,
				 "process %d fd %u%s: pty %d opened with flags %#x",
				 f->fds[i].pid, f->fds[i].fd,
				 ckpt_fd_flight(&f->fds[i]), master->link->index,
				 f->fds[i].file->f_flags);
			err = -EOPNOTSUPP;
		} else {
			err = ckpt_pty_state(master, why, len);
			if (!err)
				err = ckpt_pty_session(master, tasks, nr_tasks,
						       &sid, &pgid, why, len);
		}
		cond_resched();
	}
	kvfree(files);
	return err;
}

static bool ckpt_is_master_of(struct file *file, void *master)
{
	return ckpt_is_pty_master_file(file) && file_tty(file) == master;
}

/* The open master of @master in the checkpoint (referenced), or NULL. */
static struct file *ckpt_pty_master_file(struct ckpt_ctx *ctx,
					 struct tty_struct *master)
{
	return ckpt_tree_find_file(ctx, ckpt_is_master_of, master);
}

/* The termios of @tty, under its lock, as the image has it. */
static void ckpt_termios_save(struct tty_struct *tty, struct ckpt_termios *t)
{
	BUILD_BUG_ON(NCCS > CKPT_TERMIOS_NCCS);
	down_read(&tty->termios_rwsem);
	t->c_iflag = tty->termios.c_iflag;
	t->c_oflag = tty->termios.c_oflag;
	t->c_cflag = tty->termios.c_cflag;
	t->c_lflag = tty->termios.c_lflag;
	t->c_ispeed = tty->termios.c_ispeed;
	t->c_ospeed = tty->termios.c_ospeed;
	t->c_line = tty->termios.c_line;
	memcpy(t->c_cc, tty->termios.c_cc, NCCS);
	up_read(&tty->termios_rwsem);
}

/*
 * The owner and mode of @slave's node, from a file open on it: what
 * fchown(2) and fchmod(2) may have changed.  False if none is open.
 */
static bool ckpt_pty_slave_owner(struct tty_struct *slave,
				 struct ckpt_hdr_pty *h)
{
	struct tty_file_private *priv;
	struct inode *inode = NULL;

	spin_lock(&slave->files_lock);
	priv = list_first_entry_or_null(&slave->tty_files,
					struct tty_file_private, list);
	if (priv) {
		inode = file_inode(priv->file);
		h->slave_uid = from_kuid_munged(current_user_ns(),
						inode->i_uid);
		h->slave_gid = from_kgid_munged(current_user_ns(),
						inode->i_gid);
		h->slave_mode = inode->i_mode & 07777;
	}
	spin_unlock(&slave->files_lock);
	return inode;
}

/* In a PTY record: @n bytes not read, then a bit per byte for line ends. */
static size_t ckpt_pty_unread_len(u32 n)
{
	return n + DIV_ROUND_UP(n, 8);
}

#define CKPT_PTY_UNREAD_LEN	ckpt_pty_unread_len(CKPT_PTY_UNREAD_MAX)

/*
 * The bytes @tty received and did not read, into @data as a PTY record
 * holds them, and their count into *@n.  The tasks are frozen, the
 * pair's files all in the checkpoint: nothing comes after the checks.
 */
static int ckpt_pty_unread(struct tty_struct *tty, u8 *data, u32 *n)
{
	unsigned long *eol;
	int i, ret;

	BUILD_BUG_ON(N_TTY_BUF_SIZE - 2 != CKPT_PTY_UNREAD_MAX);
	eol = bitmap_zalloc(N_TTY_BUF_SIZE, GFP_KERNEL);
	if (!eol)
		return -ENOMEM;
	ret = n_tty_unread(tty, data, eol);
	for (i = 0; i < ret; i++)
		if (test_bit(i, eol))
			data[ret + i / 8] |= BIT(i % 8);
	bitmap_free(eol);
	if (ret < 0)	/* ckpt_pty_state() said why */
		return -EOPNOTSUPP;
	*n = ret;
	return 0;
}

/* Give @tty the bytes @data holds, as ckpt_pty_unread() wrote them. */
static int restore_pty_unread(struct tty_struct *tty, const u8 *data, u32 n)
{
	unsigned long *eol;
	u32 i;
	int err;

	if (!n)
		return 0;
	eol = bitmap_zalloc(N_TTY_BUF_SIZE, GFP_KERNEL);
	if (!eol)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (data[n + i / 8] & BIT(i % 8))
			__set_bit(i, eol);
	err = n_tty_refill(tty, data, eol, n);
	bitmap_free(eol);
	return err;
}

/* Are the bits after the last of @n in a PTY record's bitmap zero? */
static bool restore_pty_unread_valid(const u8 *data, u32 n)
{
	return !(n % 8 && data[n + n / 8] >> (n % 8));
}

/**
 * checkpoint_pty_obj - write a PTY record (objhash checkpoint handler)
 * @ctx: checkpoint context
 * @ptr: the pair's master tty
 * @objref: its objref
 *
 * Return: 0 or a negative errno (logged).
 */
static int checkpoint_pty_obj(struct ckpt_ctx *ctx, void *ptr, int objref)
{
	struct tty_struct *master = ptr, *slave = master->link;
	struct task_struct **tasks;
	struct ckpt_hdr_pty *h;
	struct file *file;
	unsigned int nr;
	pid_t sid, pgid;
	char why[160];
	char *path;
	u8 *data;
	u32 plen;
	int err;

	tasks = ckpt_tree_tasks(ctx, &nr);
	err = ckpt_pty_state(master, why, sizeof(why));
	if (!err)
		err = ckpt_pty_session(master, tasks, nr, &sid, &pgid, why,
				       sizeof(why));
	if (err)
		return ckpt_err(ctx, err, "%s", why);
	file = ckpt_pty_master_file(ctx, master);
	if (!file)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pty %d: its master is not in the checkpoint",
				slave->index);
	h = kvzalloc(sizeof(*h) + CKPT_PATH_MAX + 2 * CKPT_PTY_UNREAD_LEN,
		     GFP_KERNEL);
	if (!h) {
		fput(file);
		return -ENOMEM;
	}
	path = ckpt_file_path(file, h->path, CKPT_PATH_MAX);
	h->master_flags = file->f_flags & CKPT_FILE_FLAGS;
	fput(file);
	if (IS_ERR(path)) {
		err = ckpt_err(ctx, PTR_ERR(path), "pty %d: master's path",
			       slave->index);
		goto out;
	}
	plen = strlen(path) + 1;
	memmove(h->path, path, plen);
	memset(h->path + plen, 0, CKPT_PATH_MAX - plen);
	h->path_len = plen;
	data = (u8 *)h->path + ALIGN(plen, 8);
	err = ckpt_pty_unread(slave, data, &h->to_slave);
	if (!err)
		err = ckpt_pty_unread(master,
				      data + ckpt_pty_unread_len(h->to_slave),
				      &h->to_master);
	if (err) {
		err = ckpt_err(ctx, err, "pty %d: reading its input",
			       slave->index);
		goto out;
	}
	h->objref = objref;
	h->index = slave->index;
	if (test_bit(TTY_PTY_LOCK, &master->flags))
		h->flags |= CKPT_PTY_LOCKED;
	if (READ_ONCE(master->ctrl.packet))
		h->flags |= CKPT_PTY_PACKET;
	if (test_bit(TTY_OTHER_CLOSED, &master->flags))
		h->flags |= CKPT_PTY_SLAVE_CLOSED;
	if (ckpt_pty_slave_owner(slave, h))
		h->flags |= CKPT_PTY_SLAVE_OWNER;
	h->session = sid;
	h->pgrp = pgid;
	mutex_lock(&slave->winsize_mutex);
	h->ws_row = slave->winsize.ws_row;
	h->ws_col = slave->winsize.ws_col;
	h->ws_xpixel = slave->winsize.ws_xpixel;
	h->ws_ypixel = slave->winsize.ws_ypixel;
	mutex_unlock(&slave->winsize_mutex);
	ckpt_termios_save(slave, &h->termios);
	err = ckpt_write_obj(ctx, CKPT_HDR_PTY, h,
			     sizeof(*h) + ALIGN(plen, 8) +
			     ckpt_pty_unread_len(h->to_slave) +
			     ckpt_pty_unread_len(h->to_master));
out:
	kvfree(h);
	return err;
}

/* The FILE of a pty's end: @ref names the PTY, 0 for a terminal outside. */
static int ckpt_pty_record(struct ckpt_ctx *ctx, struct file *file,
			   struct ckpt_hdr_file *h)
{
	struct tty_struct *master = ckpt_pty_master(file);
	struct file *mfile = ckpt_pty_master_file(ctx, master);
	int ref;

	h->ref = 0;
	if (!mfile)
		return 0;
	fput(mfile);
	ref = ckpt_obj_checkpoint(ctx, CKPT_OBJ_PTY, master);
	if (ref < 0)
		return ref;
	h->ref = ref;
	return 0;
}

/*
 * A restored pair: the master, whether its slave stays locked, and the
 * session it controls with its foreground group (pids of the image).
 */
struct ckpt_pty {
	struct file *master;
	bool locked;
	pid_t session;
	pid_t pgrp;
	/* the slave node's owner and mode, until its first file is open */
	bool owner;
	uid_t uid;
	gid_t gid;
	umode_t mode;
};

static int ckpt_termios_check(const struct ckpt_termios *t)
{
	unsigned int i;

	if (t->c_line != N_TTY || memchr_inv(t->_pad, 0, sizeof(t->_pad)))
		return -EBADMSG;
	for (i = NCCS; i < CKPT_TERMIOS_NCCS; i++)
		if (t->c_cc[i])
			return -EBADMSG;
	return 0;
}

static int ckpt_termios_restore(struct tty_struct *tty,
				const struct ckpt_termios *t)
{
	struct ktermios kt = {
		.c_iflag = t->c_iflag,
		.c_oflag = t->c_oflag,
		.c_cflag = t->c_cflag,
		.c_lflag = t->c_lflag,
		.c_line = t->c_line,
		.c_ispeed = t->c_ispeed,
		.c_ospeed = t->c_ospeed,
	};

	memcpy(kt.c_cc, t->c_cc, NCCS);
	return tty_set_termios(tty, &kt);
}

/* Open the slave of @pty, unlocking it for as long as that takes. */
static struct file *ckpt_pty_open_slave(struct ckpt_pty *pty, int flags)
{
	struct tty_struct *master = file_tty(pty->master);
	struct file *file;

	pty_lock_slave(master, false);
	file = pty_open_peer(pty->master, flags | O_NOCTTY);
	pty_lock_slave(master, pty->locked);
	return file;
}

static void restore_pty_release(void *ptr)
{
	struct ckpt_pty *pty = ptr;

	fput(pty->master);
	kfree(pty);
}

/**
 * restore_pty_obj - make a pty pair from its record (objhash restore
 * handler)
 * @ctx: restart context
 * @rec: the record
 *
 * Opens the ptmx node the record names, as the restored task, and sets
 * the new pair as the record says.
 *
 * Return: the pair (the hash owns it) or an ERR_PTR (logged).
 */
static void *restore_pty_obj(struct ckpt_ctx *ctx, void *rec)
{
	struct ckpt_hdr_pty *h = rec;
	struct ckpt_hdr_file fh = {};
	struct tty_struct *master;
	struct ckpt_pty *pty;
	struct winsize ws;
	struct file *file;
	const char *path;
	const u8 *data;
	struct path p;
	int err;

	if (h->h.len < sizeof(*h) || h->path_len > CKPT_PATH_MAX ||
	    h->to_slave > CKPT_PTY_UNREAD_MAX ||
	    h->to_master > CKPT_PTY_UNREAD_MAX ||
	    h->h.len != sizeof(*h) + ALIGN(h->path_len, 8) +
			ckpt_pty_unread_len(h->to_slave) +
			ckpt_pty_unread_len(h->to_master) ||
	    memchr_inv(h->path + h->path_len, 0,
		       ALIGN(h->path_len, 8) - h->path_len) ||
	    h->flags & ~CKPT_PTY_FLAGS || h->_pad || h->_pad2 ||
	    h->slave_mode & ~07777 ||
	    (!(h->flags & CKPT_PTY_SLAVE_OWNER) &&
	     (h->slave_uid || h->slave_gid || h->slave_mode)) ||
	    h->master_flags & ~CKPT_PTY_OPEN_FLAGS ||
	    (h->master_flags & O_ACCMODE) == O_ACCMODE ||
	    h->session < 0 || h->pgrp < 0 || !h->session != !h->pgrp ||
	    ckpt_termios_check(&h->termios)) {
		ckpt_err(ctx, -EBADMSG, "pty %u: malformed record", h->objref);
		return ERR_PTR(-EBADMSG);
	}
	data = (const u8 *)h->path + ALIGN(h->path_len, 8);
	if (!restore_pty_unread_valid(data, h->to_slave) ||
	    !restore_pty_unread_valid(data + ckpt_pty_unread_len(h->to_slave),
				      h->to_master)) {
		ckpt_err(ctx, -EBADMSG, "pty %u: line ends after its bytes",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	if (h->session && (!ckpt_tree_task(ctx, h->session) ||
			   !ckpt_tree_task(ctx, h->pgrp))) {
		ckpt_err(ctx, -EBADMSG,
			 "pty %u: session %d or process group %d not in the image",
			 h->objref, h->session, h->pgrp);
		return ERR_PTR(-EBADMSG);
	}
	path = ckpt_string(ctx, h->path, h->path_len, "ptmx path");
	if (IS_ERR(path))
		return ERR_CAST(path);
	if (path[0] != '/') {
		ckpt_err(ctx, -EBADMSG, "ptmx path %s is not absolute", path);
		return ERR_PTR(-EBADMSG);
	}
	/* a ptmx node, looked at before any open runs on the image's word */
	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err)
		return ERR_PTR(ckpt_err(ctx, err, "cannot find %s", path));
	if (!S_ISCHR(d_inode(p.dentry)->i_mode) ||
	    d_inode(p.dentry)->i_rdev != CKPT_PTMX_DEV) {
		path_put(&p);
		return ERR_PTR(ckpt_err(ctx, -ESTALE, "%s is no ptmx node",
					path));
	}
	fh.kind = CKPT_FILE_PTY;
	fh.f_flags = h->master_flags;
	file = ckpt_open_path(ctx, &fh, &p, path);
	path_put(&p);
	if (IS_ERR(file))
		return file;
	master = ckpt_pty_master(file);
	if (!master || file_tty(file) != master) {
		fput(file);
		return ERR_PTR(ckpt_err(ctx, -ESTALE,
					"%s did not open a pty master", path));
	}
	pty = kzalloc(sizeof(*pty), GFP_KERNEL);
	if (!pty) {
		fput(file);
		return ERR_PTR(-ENOMEM);
	}
	pty->master = file;
	pty->locked = h->flags & CKPT_PTY_LOCKED;
	pty->session = h->session;
	pty->pgrp = h->pgrp;
	pty->owner = h->flags & CKPT_PTY_SLAVE_OWNER;
	pty->uid = h->slave_uid;
	pty->gid = h->slave_gid;
	pty->mode = h->slave_mode;
	err = ckpt_termios_restore(master->link, &h->termios);
	if (err) {
		ckpt_err(ctx, err, "pty %u: setting termios", h->objref);
		goto fail;
	}
	ws = (struct winsize){ .ws_row = h->ws_row, .ws_col = h->ws_col,
			       .ws_xpixel = h->ws_xpixel,
			       .ws_ypixel = h->ws_ypixel };
	err = tty_do_resize(master->link, &ws);
	if (err) {
		ckpt_err(ctx, err, "pty %u: setting the window size",
			 h->objref);
		goto fail;
	}
	pty_packet_mode(master, h->flags & CKPT_PTY_PACKET);
	pty_lock_slave(master, pty->locked);
	if (h->flags & CKPT_PTY_SLAVE_CLOSED) {
		/* opened and closed: the master reads EIO until it reopens */
		file = ckpt_pty_open_slave(pty, O_RDWR);
		if (IS_ERR(file)) {
			err = ckpt_err(ctx, PTR_ERR(file),
				       "pty %u: opening its slave", h->objref);
			goto fail;
		}
		fput(file);
	}
	/* after the termios, which decide how they are read */
	err = restore_pty_unread(master->link, data, h->to_slave) ?:
	      restore_pty_unread(master,
				 data + ckpt_pty_unread_len(h->to_slave),
				 h->to_master);
	if (err) {
		ckpt_err(ctx, err, "pty %u: giving it back its input",
			 h->objref);
		goto fail;
	}
	return pty;
fail:
	restore_pty_release(pty);
	return ERR_PTR(err);
}

/*
 * The first file of a restored slave: its node gets its owner and mode
 * back, as fchown(2) and fchmod(2) give them, if they differ.
 */
static int restore_pty_slave_owner(struct ckpt_pty *pty, struct file *file)
{
	struct inode *inode = file_inode(file);
	int err = 0;

	if (!pty->owner)
		return 0;
	pty->owner = false;
	if (from_kuid_munged(current_user_ns(), inode->i_uid) != pty->uid ||
	    from_kgid_munged(current_user_ns(), inode->i_gid) != pty->gid)
		err = vfs_fchown(file, pty->uid, pty->gid);
	if (!err && (inode->i_mode & 07777) != pty->mode)
		err = vfs_fchmod(file, pty->mode);
	return err;
}

/* The master or a new open file of the slave, as the FILE says. */
static struct file *restore_pty(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
				const char *path)
{
	bool master = new_decode_dev(h->rdev) == CKPT_PTMX_DEV;
	struct ckpt_pty *pty;
	struct file *file;
	int err;

	/* a slave of a pty outside: the restarter's terminal */
	if (!h->ref && !master && h->path[0] == '/' &&
	    !(h->f_flags & ~CKPT_FILE_FLAGS))
		return restore_tty(ctx, h, path);
	if (!h->ref || h->f_flags & ~CKPT_PTY_OPEN_FLAGS ||
	    (h->f_flags & O_ACCMODE) == O_ACCMODE) {
		ckpt_err(ctx, -EBADMSG, "file %d: malformed pty record",
			 h->objref);
		return ERR_PTR(-EBADMSG);
	}
	pty = ckpt_obj_fetch(ctx, h->ref, CKPT_OBJ_PTY);
	if (IS_ERR(pty))
		return ERR_CAST(pty);
	if (!master) {
		file = ckpt_pty_open_slave(pty, h->f_flags);
		if (IS_ERR(file)) {
			ckpt_err(ctx, PTR_ERR(file),
				 "file %d: opening the slave of pty %u",
				 h->objref, h->ref);
			return file;
		}
		err = restore_pty_slave_owner(pty, file);
		if (err) {
			fput(file);
			return ERR_PTR(ckpt_err(ctx, err,
						"file %d: giving the slave of pty %u its owner %u:%u and mode 0%o",
						h->objref, h->ref, pty->uid,
						pty->gid, pty->mode));
		}
		return file;
	}
	/* one open file per master: ptmx makes a new pair at each open */
	if ((h->f_flags & ~O_NONBLOCK) !=
	    (pty->master->f_flags & (CKPT_PTY_OPEN_FLAGS & ~O_NONBLOCK))) {
		ckpt_err(ctx, -EBADMSG, "file %d: flags %#x, the master's %#x",
			 h->objref, h->f_flags, pty->master->f_flags);
		return ERR_PTR(-EBADMSG);
	}
	ckpt_set_nonblock(pty->master, h->f_flags & O_NONBLOCK);
	return get_file(pty->master);
}

/*
 * A pair is its master tty at checkpoint (the hash holds a tty
 * reference); at restart, the master file restart opened.
 */
static void ckpt_pty_grab(void *ptr)
{
	tty_kref_get(ptr);
}

static void ckpt_pty_drop(void *ptr)
{
	tty_kref_put(ptr);
}

const struct ckpt_obj_ops ckpt_obj_pty_ops = {
	.name = "pty",
	.hdr_type = CKPT_HDR_PTY,
	.grab = ckpt_pty_grab,
	.drop = ckpt_pty_drop,
	.checkpoint = checkpoint_pty_obj,
	.restore = restore_pty_obj,
	.release = restore_pty_release,
};

const struct ckpt_file_ops ckpt_file_pty_ops = {
	.kind = CKPT_FILE_PTY,
	.flags = CKPT_FK_OWN_REF | CKPT_FK_PEERS,
	.is = ckpt_is_pty,
	.peers = ckpt_pty_peers,
	.record = ckpt_pty_record,
	.restore = restore_pty,
};

/**
 * checkpoint_ctty - write a process's CTTY record
 * @ctx: checkpoint context
 * @t: the process's first task
 *
 * Return: 0 or a negative errno (logged).
 */
int checkpoint_ctty(struct ckpt_ctx *ctx, struct task_struct *t)
{
	struct ckpt_hdr_ctty h = {};
	struct tty_struct *tty;
	struct file *mfile;
	unsigned long flags;
	int err = 0;

	if (!lock_task_sighand(t, &flags))
		return -ESRCH;
	tty = tty_kref_get(t->signal->tty);
	unlock_task_sighand(t, &flags);
	if (tty && tty->driver->type == TTY_DRIVER_TYPE_PTY &&
	    tty->driver->subtype == PTY_TYPE_SLAVE && tty->link) {
		mfile = ckpt_pty_master_file(ctx, tty->link);
		if (mfile) {
			fput(mfile);
			err = ckpt_obj_checkpoint(ctx, CKPT_OBJ_PTY, tty->link);
			h.pty_objref = max(err, 0);
		}
	} else if (tty && tty->driver->type == TTY_DRIVER_TYPE_PTY) {
		mfile = ckpt_pty_master_file(ctx, tty);
		if (mfile) {
			fput(mfile);
			err = ckpt_err(ctx, -EOPNOTSUPP,
				       "its controlling terminal is a pty master");
		}
	}
	tty_kref_put(tty);
	if (err < 0)
		return err;
	return ckpt_write_obj(ctx, CKPT_HDR_CTTY, &h, sizeof(h));
}

/**
 * restore_ctty - read a process's CTTY record and give it the terminal
 * @ctx: restart context
 *
 * The session leader takes the slave as TIOCSCTTY would, and sets its
 * foreground group; the other processes of the session, which come
 * after it, join.  Done as the records are read: a restart that fails
 * later kills the processes, which gives the terminal up.
 *
 * Return: 0 or a negative errno (logged).
 */
int restore_ctty(struct ckpt_ctx *ctx)
{
	struct task_struct *fg;
	struct ckpt_hdr_ctty *h;
	struct tty_struct *slave;
	struct ckpt_pty *pty;
	struct file *file;
	int err;

	/* a PTY record comes first if no file named the pty */
	h = ckpt_read_after_objs(ctx, CKPT_HDR_CTTY, sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	err = h->_pad ? -EBADMSG : 0;
	if (err || !h->pty_objref)
		goto out;
	pty = ckpt_obj_fetch(ctx, h->pty_objref, CKPT_OBJ_PTY);
	if (IS_ERR(pty)) {
		err = PTR_ERR(pty);
		goto out;
	}
	slave = file_tty(pty->master)->link;
	if (!pty->session) {
		err = ckpt_err(ctx, -EBADMSG,
			       "pty %u controls no session in the image",
			       h->pty_objref);
		goto out;
	}
	if (ckpt_tree_task(ctx, pty->session) == current) {
		file = ckpt_pty_open_slave(pty, O_RDWR);
		if (IS_ERR(file)) {
			err = ckpt_err(ctx, PTR_ERR(file),
				       "opening the slave of pty %u",
				       h->pty_objref);
			goto out;
		}
		err = tty_set_ctty(slave, file, false);
		fput(file);
		fg = ckpt_tree_task(ctx, pty->pgrp);
		if (!err)
			err = tty_set_fg_pgrp(slave, task_pid(fg));
		if (err)
			ckpt_err(ctx, err,
				 "making pty %u its terminal, with foreground group %d",
				 h->pty_objref, pty->pgrp);
	} else {
		err = tty_join_ctty(slave) ? -EINVAL : 0;
		if (err)
			ckpt_err(ctx, err,
				 "pty %u is not its session's terminal: the session leader must come first",
				 h->pty_objref);
	}
out:
	if (err == -EBADMSG)
		ckpt_err(ctx, err, "CTTY record malformed");
	kvfree(h);
	return err;
}
