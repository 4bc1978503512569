/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checkpoint/restart: what checkpoint/, fs/checkpoint/ and
 * arch/x86/checkpoint/ share among themselves.  Other subsystems see
 * only <linux/checkpoint.h>.
 */
#ifndef _CHECKPOINT_INTERNAL_H
#define _CHECKPOINT_INTERNAL_H

#include <linux/checkpoint.h>
#include <linux/align.h>
#include <linux/types.h>
#include <linux/err.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/resource.h>
#include <linux/signal_types.h>
#include <linux/uidgid.h>
#include <uapi/linux/checkpoint.h>
#include <uapi/linux/checkpoint_hdr.h>

struct address_space;
struct file;
struct page;
struct sock;
struct socket;
struct task_struct;
struct mm_struct;
struct cred;
struct ckpt_obj_hash;
struct ckpt_arch_state;
struct ckpt_mm_state;
struct ckpt_files_state;
struct files_struct;
struct ckpt_tree;
struct uts_namespace;
struct ipc_namespace;

enum ckpt_op {
	CKPT_OP_CHECKPOINT,
	CKPT_OP_RESTART,
};

/*
 * What restart reads and checks before it changes a task.  Process-wide
 * state (rlimits, fs, dispositions, files, memory) is only the
 * leader's: the first task of its process in the tree.
 */
struct ckpt_task_state {
	bool leader;
	bool zombie;
	struct ckpt_hdr_task *task;
	struct cred *cred;		/* prepared, committed at the end */
	struct rlimit rlim[CKPT_RLIM_NLIMITS];
	struct path root, pwd;
	u32 umask;
	struct ckpt_hdr_sched *sched;
	struct ckpt_hdr_sighand *sighand;
	struct ckpt_hdr_signal *signal;
	struct ckpt_hdr_sigpending **pending;
	struct ckpt_hdr_posix_timer *timers;	/* nr_timers of SIGNAL */
	struct ckpt_files_state *files;
	struct ckpt_arch_state *arch;
	struct ckpt_mm_state *mm;
	long ret;			/* what restart(2) returns in it */
};

/**
 * struct ckpt_ctx - one checkpoint or restart operation
 * @op: checkpoint or restart
 * @flags: the syscall's flags
 * @file: the image, read or written front to back
 * @logfile: where failures are explained, or NULL
 * @nbytes: bytes of image written or read so far
 * @sum1: running checksum (see struct ckpt_hdr_tail)
 * @sum2: running checksum, second half
 * @log_pid: the pid log lines name: the task being written or restored
 * @ckpt_id: id of this checkpoint
 * @objhash: shared objects met so far, by pointer and by objref
 * @tree: the tasks (checkpoint/tree.c)
 * @ref: restart: held by the caller and by each task that joined
 * @ts: restart: the staged state of the task whose turn it is
 * @cred: the caller's credentials when the operation began
 * @relinks: links and directories made for unlinked files (relink.c)
 * @tcp: TCP connections left in repair mode (fs/checkpoint/tcp.c)
 * @no_return: restart changed the caller; failure now kills it
 * @ns_flags: CKPT_TREE_NEWUTS / CKPT_TREE_NEWIPC: namespaces in the image
 * @uts_ns: checkpoint: the tree's own UTS namespace, referenced
 * @ipc_ns: the tree's own IPC namespace, referenced (restart: the new one)
 * @shm_dest: restart: SysV segments to remove once all are attached
 * @nr_shm_dest: how many
 */
struct ckpt_ctx {
	enum ckpt_op op;
	unsigned long flags;
	struct file *file;
	struct file *logfile;
	u64 nbytes;
	u64 sum1, sum2;
	pid_t log_pid;
	u64 ckpt_id;
	struct ckpt_obj_hash *objhash;
	struct ckpt_tree *tree;
	struct kref ref;
	struct ckpt_task_state *ts;
	void *pagebuf;		/* CKPT_PAGES_BATCH pages of bounce buffer */
	const struct cred *cred;
	struct list_head relinks;
	struct list_head tcp;
	bool no_return;
	struct mutex log_lock;	/* for @log_lines */
	struct list_head log_lines;
	unsigned int log_nr;
	u32 ns_flags;
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	int *shm_dest;
	unsigned int nr_shm_dest;
};

/* logging: one line per failure, to logfd */
__printf(3, 4)
int ckpt_err(struct ckpt_ctx *ctx, int err, const char *fmt, ...);
void ckpt_log_flush(struct ckpt_ctx *ctx);

/* image I/O (checkpoint/image.c) */
int ckpt_write(struct ckpt_ctx *ctx, const void *buf, size_t len);
int ckpt_write_obj(struct ckpt_ctx *ctx, u32 type, void *rec, u32 len);
int ckpt_write_pages(struct ckpt_ctx *ctx, struct page **pages,
		     unsigned int nr, bool shared);
int ckpt_read(struct ckpt_ctx *ctx, void *buf, size_t len);
int ckpt_read_pages(struct ckpt_ctx *ctx, struct page **pages,
		    unsigned int nr);
void *ckpt_read_record(struct ckpt_ctx *ctx, u32 max);
void *ckpt_read_obj(struct ckpt_ctx *ctx, u32 type, u32 min, u32 max);
void *ckpt_read_obj_fixed(struct ckpt_ctx *ctx, u32 type, u32 size);
int ckpt_write_header(struct ckpt_ctx *ctx);
int ckpt_read_header(struct ckpt_ctx *ctx);
int ckpt_write_tail(struct ckpt_ctx *ctx);
int ckpt_read_tail(struct ckpt_ctx *ctx);
const char *ckpt_string(struct ckpt_ctx *ctx, const char *s, u32 len,
			const char *what);
const char *ckpt_type_name(u32 type);

static inline size_t ckpt_padded(size_t len)
{
	return ALIGN(len, 8);
}

/* object hash (checkpoint/objhash.c) */
/*
 * One entry per object kind (obj_kinds.h binds it to its enum
 * ckpt_obj_type): @grab/@drop hold a live object while a checkpoint
 * runs, @checkpoint writes its record (type @hdr_type), @restore
 * rebuilds it from that record and @release frees what @restore made.
 */
struct ckpt_obj_ops {
	const char *name;
	u32 hdr_type;
	void (*grab)(void *ptr);
	void (*drop)(void *ptr);
	int (*checkpoint)(struct ckpt_ctx *ctx, void *ptr, int objref);
	void *(*restore)(struct ckpt_ctx *ctx, void *rec);
	void (*release)(void *ptr);
};

/* the kinds, each defined in its own file, listed in obj_kinds.h */
extern const struct ckpt_obj_ops ckpt_obj_file_ops;
extern const struct ckpt_obj_ops ckpt_obj_file_table_ops;
extern const struct ckpt_obj_ops ckpt_obj_mm_ops;
extern const struct ckpt_obj_ops ckpt_obj_pipe_ops;
extern const struct ckpt_obj_ops ckpt_obj_memfd_ops;
extern const struct ckpt_obj_ops ckpt_obj_eventfd_ops;
extern const struct ckpt_obj_ops ckpt_obj_signalfd_ops;
extern const struct ckpt_obj_ops ckpt_obj_timerfd_ops;
extern const struct ckpt_obj_ops ckpt_obj_shmem_ops;
extern const struct ckpt_obj_ops ckpt_obj_unix_pair_ops;
extern const struct ckpt_obj_ops ckpt_obj_socket_ops;
extern const struct ckpt_obj_ops ckpt_obj_inotify_ops;
extern const struct ckpt_obj_ops ckpt_obj_pty_ops;
void ckpt_obj_noop(void *ptr);

int ckpt_obj_hash_alloc(struct ckpt_ctx *ctx);
void ckpt_obj_hash_free(struct ckpt_ctx *ctx);
int ckpt_obj_checkpoint(struct ckpt_ctx *ctx, enum ckpt_obj_type type,
			void *ptr);
int ckpt_obj_restore(struct ckpt_ctx *ctx, enum ckpt_obj_type type,
		     void *rec, int objref);
int ckpt_obj_restore_record(struct ckpt_ctx *ctx, struct ckpt_hdr *rec);
void *ckpt_read_after_objs(struct ckpt_ctx *ctx, u32 type, u32 len);
void *ckpt_obj_fetch(struct ckpt_ctx *ctx, int objref,
		     enum ckpt_obj_type type);
int ckpt_obj_lookup(struct ckpt_ctx *ctx, enum ckpt_obj_type type, void *ptr);

/* per-kind object handlers named by the ops table */
int checkpoint_file_obj(struct ckpt_ctx *ctx, void *ptr, int objref);
void *restore_file_obj(struct ckpt_ctx *ctx, void *rec);
bool ckpt_is_memfd(struct file *file);
void ckpt_set_nonblock(struct file *file, bool nonblock);
int ckpt_same_inode(struct ckpt_ctx *ctx, struct inode *inode, u32 dev,
		    u64 ino, const char *path);
int ckpt_lookup_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
		     const char *path, struct path *p);
struct file *ckpt_open_path(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			    const struct path *p, const char *path);
struct file *ckpt_open_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			    const char *path);
struct file *restore_tty(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			 const char *path);
void ckpt_file_grab(void *ptr);
void ckpt_file_drop(void *ptr);

/*
 * Kinds of open file (enum ckpt_file_kind), each defined in the file
 * that handles it and listed in file_kinds.h, in the order checkpoint
 * tries them on a file.
 */
/* open(2) flags a restored file may carry */
#define CKPT_FILE_FLAGS	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | \
			 __O_SYNC | O_DIRECT | O_LARGEFILE | O_DIRECTORY | \
			 O_NOFOLLOW | O_NOATIME | O_PATH)

#define CKPT_FK_ANON	BIT(0)	/* no name: only access mode, O_NONBLOCK */
#define CKPT_FK_NAMED	BIT(1)	/* opened by a name, which may be unlinked */
#define CKPT_FK_POS	BIT(2)	/* names an object, yet has its own offset */
#define CKPT_FK_OWN_REF	BIT(3)	/* @ref and @f_flags are the kind's own */
#define CKPT_FK_PEERS	BIT(4)	/* judged with the other files (->peers) */

/* One open file of a task, with a reference. */
struct ckpt_fd {
	u32 fd;
	u32 flags;		/* FD_CLOEXEC, or CKPT_FD_IN_FLIGHT */
	struct file *file;
	pid_t pid;		/* whose fd, for messages about a tree */
};

/* Not an fd: a file in flight in the socket at @fd (SCM_RIGHTS). */
#define CKPT_FD_IN_FLIGHT	0x100

/* After "process P fd N" in a message: whether it is a file in flight. */
static inline const char *ckpt_fd_flight(const struct ckpt_fd *e)
{
	return e->flags & CKPT_FD_IN_FLIGHT ? " (a file in flight there)" : "";
}

/* A task's open files (or a tree's), in fd order. */
struct ckpt_fds {
	struct files_struct *files;
	struct ckpt_fd *fds;
	unsigned int nr;
};

/* a table's file locks, as its FILE_LOCK records say (fs/checkpoint/lock.c) */
struct ckpt_locks {
	struct ckpt_hdr_file_lock *v;
	u32 nr;
};

/* The fd table restart builds for a task, in fd order. */
struct ckpt_files_state {
	struct ckpt_fd *fds;
	u32 nr;
	struct ckpt_locks locks;
};

/**
 * struct ckpt_file_ops - one kind of open file
 * @kind: its CKPT_FILE_* value
 * @flags: CKPT_FK_*
 * @obj: the kind of object a FILE record of it names in @ref, or 0
 * @is: is an open file of this kind?  NULL: the path decides
 * @obj_ptr: that object, for an open file; NULL: the file itself
 * @supported: optional: 0, or -EOPNOTSUPP and a reason in @why
 * @in_table: optional: does @f->fds[@i], of this kind, refer only to
 *	files of its table (0, or -EOPNOTSUPP and a reason)?
 * @peers: optional: is what the files of this kind among @f (or only
 *	@f->fds[@only], if not -1) are connected to, held by @all, the
 *	files of @tasks?  0, or -EOPNOTSUPP and a reason
 * @in_flight: optional: the files an open file of this kind holds in
 *	flight (an AF_UNIX socket's SCM_RIGHTS), each referenced, in a
 *	kvmalloc'ed array (ckpt_files_put()), NULL for none, or an ERR_PTR
 * @record: optional: fill the kind's own fields of a FILE record
 * @after_table: optional: write the records that follow a file table
 *	for a file of it (an epoll file's interest list: EPOLL)
 * @restore: make the file of a checked FILE record
 * @restore_after: read one record that @after_table wrote
 */
struct ckpt_file_ops {
	u32 kind;
	u32 flags;
	enum ckpt_obj_type obj;
	bool (*is)(struct file *file);
	void *(*obj_ptr)(struct file *file);
	int (*supported)(struct file *file, char *why, size_t len);
	int (*in_table)(const struct ckpt_fds *f, unsigned int i, char *why,
			size_t len);
	int (*peers)(const struct ckpt_fds *f, int only,
		     const struct ckpt_fds *all, struct task_struct **tasks,
		     unsigned int nr_tasks, char *why, size_t len);
	struct file **(*in_flight)(struct file *file, unsigned int *n);
	int (*record)(struct ckpt_ctx *ctx, struct file *file,
		      struct ckpt_hdr_file *h);
	int (*after_table)(struct ckpt_ctx *ctx, struct file *file);
	struct file *(*restore)(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
				const char *path);
	int (*restore_after)(struct ckpt_ctx *ctx);
};

extern const struct ckpt_file_ops ckpt_file_tty_ops;
extern const struct ckpt_file_ops ckpt_file_chr_ops;
extern const struct ckpt_file_ops ckpt_file_reg_ops;
extern const struct ckpt_file_ops ckpt_file_dir_ops;
extern const struct ckpt_file_ops ckpt_file_opath_ops;
extern const struct ckpt_file_ops ckpt_file_pipe_ops;
extern const struct ckpt_file_ops ckpt_file_fifo_ops;
extern const struct ckpt_file_ops ckpt_file_memfd_ops;
extern const struct ckpt_file_ops ckpt_file_eventfd_ops;
extern const struct ckpt_file_ops ckpt_file_signalfd_ops;
extern const struct ckpt_file_ops ckpt_file_timerfd_ops;
extern const struct ckpt_file_ops ckpt_file_epoll_ops;
extern const struct ckpt_file_ops ckpt_file_pidfd_ops;
extern const struct ckpt_file_ops ckpt_file_unix_ops;
extern const struct ckpt_file_ops ckpt_file_socket_ops;
extern const struct ckpt_file_ops ckpt_file_inotify_ops;
extern const struct ckpt_file_ops ckpt_file_pty_ops;

const struct ckpt_file_ops *ckpt_file_ops_of(u32 kind);
int ckpt_ptr_cmp(const void *a, const void *b);
struct file **ckpt_fds_sorted_files(const struct ckpt_fds *all);
int ckpt_file_kind(struct file *file);
struct file *restore_state_file(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
				const char *path);

/* unlinked files (fs/checkpoint/relink.c) */
int ckpt_relink_supported(struct file *file, char *why, size_t len);
char *ckpt_relink(struct ckpt_ctx *ctx, struct file *file, int objref,
		  char *buf, int len);
void ckpt_relink_undo(struct ckpt_ctx *ctx);
int ckpt_remove(const struct path *p, bool dir);
struct file *restore_relinked(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h,
			      const char *name, const char *path);
void restore_relink_finish(struct ckpt_ctx *ctx);
void ckpt_relink_release(struct ckpt_ctx *ctx);

void ckpt_ctx_put(struct ckpt_ctx *ctx);

/* the task tree and coordinated restart (checkpoint/tree.c) */
struct task_struct **ckpt_tasks_collect(struct task_struct *root,
					bool subtree, unsigned int *nr);
void ckpt_tasks_put(struct task_struct **tasks, unsigned int nr);
struct task_struct **ckpt_tree_tasks(struct ckpt_ctx *ctx, unsigned int *nr);
bool ckpt_task_zombie(struct task_struct *t);
int ckpt_process_shares(struct task_struct *p, char *why, size_t len);
int checkpoint_tree(struct ckpt_ctx *ctx, struct task_struct *root);
int ckpt_read_tree(struct ckpt_ctx *ctx);
int ckpt_restart_coordinate(struct ckpt_ctx *ctx, struct task_struct *root);
long ckpt_restart_join(pid_t image_pid);
void ckpt_tree_free(struct ckpt_tree *tree);
u32 ckpt_tree_nr(struct ckpt_tree *tree);
int ckpt_task_gone(struct ckpt_ctx *ctx);
struct task_struct *ckpt_tree_task(struct ckpt_ctx *ctx, pid_t pid);

/* namespaces (checkpoint/namespace.c, ipc.c) */
int ckpt_ns_check(struct ckpt_ctx *ctx, struct task_struct **tasks,
		  unsigned int nr);
int checkpoint_namespaces(struct ckpt_ctx *ctx);
int ckpt_ns_check_restart(struct ckpt_ctx *ctx, struct task_struct **tasks,
			  const struct ckpt_pids *pids, unsigned int nr);
int restore_namespaces(struct ckpt_ctx *ctx);
void ckpt_ns_release(struct ckpt_ctx *ctx);
#ifdef CONFIG_SYSVIPC
int checkpoint_ipc_ns(struct ckpt_ctx *ctx);
int restore_ipc_ns(struct ckpt_ctx *ctx);
void restore_ipc_finish(struct ckpt_ctx *ctx);
#else
static inline int checkpoint_ipc_ns(struct ckpt_ctx *ctx)
{
	return ctx->ipc_ns ?
		ckpt_err(ctx, -EOPNOTSUPP, "no SysV IPC in this kernel") : 0;
}

static inline int restore_ipc_ns(struct ckpt_ctx *ctx)
{
	return ctx->ns_flags & CKPT_TREE_NEWIPC ?
		ckpt_err(ctx, -EOPNOTSUPP, "no SysV IPC in this kernel") : 0;
}

static inline void restore_ipc_finish(struct ckpt_ctx *ctx)
{
}
#endif

/* task (checkpoint/task.c, checkpoint/sys.c) */
int ckpt_task_checkpointable(struct task_struct *t, char *why, size_t len);
void restore_task_state_free(struct ckpt_task_state *ts);
int ckpt_task_state_check(struct task_struct *t, char *why, size_t len);
int ckpt_fs_checkpointable(struct task_struct *t, char *why, size_t len);
int checkpoint_task(struct ckpt_ctx *ctx, struct task_struct *t);
const struct cred *ckpt_as_task(struct ckpt_ctx *ctx);
void ckpt_as_restarter(const struct cred *old);
int ckpt_ids_check(struct ckpt_ctx *ctx, u32 uid, u32 gid, kuid_t *kuid,
		   kgid_t *kgid, const char *what);
int restore_task_stage(struct ckpt_ctx *ctx);
int restore_task_apply(struct ckpt_ctx *ctx, long *ret);
void restore_task_free(struct ckpt_task_state *ts);

/* affinity and no_new_privs (checkpoint/sched.c) */
int checkpoint_sched(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_sched_read(struct ckpt_ctx *ctx);
int restore_sched_commit(struct ckpt_ctx *ctx);
void restore_sched_free(struct ckpt_task_state *ts);

/* signals (checkpoint/signal.c) */
int checkpoint_signals(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_signals_read(struct ckpt_ctx *ctx);
int restore_signals_commit(struct ckpt_ctx *ctx);
void restore_signals_free(struct ckpt_task_state *ts);

/* memory (checkpoint/memory.c) */
int checkpoint_mm(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_mm(struct ckpt_ctx *ctx);
int ckpt_mm_checkpointable(struct task_struct *t, char *why, size_t len);
int ckpt_dump_mapping(struct ckpt_ctx *ctx, struct address_space *mapping,
		      loff_t size);
int restore_file_contents(struct ckpt_ctx *ctx, struct file *file,
			  loff_t size);
int restore_mm_commit(struct ckpt_ctx *ctx);
void restore_mm_free(struct ckpt_task_state *ts);

/* files (fs/checkpoint/file.c) */
int checkpoint_file_table(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_file_table_read(struct ckpt_ctx *ctx);

/* fs/checkpoint/pty.c: a process's controlling terminal */
int checkpoint_ctty(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_ctty(struct ckpt_ctx *ctx);
int restore_file_table_commit(struct ckpt_ctx *ctx);
void restore_file_table_free(struct ckpt_task_state *ts);
int ckpt_file_supported(struct file *file, char *why, size_t len);
int ckpt_files_checkpointable(struct task_struct *t, int fd, char *why,
			      size_t len);
bool ckpt_first_fd(struct ckpt_fds *f, unsigned int i);
struct ckpt_fd *restore_fd_find(struct ckpt_files_state *fs, u32 fd);
int ckpt_tree_files_check(struct ckpt_ctx *ctx, struct task_struct **tasks,
			  unsigned int nr);
struct file *ckpt_tree_find_file(struct ckpt_ctx *ctx,
				 bool (*match)(struct file *file, void *arg),
				 void *arg);
char *ckpt_file_path(struct file *file, char *buf, int len);
void ckpt_files_put(struct file **files, unsigned int n);

/* AF_UNIX socket pairs (fs/checkpoint/socket.c) */
/* Room for the messages queued for sockets, in a record of CKPT_RECORD_MAX. */
struct ckpt_unix_queue {
	u32 *lens;
	char *data;
	u32 nr_msgs, max_msgs;
	size_t nr_bytes, max_bytes;
	/* files in flight: each one's entry, and the file referenced */
	struct ckpt_unix_fd *fds;
	struct file **files;
	u32 nr_fds, max_fds;
};

int ckpt_unix_queue_init(struct ckpt_unix_queue *q, void *rec, u32 *lens,
			 u32 max_fds);
void ckpt_unix_queue_free(struct ckpt_unix_queue *q);
size_t ckpt_unix_queue_pack(struct ckpt_unix_queue *q, void *rec);
int ckpt_unix_read_queue(struct ckpt_ctx *ctx, struct sock *sk,
			 struct ckpt_unix_queue *q, u32 *nr_msgs,
			 u64 *nr_bytes, u32 *nr_fds, bool unnamed);
u64 ckpt_sock_timeo_ns(long t);
int restore_sock_timeo(struct socket *sock, int opt, u64 ns);
struct file *ckpt_unix_peer_file(struct file *file);
bool ckpt_unix_paired(struct file *file);
struct sock **ckpt_unix_conns(struct sock *l, unsigned int *n);
void ckpt_unix_conns_put(struct sock **conns, unsigned int n);
const char *ckpt_unix_conn_unsupported(struct sock *conn);

/* other AF_UNIX, TCP and UDP sockets (fs/checkpoint/sock.c) */
#define CKPT_HAVE_SOCK	(IS_BUILTIN(CONFIG_UNIX) && IS_ENABLED(CONFIG_INET))

/* established and closing TCP connections (fs/checkpoint/tcp.c) */
#if CKPT_HAVE_SOCK
int checkpoint_tcp(struct ckpt_ctx *ctx, struct file *file, int objref);
bool ckpt_tcp_fins(struct sock *sk, bool *out, bool *in);
void ckpt_tcp_undo(struct ckpt_ctx *ctx);
void ckpt_tcp_release(struct ckpt_ctx *ctx);
int restore_tcp_repair(struct socket *sock);
int restore_tcp_connect(struct ckpt_ctx *ctx, struct file *file,
			const struct ckpt_hdr_socket *h);
int restore_tcp_finish(struct ckpt_ctx *ctx);
void restore_tcp_resume(struct ckpt_ctx *ctx);
#else
/* no connection is listed without fs/checkpoint/tcp.c */
static inline void ckpt_tcp_undo(struct ckpt_ctx *ctx) { }
static inline void ckpt_tcp_release(struct ckpt_ctx *ctx) { }
static inline int restore_tcp_finish(struct ckpt_ctx *ctx) { return 0; }
static inline void restore_tcp_resume(struct ckpt_ctx *ctx) { }
#endif

/* file locks (fs/checkpoint/lock.c) */
bool ckpt_file_has_locks(struct file *file);
bool ckpt_file_leased(struct file *file);
int ckpt_task_file_locks(struct task_struct *t, struct file *file, int fd,
			 char *why, size_t len);
int ckpt_fd_locks(struct ckpt_fds *f, unsigned int i, struct ckpt_locks *out,
		  char *why, size_t len);
int ckpt_table_locks(struct ckpt_fds *f, struct ckpt_locks *locks, char *why,
		     size_t len);
int checkpoint_file_locks(struct ckpt_ctx *ctx, struct ckpt_locks *locks);
int restore_table_locks_read(struct ckpt_ctx *ctx, struct ckpt_files_state *fs,
			     u32 nr);
int restore_table_locks_commit(struct ckpt_ctx *ctx,
			       struct ckpt_files_state *fs);

/* architecture (arch/x86/checkpoint/cpu.c) */
int checkpoint_cpu(struct ckpt_ctx *ctx, struct task_struct *t);
int restore_cpu_read(struct ckpt_ctx *ctx);
int restore_cpu_commit(struct ckpt_ctx *ctx);
void restore_cpu_free(struct ckpt_task_state *ts);
int ckpt_arch_header(struct ckpt_hdr_header *h);
int ckpt_arch_check_header(struct ckpt_ctx *ctx, struct ckpt_hdr_header *h);
int ckpt_arch_mm_check(struct mm_struct *mm, char *why, size_t len);
int ckpt_arch_task_supported(struct task_struct *t);

#endif /* _CHECKPOINT_INTERNAL_H */
