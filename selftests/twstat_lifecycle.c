// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifecycle: insmod/rmmod cycles; rmmod, and the death of a netns,
 * while a reader holds a file open; module parameters refused at insmod
 * and through sysfs with a clear dmesg line and the old value kept.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib.h"
#include "kselftest_harness.h"

static bool proc_dir_exists(void)
{
	struct stat st;

	return stat("/proc/net/twstat/summary", &st) == 0;
}

static void unload_if_loaded(void)
{
	module_unload();
}

TEST(load_unload_cycles)
{
	struct table s;

	unload_if_loaded();
	for (int i = 0; i < 5; i++) {
		ASSERT_FALSE(proc_dir_exists());
		ASSERT_EQ(0, module_load(NULL));
		ASSERT_TRUE(proc_dir_exists());
		ASSERT_EQ(0, read_summary(&s));
		EXPECT_EQ(1, summary_get(&s, "version"));
		table_free(&s);
		ASSERT_EQ(-EEXIST, module_load(NULL));
		ASSERT_EQ(0, module_unload());
	}
	ASSERT_EQ(-ENOENT, module_unload());
	ASSERT_EQ(0, module_load(NULL));
}

/*
 * proc_remove() at rmmod releases every open file before the module text
 * goes away; the reader's next read fails or ends, and nothing oopses.
 */
TEST(rmmod_while_file_open)
{
	struct load_spec sp = { .family = AF_INET,
				.port = 6201,
				.server_tw = 50 };
	struct load l = { 0 };
	char buf[64];
	ssize_t n;
	int fd;

	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, netns_new());
	ASSERT_EQ(0, load_make(&l, &sp));
	fd = open("/proc/net/twstat/ports", O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ((ssize_t)sizeof(buf), read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, module_unload());
	ASSERT_FALSE(proc_dir_exists());
	n = read(fd, buf, sizeof(buf));
	EXPECT_TRUE(n == 0 || (n < 0 && errno == EIO))
	TH_LOG("read after rmmod: %zd (%s)", n, strerror(errno));
	EXPECT_EQ(0, close(fd));
	ASSERT_EQ(0, module_load(NULL));
	ASSERT_TRUE(proc_dir_exists());
	load_close(&l);
}

/* The netns dies (its last process exits) while we hold its file. */
TEST(netns_exit_while_file_open)
{
	char path[64], buf[256];
	int ready[2], fd, status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (netns_new())
			_exit(1);
		c = 'r';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	snprintf(path, sizeof(path), "/proc/%d/net/twstat/summary", pid);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_GT(read(fd, buf, 16), 0);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	msleep(1000); /* cleanup_net runs from a workqueue */
	(void)!read(fd, buf, sizeof(buf));
	EXPECT_EQ(0, close(fd));
}

static const char *const bad_insmod[] = {
	"max_remotes=0",     "max_remotes=1048577",
	"max_remotes=abc",   "max_remotes=-1",
	"max_remotes=12abc", "max_remotes=0x10",
	"max_remotes= 5",    "cache_ms=60001",
	"cache_ms=",	     "cache_ms",
	"remotes_scope=foo", "remotes_scope=",
	"remotes_scope=All", "track=2",
	"track=yes",	     "track=",
	"track_max=511",     "track_max=16777217",
	"track_max=1",	     "track_max=x",
};

TEST(insmod_rejects_bad_params)
{
	for (size_t i = 0; i < sizeof(bad_insmod) / sizeof(bad_insmod[0]);
	     i++) {
		unload_if_loaded();
		EXPECT_EQ(-EINVAL, module_load(bad_insmod[i]))
		TH_LOG("insmod twstat.ko %s", bad_insmod[i]);
		EXPECT_FALSE(proc_dir_exists());
	}
	/* the dmesg line names the parameter and the accepted range */
	EXPECT_EQ(1, klog_contains("twstat: invalid max_remotes='abc': "
				   "expected an integer in 1..1048576"));
	EXPECT_EQ(1, klog_contains("twstat: invalid remotes_scope='foo': "
				   "expected 'ephemeral' or 'all'"));
	EXPECT_EQ(1,
		  klog_contains("twstat: invalid track_max='511': "
				"expected 0, or an integer in 512..16777216"));
	EXPECT_EQ(1, klog_contains("twstat: invalid track='yes': "
				   "expected 0 or 1"));
	ASSERT_EQ(0, module_load("max_remotes=1 cache_ms=0 remotes_scope=all"));
	unload_if_loaded();
	ASSERT_EQ(0, module_load(NULL));
}

struct param_case {
	const char *name, *bad, *good, *deflt;
};

static const struct param_case params[] = {
	{ "max_remotes", "0", "17", "4096" },
	{ "max_remotes", "1048577", "1048576", "4096" },
	{ "max_remotes", "4096x", "1", "4096" },
	{ "cache_ms", "60001", "60000", "1000" },
	{ "cache_ms", "-5", "0", "1000" },
	{ "cache_ms", "\n", "250", "1000" },
	{ "remotes_scope", "everything", "all", "ephemeral" },
	{ "remotes_scope", "al", "ephemeral", "ephemeral" },
	{ "track", "2", "0", "1" },
	{ "track", "on", "1", "1" },
};

TEST(sysfs_rejects_bad_params)
{
	char before[64], after[64];

	unload_if_loaded();
	ASSERT_EQ(0, module_load(NULL));
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		const struct param_case *p = &params[i];

		ASSERT_EQ(0, param_get(p->name, before, sizeof(before)));
		EXPECT_EQ(-EINVAL, param_set(p->name, p->bad))
		TH_LOG("%s=%s", p->name, p->bad);
		ASSERT_EQ(0, param_get(p->name, after, sizeof(after)));
		EXPECT_STREQ(before, after);
		EXPECT_EQ(0, param_set(p->name, p->good));
		ASSERT_EQ(0, param_get(p->name, after, sizeof(after)));
		EXPECT_STREQ(p->good, after);
		EXPECT_EQ(0, param_set(p->name, p->deflt));
	}
}

/*
 * Every file is read-only: open() for writing fails with EACCES, root's
 * too (no DAC override), and nothing changes; a write() to a read-only
 * descriptor fails with EBADF (docs/interface.md, Conventions).
 */
TEST(files_refuse_writing)
{
	static const char *const files[] = { "summary", "ports", "timers",
					     "remotes", "netns", "owners",
					     "failures" };
	char path[64];
	int fd;

	ASSERT_EQ(0, module_ensure_loaded());
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/proc/net/twstat/%s", files[i]);
		errno = 0;
		EXPECT_EQ(-1, open(path, O_WRONLY)) TH_LOG("%s", path);
		EXPECT_EQ(EACCES, errno) TH_LOG("%s", path);
		errno = 0;
		EXPECT_EQ(-1, open(path, O_RDWR)) TH_LOG("%s", path);
		EXPECT_EQ(EACCES, errno) TH_LOG("%s", path);
		fd = open(path, O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("%s", path);
		errno = 0;
		EXPECT_EQ(-1, write(fd, "x\n", 2)) TH_LOG("%s", path);
		EXPECT_EQ(EBADF, errno) TH_LOG("%s", path);
		close(fd);
	}
}

/* track_max is taken at load only: read-only in sysfs, and it sizes the table */
TEST(track_max_at_load_only)
{
	unload_if_loaded();
	ASSERT_EQ(0, module_load("track_max=5000"));
	EXPECT_EQ(-EACCES, param_set("track_max", "8192"));
	/* rounded up to a power of two */
	EXPECT_EQ(8192, summary_now("track_records"));
	unload_if_loaded();
	ASSERT_EQ(0, module_load(NULL));
}

TEST_HARNESS_MAIN
