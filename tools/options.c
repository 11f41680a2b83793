// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing (see options.h).
 *
 * Owns: the flags, their bounds and which combinations are usage errors.
 * Must not: read files or render; only usage goes to stdout/stderr here.
 */
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "options.h"
#include "parse.h"

#define TW_TOP_MAX 1000000
#define TW_WATCH_MIN_MS 100
#define TW_WATCH_MAX_MS 86400000
#define TW_COUNT_MAX_ARG 1000000

/* A view but the overview shows one file's section, and has its name. */
static const enum tw_file tw_view_files[] = {
	[TW_VIEW_SUMMARY] = TW_F_SUMMARY,   [TW_VIEW_PORTS] = TW_F_PORTS,
	[TW_VIEW_TIMERS] = TW_F_TIMERS,	    [TW_VIEW_REMOTES] = TW_F_REMOTES,
	[TW_VIEW_NETNS] = TW_F_NETNS,	    [TW_VIEW_OWNERS] = TW_F_OWNERS,
	[TW_VIEW_FAILURES] = TW_F_FAILURES,
};

const char *tw_view_name(enum tw_view view)
{
	if (view == TW_VIEW_OVERVIEW)
		return "overview";
	return tw_file_names[tw_view_files[view]];
}

void tw_usage(FILE *f)
{
	fputs("Usage: twstat [OPTIONS] "
	      "[summary|ports|timers|remotes|netns|owners|failures]\n"
	      "\n"
	      "TCP sockets per port by state, TIME_WAIT timer remainders and the\n"
	      "destinations that use ephemeral ports, from the twstat module\n"
	      "(/proc/net/twstat) or from sock_diag. Without a view: an overview.\n"
	      "\n"
	      "Views:\n"
	      "  summary               counts by state, TIME_WAIT, port range\n"
	      "  ports                 top ports by TIME_WAIT (or --state) sockets\n"
	      "  timers                TIME_WAIT timer remainders as bars\n"
	      "  remotes               top destinations by local ports used, with\n"
	      "                        a forecast of when their ports run out\n"
	      "  netns                 every network namespace, labelled with its\n"
	      "                        process, container, pod and hostname (root)\n"
	      "  owners                sockets by cgroup (service, container, pod)\n"
	      "  failures              destinations where connect() found no free\n"
	      "                        local port (module)\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json            print one JSON document\n"
	      "  -p, --prometheus      print node_exporter textfile-collector metrics\n"
	      "  -w, --watch SECS      refresh every SECS (0.1-86400) seconds, with\n"
	      "                        per-port deltas and TIME_WAIT rates\n"
	      "  -c, --count N         with --watch: stop after N refreshes\n"
	      "  -n, --netns NS        enter a network namespace first: NS is a\n"
	      "                        /run/netns name, a file (/proc/PID/ns/net),\n"
	      "                        pid:PID, or an inode as the netns view shows\n"
	      "  -s, --source SRC      module, diag or auto (default: module if\n"
	      "                        /proc/net/twstat exists, else diag)\n"
	      "  -r, --proc-root DIR   read DIR/net/..., DIR/sys/... instead of /proc\n"
	      "  -a, --all             list ephemeral ports one by one (default:\n"
	      "                        one folded row)\n"
	      "  -t, --top N           rows of the ports, remotes, netns, owners and\n"
	      "                        failures lists; 0: all (default 10 ports,\n"
	      "                        5 remotes, 20 netns, 10 owners (3 in the\n"
	      "                        overview), 10 failures)\n"
	      "  -S, --state STATE     ports: only ports with STATE sockets, sorted\n"
	      "                        by their number (default: sort by time-wait)\n"
	      "  -P, --port P[-Q]      ports: only port P, or ports P to Q\n"
	      "  -W, --warn PCT        remotes: mark destinations using PCT % or more\n"
	      "                        of the usable port range (default 50)\n"
	      "  -h, --help            show this help\n"
	      "  -V, --version         show the version\n"
	      "\n"
	      "STATE: estab syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait close\n"
	      "       close-wait last-ack closing\n",
	      f);
}

static enum tw_opts_rc tw_bad(const char *opt, const char *arg,
			      const char *what)
{
	fprintf(stderr, "twstat: %s: '%.64s' %s\n", opt, arg, what);
	tw_usage(stderr);
	return TW_OPTS_USAGE;
}

static enum tw_opts_rc tw_misuse(const char *what)
{
	fprintf(stderr, "twstat: %s\n", what);
	tw_usage(stderr);
	return TW_OPTS_USAGE;
}

static enum tw_opts_rc tw_opt_source(const char *arg, struct tw_opts *o)
{
	if (!strcmp(arg, "module"))
		o->source = TW_SRC_MODULE;
	else if (!strcmp(arg, "diag"))
		o->source = TW_SRC_DIAG;
	else if (!strcmp(arg, "auto"))
		o->source = TW_SRC_AUTO;
	else
		return tw_bad("--source", arg, "is not module, diag or auto");
	return TW_OPTS_RUN;
}

static enum tw_opts_rc tw_opt_top(const char *arg, struct tw_opts *o)
{
	uint32_t n;

	if (tw_parse_u32(arg, TW_TOP_MAX, &n))
		return tw_bad("--top", arg, "is not a number in 0..1000000");
	o->top_ports = n;
	o->top_remotes = n;
	o->top_netns = n;
	o->top_owners = n;
	o->top_failures = n;
	o->top_set = true;
	return TW_OPTS_RUN;
}

static enum tw_opts_rc tw_opt_watch(const char *arg, struct tw_opts *o)
{
	uint64_t ms;

	if (tw_parse_fixed(arg, 3, TW_WATCH_MAX_MS, &ms) ||
	    ms < TW_WATCH_MIN_MS)
		return tw_bad("--watch", arg,
			      "is not a number of seconds in 0.1..86400");
	o->watch_ms = (uint32_t)ms;
	return TW_OPTS_RUN;
}

static enum tw_opts_rc tw_opt_path(const char *opt, const char *arg,
				   const char **dst)
{
	if (!*arg || strlen(arg) >= PATH_MAX - 64)
		return tw_bad(opt, arg, "is empty or too long");
	*dst = arg;
	return TW_OPTS_RUN;
}

static enum tw_opts_rc tw_opt_misc(int c, const char *arg, struct tw_opts *o)
{
	uint64_t v;
	uint32_t n;

	switch (c) {
	case 'S':
		o->state = tw_state_lookup(arg);
		o->state_set = true;
		return o->state < 0 ?
			       tw_bad("--state", arg,
				      "is not a state name (see STATE)") :
			       TW_OPTS_RUN;
	case 'P':
		o->port_set = true;
		return tw_parse_port_range(arg, &o->port_lo, &o->port_hi) ?
			       tw_bad("--port", arg,
				      "is not a port or range in 1..65535") :
			       TW_OPTS_RUN;
	case 'W':
		if (tw_parse_fixed(arg, 1, 1000, &v))
			return tw_bad("--warn", arg,
				      "is not a percentage in 0..100");
		o->warn_tenths = (uint32_t)v;
		o->warn_set = true;
		return TW_OPTS_RUN;
	default: /* 'c' */
		if (tw_parse_u32(arg, TW_COUNT_MAX_ARG, &n) || !n)
			return tw_bad("--count", arg,
				      "is not a number in 1..1000000");
		o->count = n;
		return TW_OPTS_RUN;
	}
}

static enum tw_opts_rc tw_opt(int c, const char *arg, struct tw_opts *o)
{
	switch (c) {
	case 'j':
	case 'p':
		if (o->format != TW_FMT_TEXT)
			return tw_misuse(
				"--json and --prometheus exclude each other");
		o->format = c == 'j' ? TW_FMT_JSON : TW_FMT_PROM;
		return TW_OPTS_RUN;
	case 'w':
		return tw_opt_watch(arg, o);
	case 'n':
		return tw_opt_path("--netns", arg, &o->netns);
	case 's':
		return tw_opt_source(arg, o);
	case 'r':
		return tw_opt_path("--proc-root", arg, &o->root);
	case 'a':
		o->all = true;
		return TW_OPTS_RUN;
	case 't':
		return tw_opt_top(arg, o);
	case 'h':
		tw_usage(stdout);
		return TW_OPTS_EXIT;
	case 'V':
		printf("twstat %s (interface version %d)\n", TWSTAT_VERSION,
		       TW_IFACE_VERSION);
		return TW_OPTS_EXIT;
	case 'S':
	case 'P':
	case 'W':
	case 'c':
		return tw_opt_misc(c, arg, o);
	default:
		return tw_misuse("invalid option");
	}
}

static enum tw_opts_rc tw_opt_view(const char *arg, struct tw_opts *o,
				   bool *seen)
{
	int v;

	if (*seen)
		return tw_bad("view", arg, "is one view too many");
	for (v = TW_VIEW_SUMMARY; v < TW_NVIEWS; v++)
		if (!strcmp(arg, tw_view_name((enum tw_view)v))) {
			o->view = (enum tw_view)v;
			*seen = true;
			return TW_OPTS_RUN;
		}
	return tw_bad("view", arg,
		      "is not summary, ports, timers, remotes, netns, owners "
		      "or failures");
}

/* Options that only make sense with some views or other options. */
static enum tw_opts_rc tw_opts_check(const struct tw_opts *o)
{
	bool ports = o->view == TW_VIEW_OVERVIEW || o->view == TW_VIEW_PORTS;
	bool remotes = o->view == TW_VIEW_OVERVIEW ||
		       o->view == TW_VIEW_REMOTES;

	if ((o->state_set || o->port_set || o->all) && !ports)
		return tw_misuse(
			"--state, --port and --all apply to the ports list (overview or 'ports')");
	if (o->warn_set && !remotes)
		return tw_misuse(
			"--warn applies to the remotes list (overview or 'remotes')");
	if (o->top_set &&
	    (o->view == TW_VIEW_SUMMARY || o->view == TW_VIEW_TIMERS))
		return tw_misuse("--top applies to the ports, remotes, netns, "
				 "owners and failures lists");
	if (o->watch_ms && o->format != TW_FMT_TEXT)
		return tw_misuse(
			"--watch prints text; it excludes --json and --prometheus");
	if (o->count && !o->watch_ms)
		return tw_misuse("--count needs --watch");
	return TW_OPTS_RUN;
}

static const struct option tw_long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "prometheus", no_argument, NULL, 'p' },
	{ "watch", required_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'c' },
	{ "netns", required_argument, NULL, 'n' },
	{ "source", required_argument, NULL, 's' },
	{ "proc-root", required_argument, NULL, 'r' },
	{ "all", no_argument, NULL, 'a' },
	{ "top", required_argument, NULL, 't' },
	{ "state", required_argument, NULL, 'S' },
	{ "port", required_argument, NULL, 'P' },
	{ "warn", required_argument, NULL, 'W' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void tw_opts_defaults(struct tw_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->root = "/proc";
	o->source = TW_SRC_AUTO;
	o->top_ports = TW_TOP_PORTS;
	o->top_remotes = TW_TOP_REMOTES;
	o->top_netns = TW_TOP_NETNS;
	o->top_owners = TW_TOP_OWNERS;
	o->top_failures = TW_TOP_FAILURES;
	o->state = TW_TIME_WAIT;
	o->warn_tenths = TW_WARN_TENTHS;
}

enum tw_opts_rc tw_opts_parse(int argc, char **argv, struct tw_opts *o)
{
	enum tw_opts_rc rc = TW_OPTS_RUN;
	bool seen = false;
	int c;

	tw_opts_defaults(o);
	optind = 1;
	/* "+": stop at the view name, then resume after it */
	while (rc == TW_OPTS_RUN && optind < argc) {
		c = getopt_long(argc, argv, "+jpw:c:n:s:r:at:S:P:W:hV",
				tw_long_opts, NULL);
		if (c == -1)
			rc = optind < argc ?
				     tw_opt_view(argv[optind++], o, &seen) :
				     rc;
		else
			rc = c == '?' ? tw_misuse("invalid option") :
					tw_opt(c, optarg, o);
	}
	if (rc == TW_OPTS_RUN && o->view == TW_VIEW_OVERVIEW && !o->top_set)
		o->top_owners = TW_TOP_OWNERS_OVERVIEW;
	return rc == TW_OPTS_RUN ? tw_opts_check(o) : rc;
}
