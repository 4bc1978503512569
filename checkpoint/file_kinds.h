/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kind of open file, one CKPT_FILE_KIND(ops) line each: the const
 * struct ckpt_file_ops that the kind's own file defines.  Checkpoint
 * asks each kind's ->is() in this order (a pty before any terminal, a
 * memfd before the shmem file it also is, a connected AF_UNIX socket before any socket, a pipe
 * before a FIFO); a file none claims is judged by its path, as one of
 * the kinds at the end.  fs/checkpoint/file.c includes this with the
 * macro defined as it needs, as include/linux/bpf_types.h is used.
 */
#ifdef CONFIG_UNIX98_PTYS
CKPT_FILE_KIND(ckpt_file_pty_ops)
#endif
CKPT_FILE_KIND(ckpt_file_tty_ops)
CKPT_FILE_KIND(ckpt_file_chr_ops)
CKPT_FILE_KIND(ckpt_file_memfd_ops)
#ifdef CONFIG_EVENTFD
CKPT_FILE_KIND(ckpt_file_eventfd_ops)
#endif
#ifdef CONFIG_SIGNALFD
CKPT_FILE_KIND(ckpt_file_signalfd_ops)
#endif
#ifdef CONFIG_TIMERFD
CKPT_FILE_KIND(ckpt_file_timerfd_ops)
#endif
#ifdef CONFIG_INOTIFY_USER
CKPT_FILE_KIND(ckpt_file_inotify_ops)
#endif
#ifdef CONFIG_EPOLL
CKPT_FILE_KIND(ckpt_file_epoll_ops)
#endif
CKPT_FILE_KIND(ckpt_file_pidfd_ops)
#if IS_BUILTIN(CONFIG_UNIX)
CKPT_FILE_KIND(ckpt_file_unix_ops)
#endif
#if CKPT_HAVE_SOCK
CKPT_FILE_KIND(ckpt_file_socket_ops)
#endif
CKPT_FILE_KIND(ckpt_file_pipe_ops)
CKPT_FILE_KIND(ckpt_file_fifo_ops)
CKPT_FILE_KIND(ckpt_file_reg_ops)
CKPT_FILE_KIND(ckpt_file_dir_ops)
CKPT_FILE_KIND(ckpt_file_opath_ops)
