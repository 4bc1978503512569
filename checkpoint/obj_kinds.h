/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kind of object the hash holds, one CKPT_OBJ_KIND(type, ops) line
 * each: its enum ckpt_obj_type value and the const struct ckpt_obj_ops
 * that the kind's own file defines.  objhash.c includes this with the
 * macro defined as it needs, as include/linux/bpf_types.h is used.  A
 * kind this configuration does not build (an fd type configured out) is
 * not listed: restart refuses its records as it does unknown ones.
 */
CKPT_OBJ_KIND(CKPT_OBJ_FILE, ckpt_obj_file_ops)
CKPT_OBJ_KIND(CKPT_OBJ_FILE_TABLE, ckpt_obj_file_table_ops)
CKPT_OBJ_KIND(CKPT_OBJ_MM, ckpt_obj_mm_ops)
CKPT_OBJ_KIND(CKPT_OBJ_PIPE, ckpt_obj_pipe_ops)
CKPT_OBJ_KIND(CKPT_OBJ_MEMFD, ckpt_obj_memfd_ops)
#ifdef CONFIG_EVENTFD
CKPT_OBJ_KIND(CKPT_OBJ_EVENTFD, ckpt_obj_eventfd_ops)
#endif
#ifdef CONFIG_SIGNALFD
CKPT_OBJ_KIND(CKPT_OBJ_SIGNALFD, ckpt_obj_signalfd_ops)
#endif
#ifdef CONFIG_TIMERFD
CKPT_OBJ_KIND(CKPT_OBJ_TIMERFD, ckpt_obj_timerfd_ops)
#endif
#ifdef CONFIG_INOTIFY_USER
CKPT_OBJ_KIND(CKPT_OBJ_INOTIFY, ckpt_obj_inotify_ops)
#endif
CKPT_OBJ_KIND(CKPT_OBJ_SHMEM, ckpt_obj_shmem_ops)
#if IS_BUILTIN(CONFIG_UNIX)
CKPT_OBJ_KIND(CKPT_OBJ_UNIX_PAIR, ckpt_obj_unix_pair_ops)
#endif
#if CKPT_HAVE_SOCK
CKPT_OBJ_KIND(CKPT_OBJ_SOCKET, ckpt_obj_socket_ops)
#endif
#ifdef CONFIG_UNIX98_PTYS
CKPT_OBJ_KIND(CKPT_OBJ_PTY, ckpt_obj_pty_ops)
#endif
