/* domuloader: command line, output directory and result.
 * Accepts pygrub's command line (tools/pygrub/src/pygrub in Xen: -q -i -l
 * -n, --output, --output-format, --output-directory, --entry, --kernel,
 * --ramdisk, --args, --runas, --offset, --isconfig) and SUSE domUloader's
 * (domUloader.py in SUSE's xen package: --entry=DEV:KERNEL[,RAMDISK],
 * --dryrun, --tmpdir, the operands "physdisk [virtdisk]").  Only this file
 * prints. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common.h"
#include "domcfg/domcfg.h"
#include "flow.h"
#include "guestcmd.h"
#include "mount/mount.h"
#include "output/output.h"
#include "part/part.h"
#include "sandbox/sandbox.h"
#include "suggest.h"

#define DEFAULT_OUTDIR "/var/run/xen/pygrub"
#define MIB (1024ull * 1024)

struct opts {
	uint64_t max_as;          /* parser memory (PYGRUB_MAX_RAM_USAGE_MB), 0 = default */
	struct dl_request req;
	enum dl_format format;
	const char *output;       /* --output, NULL or "-" = stdout */
	const char *outdir;
	bool outdir_given;
	const char **disks;
	size_t ndisks;
	const char *vdev;         /* domUloader's optional virtdisk operand */
	bool quiet, interactive;
	int verbosity;
	bool no_sandbox;
	uid_t runas;              /* --runas, (uid_t)-1 when unset */
	unsigned timeout_s;       /* --timeout, parser wall clock */
	bool timeout_set;         /* --timeout given: also the CPU limit */
	enum dl_disk_format disk_format;
	bool allow_backing;       /* --allow-backing-file (qcow2) */
	const char *backing_dir;  /* --allow-backing-file=DIR */
	/* --config / --disks / --rewrite-config (src/domcfg) */
	const char *config;
	char *cfgbuf;
	size_t cfglen;
	struct dl_domcfg cfg;
	const char *rewrite;
	struct dl_domdisk *xdisks;
	size_t nxdisks;
	char **argv2;             /* argv with the config's bootloader_args in front */
	bool from_disk;           /* --from-disk: boot the disk of a direct-kernel domain */
	bool allow_volatile;      /* --allow-volatile-output: rewrite to a tmpfs */
	char *outdir_abs;         /* --rewrite-config: the output directory, absolute */
	bool cleanup_stale;       /* --cleanup-stale: only that */
	bool sync;                /* --sync: payload files on stable storage before the result */
	const char *sub;          /* "ls", "cat", "copy-out" (first argument), or NULL */
	const char *copy_dir;     /* copy-out's DIR */
};

static void usage(FILE *f)
{
	fputs("Usage: domuloader [OPTIONS] IMAGE [IMAGE...]\n"
	      "Extract a Xen guest's kernel, ramdisk and command line from its disk image.\n\n"
	      "  -q, --quiet                 non-interactive: boot the default entry\n"
	      "  -i, --interactive           the boot menu (the default on a terminal)\n"
	      "  -l, --list-entries          list the boot entries\n"
	      "  -n, --not-really, --dryrun  check that the files exist, copy nothing\n"
	      "      --entry=N|TITLE|ID|A>B|[DEV:]KERNEL[,INITRD]\n"
	      "                              choose an entry (default: the configured one)\n"
	      "      --kernel=PATH --ramdisk=PATH --args=ARGS\n"
	      "                              boot PATH from the guest without a configuration;\n"
	      "                              without --kernel, --args is appended\n"
	      "      --output=FILE           write the result to FILE (default stdout)\n"
	      "      --output-format=sxp|simple|simple0|json|xl|libvirt|qemu\n"
	      "      --output-directory=DIR  where the kernel and ramdisk go (" DEFAULT_OUTDIR ")\n"
	      "      --tmpdir=DIR            the same (domUloader's name)\n"
	      "      --offset=BYTES          the filesystem starts at BYTES; no partition table\n"
	      "      --format=raw|qcow2      the disk images' format (never guessed; default raw)\n"
	      "      --allow-backing-file    follow a qcow2 image's backing file (a host path)\n"
	      "      --allow-backing-file=DIR  ... also one anywhere under DIR\n"
	      "      --list-volumes          list disks, partitions and LVM volumes\n"
	      "      --disks=SPECS           domUloader disk list \"phy:/dev/x,xvda,w file:/y,xvdb,w\"\n"
	      "                              (xl disk specs, format=, vdev=, target= last)\n"
	      "      --config=FILE           boot the guest FILE describes (xl.cfg, libvirt XML or\n"
	      "                              xend SEXPR): its disks, boot order, bootloader_args\n"
	      "      --rewrite-config=OUT    write FILE to OUT for direct kernel boot\n"
	      "      --from-disk             boot the disk of a domain FILE gives a dom0 kernel\n"
	      "      --allow-volatile-output  let --rewrite-config name files on a tmpfs\n"
	      "      --root=DEV              the guest's root device (domUloader)\n"
	      "      --guest-type=pv|pvh|best  refuse a kernel that cannot boot so (best: PVH\n"
	      "                              when the kernel can, else PV)\n"
	      "      --force                 boot a kernel the --guest-type check refuses\n"
	      "      --decompress            write the ELF vmlinux inside the kernel instead\n"
	      "      --isconfig              IMAGE is a configuration file in dom0 (debugging)\n"
	      "      --max-kernel-size=MIB --max-ramdisk-size=MIB\n"
	      "      --runas=UID             parse as this user (default: user domuloader, else a\n"
	      "                              free id of 65520-65533, see domuloader(1))\n"
	      "      --timeout=SECONDS       kill the parser after SECONDS (default 60, 0 = never)\n"
	      "      --no-sandbox            parse as root in this process (not recommended)\n"
	      "      --no-grubenv-update     leave GRUB's grubenv as it is (next_entry, saved_entry)\n"
	      "      --sync                  fsync the kernel and ramdisk before printing the result\n"
	      "      --mount                 let dom0's kernel mount the guest's volumes read-only\n"
	      "                              (loop, device-mapper; see RISKS in domuloader(1))\n"
	      "      --cleanup-stale         remove what a killed --mount run left, then exit\n"
	      "  -v, --verbose               say what is probed and skipped\n"
	      "      --debug                 -v and more: each lookup and what it found\n"
	      "  -h, --help                  this help\n"
	      "      --version\n"
	      "See domuloader(1).\n",
	      f);
}

/* ---- options ---- */

static int parse_mib(const char *opt, const char *s, uint64_t *out, struct dl_error *err)
{
	uint64_t v;
	if (dl_parse_u64(s, &v) < 0 || v == 0 || v > 4096)
		return dl_fail(err, DL_EUSAGE, "%s: expected a size in MiB between 1 and 4096, not '%s'",
			       opt, s);
	*out = v * MIB;
	return 0;
}

/* Options without a value. */
static void opt_quiet(struct opts *o) { o->quiet = true; o->interactive = false; }
static void opt_interactive(struct opts *o) { o->interactive = true; }
static void opt_list(struct opts *o)
{
	o->req.list = true;   /* with --isconfig: every entry of the file */
	if (o->req.mode != DL_MODE_ISCONFIG)
		o->req.mode = DL_MODE_LIST;
}
static void opt_not_really(struct opts *o)
{
	if (o->req.mode == DL_MODE_EXTRACT)
		o->req.mode = DL_MODE_NOT_REALLY;
}
static void opt_isconfig(struct opts *o) { o->req.mode = DL_MODE_ISCONFIG; }
static void opt_list_volumes(struct opts *o) { o->req.mode = DL_MODE_LIST_VOLUMES; }
static void opt_verbose(struct opts *o) { o->verbosity++; }
static void opt_debug(struct opts *o) { o->verbosity = 2; }
static void opt_no_sandbox(struct opts *o) { o->no_sandbox = true; }
static void opt_backing(struct opts *o) { o->allow_backing = true; }
static void opt_force(struct opts *o) { o->req.force = true; }
static void opt_decompress(struct opts *o) { o->req.decompress = true; }
static void opt_no_grubenv(struct opts *o) { o->req.no_grubenv_update = true; }
static void opt_sync(struct opts *o) { o->sync = true; }
static void opt_mount(struct opts *o) { o->req.mount = true; }
static void opt_cleanup_stale(struct opts *o) { o->cleanup_stale = true; }
static void opt_from_disk(struct opts *o) { o->from_disk = true; }
static void opt_allow_volatile(struct opts *o) { o->allow_volatile = true; }
static int opt_backing_dir(struct opts *o, const char *arg, struct dl_error *err)
{
	if (!arg[0])
		return dl_fail(err, DL_EUSAGE, "--allow-backing-file=: expected a directory");
	o->allow_backing = true;
	o->backing_dir = arg;
	return 0;
}

static void opt_help(struct opts *o)
{
	(void)o;
	usage(stdout);
	exit(0);
}

static void opt_version(struct opts *o)
{
	(void)o;
	puts("domuloader 0.1");
	exit(0);
}

/* Options with a value: 0, or a negative errno value with err set. */
static int opt_output(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->output = arg;
	return 0;
}

static int opt_format(struct opts *o, const char *arg, struct dl_error *err)
{
	if (dl_format_parse(arg, &o->format) < 0)
		return dl_fail(err, DL_EUSAGE,
			       "unknown output format '%s' (sxp, simple, simple0, json, xl, libvirt, qemu)",
			       arg);
	o->req.json = o->format == DL_OUT_JSON;
	o->req.no_modules = o->format == DL_OUT_JSON || o->format == DL_OUT_QEMU ? NULL : arg;
	return 0;
}

static int opt_outdir(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->outdir = arg;
	o->outdir_given = true;
	return 0;
}

static int opt_offset(struct opts *o, const char *arg, struct dl_error *err)
{
	if (dl_parse_u64(arg, &o->req.offset) < 0 || o->req.offset == UINT64_MAX)
		return dl_fail(err, DL_EUSAGE, "offset value must be an integer, not '%s'", arg);
	return 0;
}

static int opt_runas(struct opts *o, const char *arg, struct dl_error *err)
{
	uint64_t uid;
	if (dl_parse_u64(arg, &uid) < 0 || uid > 0xfffffffeu)
		return dl_fail(err, DL_EUSAGE, "runas value must be an integer user id, not '%s'", arg);
	if (uid == 0)
		return dl_fail(err, DL_EUSAGE, "--runas=0: refusing to parse guest data as root");
	o->runas = (uid_t)uid;
	return 0;
}

static int opt_entry(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->req.entry = arg;
	o->interactive = false;
	return 0;
}

static int opt_kernel(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->req.kernel = arg;
	return 0;
}

static int opt_ramdisk(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->req.ramdisk = arg;
	return 0;
}

static int opt_args(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->req.args = arg;
	return 0;
}

static int opt_root(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->req.root = arg;
	return 0;
}

static int opt_rewrite(struct opts *o, const char *arg, struct dl_error *err)
{
	(void)err;
	o->rewrite = arg;
	return 0;
}

static int opt_disks(struct opts *o, const char *arg, struct dl_error *err)
{
	struct dl_error e = { 0 };
	if (dl_xldisk_parse_list(&o->xdisks, &o->nxdisks, arg, &e) < 0)
		return dl_fail(err, DL_EUSAGE, "--disks: %s", e.msg);
	return 0;
}

/* Loaded before option parsing (load_config); here only checked. */
static int opt_config(struct opts *o, const char *arg, struct dl_error *err)
{
	if (!o->config || strcmp(o->config, arg))
		return dl_fail(err, DL_EUSAGE, "--config: give it once, as --config=FILE or --config FILE");
	return 0;
}

static int opt_max_kernel(struct opts *o, const char *arg, struct dl_error *err)
{
	return parse_mib("--max-kernel-size", arg, &o->req.max_kernel, err);
}

static int opt_max_ramdisk(struct opts *o, const char *arg, struct dl_error *err)
{
	return parse_mib("--max-ramdisk-size", arg, &o->req.max_ramdisk, err);
}

static int opt_timeout(struct opts *o, const char *arg, struct dl_error *err)
{
	uint64_t t;
	if (dl_parse_u64(arg, &t) < 0 || t > 86400)
		return dl_fail(err, DL_EUSAGE, "--timeout: expected seconds between 0 and 86400, not '%s'",
			       arg);
	o->timeout_s = (unsigned)t;
	o->timeout_set = true;
	return 0;
}

static int opt_guest_type(struct opts *o, const char *arg, struct dl_error *err)
{
	if (!strcmp(arg, "pv"))
		o->req.guest_type = DL_GUEST_PV;
	else if (!strcmp(arg, "pvh"))
		o->req.guest_type = DL_GUEST_PVH;
	else if (!strcmp(arg, "best"))
		o->req.guest_type = DL_GUEST_BEST;
	else
		return dl_fail(err, DL_EUSAGE, "unknown guest type '%s' (pv, pvh, best)", arg);
	o->req.guest_type_cfg = false;
	return 0;
}

static int opt_disk_format(struct opts *o, const char *arg, struct dl_error *err)
{
	if (!strcmp(arg, "raw"))
		o->disk_format = DL_FMT_RAW;
	else if (!strcmp(arg, "qcow2"))
		o->disk_format = DL_FMT_QCOW2;
	else
		return dl_fail(err, DL_EUSAGE, "unknown disk format '%s' (raw, qcow2)", arg);
	return 0;
}

/* Every option: its long name, its short one, and what it does (flag for
 * an option without a value, value for one with a value). */
static const struct option_def {
	const char *name;
	char short_name;          /* 0: long only */
	void (*flag)(struct opts *o);
	int (*value)(struct opts *o, const char *arg, struct dl_error *err);
} options[] = {
	{ "quiet", 'q', opt_quiet, NULL },
	{ "interactive", 'i', opt_interactive, NULL },
	{ "list-entries", 'l', opt_list, NULL },
	{ "not-really", 'n', opt_not_really, NULL },
	{ "dryrun", 0, opt_not_really, NULL },
	{ "help", 'h', opt_help, NULL },
	{ "verbose", 'v', opt_verbose, NULL },
	{ "output", 0, NULL, opt_output },
	{ "output-format", 0, NULL, opt_format },
	{ "output-directory", 0, NULL, opt_outdir },
	{ "tmpdir", 0, NULL, opt_outdir },
	{ "offset", 0, NULL, opt_offset },
	{ "runas", 0, NULL, opt_runas },
	{ "entry", 0, NULL, opt_entry },
	{ "kernel", 0, NULL, opt_kernel },
	{ "ramdisk", 0, NULL, opt_ramdisk },
	{ "args", 0, NULL, opt_args },
	{ "isconfig", 0, opt_isconfig, NULL },
	{ "debug", 0, opt_debug, NULL },
	{ "disks", 0, NULL, opt_disks },
	{ "root", 0, NULL, opt_root },
	{ "max-kernel-size", 0, NULL, opt_max_kernel },
	{ "max-ramdisk-size", 0, NULL, opt_max_ramdisk },
	{ "no-sandbox", 0, opt_no_sandbox, NULL },
	{ "timeout", 0, NULL, opt_timeout },
	{ "format", 0, NULL, opt_disk_format },
	{ "no-grubenv-update", 0, opt_no_grubenv, NULL },
	{ "sync", 0, opt_sync, NULL },
	{ "allow-backing-file", 0, opt_backing, opt_backing_dir },
	{ "list-volumes", 0, opt_list_volumes, NULL },
	{ "version", 0, opt_version, NULL },
	{ "config", 0, NULL, opt_config },
	{ "rewrite-config", 0, NULL, opt_rewrite },
	{ "guest-type", 0, NULL, opt_guest_type },
	{ "force", 0, opt_force, NULL },
	{ "decompress", 0, opt_decompress, NULL },
	{ "mount", 0, opt_mount, NULL },
	{ "cleanup-stale", 0, opt_cleanup_stale, NULL },
	{ "from-disk", 0, opt_from_disk, NULL },
	{ "allow-volatile-output", 0, opt_allow_volatile, NULL },
};

/* Defaults, then pygrub's environment knobs with pygrub's meaning: the
 * size of each extracted file (its RLIMIT_FSIZE), and the parser's memory
 * (its RLIMIT_AS). */
static int opts_defaults(struct opts *o, struct dl_error *err)
{
	o->req.offset = UINT64_MAX;
	o->req.no_modules = "sxp";
	o->req.max_kernel = 128 * MIB;
	o->req.max_ramdisk = 512 * MIB;
	o->outdir = DEFAULT_OUTDIR;
	o->interactive = true;
	o->runas = (uid_t)-1;
	o->timeout_s = DL_SANDBOX_TIMEOUT_DEFAULT;
	const char *e = getenv("PYGRUB_MAX_FILE_SIZE_MB");
	if (e && *e) {
		int r = parse_mib("PYGRUB_MAX_FILE_SIZE_MB", e, &o->req.max_kernel, err);
		if (r < 0)
			return r;
		o->req.max_ramdisk = o->req.max_kernel;
	}
	e = getenv("PYGRUB_MAX_RAM_USAGE_MB");
	if (e && *e)
		return parse_mib("PYGRUB_MAX_RAM_USAGE_MB", e, &o->max_as, err);
	return 0;
}

/* The value an option takes as --help spells it: "FILE" of "--output=FILE". */
static char *help_metavar(const char *name)
{
	char *text = NULL;
	size_t n = 0, len = strlen(name);
	FILE *f = open_memstream(&text, &n);
	if (!f)
		return NULL;
	usage(f);
	fclose(f);
	char *mv = NULL;
	for (const char *s = text; s && !mv && (s = strstr(s, "--")); s += 2)
		if (!strncmp(s + 2, name, len) && s[2 + len] == '=')
			mv = dl_strndup(s + 3 + len, strcspn(s + 3 + len, " \n"));
	free(text);
	return mv;
}

/* The option name closest to word[0..len), or NULL. */
static const char *closest_option(const char *word, size_t len)
{
	const char *names[DL_ARRAY_SIZE(options)];
	for (size_t i = 0; i < DL_ARRAY_SIZE(options); i++)
		names[i] = options[i].name;
	return dl_closest(word, len, names, DL_ARRAY_SIZE(options));
}

/* An unknown long option: ambiguous among several it begins, else the
 * closest name, else a pointer to --help. */
static int unknown_long(const char *word, size_t len, struct dl_error *err)
{
	_cleanup_(dl_sbuf_free) struct dl_sbuf amb = { 0 };
	size_t nprefix = 0;
	for (size_t i = 0; i < DL_ARRAY_SIZE(options); i++)
		if (len && !strncmp(options[i].name, word, len))
			dl_sbuf_printf(&amb, "%s--%s", nprefix++ ? ", " : "", options[i].name);
	if (nprefix > 1)
		return dl_fail(err, DL_EUSAGE, "option --%.*s is ambiguous: %s", (int)len, word,
			       dl_sbuf_str(&amb));
	const char *near = closest_option(word, len);
	if (near)
		return dl_fail(err, DL_EUSAGE, "unknown option --%.*s; did you mean --%s?", (int)len, word,
			       near);
	return dl_fail(err, DL_EUSAGE, "unknown option --%.*s (domuloader --help lists every option)",
		       (int)len, word);
}

/* An unknown short option; "-output" (one dash) is taken for --output. */
static int unknown_short(int c, char **argv, int argc, struct dl_error *err)
{
	_cleanup_(dl_sbuf_free) struct dl_sbuf shorts = { 0 };
	for (size_t i = 0; i < DL_ARRAY_SIZE(options); i++)
		if (options[i].short_name)
			dl_sbuf_printf(&shorts, " -%c", options[i].short_name);
	for (int k = optind - 1; k <= optind && k < argc; k++) {
		const char *w = k > 0 ? argv[k] : "";
		if (w[0] != '-' || w[1] == '-' || strlen(w) < 3 || !strchr(w, c))
			continue;
		size_t len = strcspn(w + 1, "=");
		const char *near = closest_option(w + 1, len);
		if (near)
			return dl_fail(err, DL_EUSAGE, "unknown option -%c in %.*s; did you mean --%s?",
				       c, (int)len + 1, w, near);
	}
	return dl_fail(err, DL_EUSAGE, "unknown option -%c (short options:%s; domuloader --help lists "
		       "the others)", c, dl_sbuf_str(&shorts));
}

/* What getopt refused ('?' or ':', its own messages off), in one line
 * that says what to type instead. */
static int option_error(int c, int argc, char **argv, struct dl_error *err)
{
	if (optopt >= 256) {
		const char *name = options[optopt - 256].name;
		if (c != ':')
			return dl_fail(err, DL_EUSAGE, "option --%s takes no value", name);
		_cleanup_free_ char *mv = help_metavar(name);
		return dl_fail(err, DL_EUSAGE, "option --%s needs a value (--%s=%s)", name, name,
			       mv ? mv : "VALUE");
	}
	if (optopt)
		return unknown_short(optopt, argv, argc, err);
	const char *w = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (strncmp(w, "--", 2))
		return dl_fail(err, DL_EUSAGE, "%s: not an option (domuloader --help lists every option)",
			       w);
	return unknown_long(w + 2, strcspn(w + 2, "="), err);
}

/* getopt_long over the options table: each long option's val is 256 +
 * its row, a short option is looked up by its letter. */
static int parse_options(int argc, char **argv, struct opts *o, struct dl_error *err)
{
	struct option longopts[DL_ARRAY_SIZE(options) + 1] = { { 0 } };
	char shortopts[DL_ARRAY_SIZE(options) + 2] = ":";   /* ':': a missing value is ':' */
	size_t ns = 1;
	for (size_t i = 0; i < DL_ARRAY_SIZE(options); i++) {
		longopts[i] = (struct option){ options[i].name,
					       options[i].value ? (options[i].flag ? optional_argument : required_argument)
								: no_argument,
					       NULL, 256 + (int)i };
		if (options[i].short_name)
			shortopts[ns++] = options[i].short_name;   /* all without a value */
	}
	int c, first = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct option_def *d = c >= 256 ? &options[c - 256] : NULL;
		for (size_t i = 0; !d && c > 0 && c != ':' && c != '?' && i < DL_ARRAY_SIZE(options); i++)
			if (options[i].short_name == c)
				d = &options[i];
		/* After the first error only --output-format still counts: a
		 * script that asked for JSON gets its failure as JSON, wherever
		 * the option stands. */
		if (first < 0) {
			struct dl_error ignored = { 0 };
			if (d && d->value == opt_format && optarg)
				(void)opt_format(o, optarg, &ignored);
			continue;
		}
		if (!d) {
			first = option_error(c, argc, argv, err);
			continue;
		}
		if (d->flag && !optarg) {
			d->flag(o);
			continue;
		}
		first = d->value(o, optarg, err);
	}
	return first;
}

/* The operands: disk images, and domUloader's "physdisk [virtdisk]"
 * where virtdisk names the disk (xvda). */
static void take_operands(int argc, char **argv, struct opts *o)
{
	for (int i = optind; i < argc; i++) {
		if (!o->sub && i == optind + 1 && o->ndisks == 1 && access(argv[i], F_OK) < 0 &&
		    strspn(argv[i], "abcdefghijklmnopqrstuvwxyz") == strlen(argv[i]) && strlen(argv[i]) <= 8) {
			o->vdev = argv[i];
			continue;
		}
		o->disks = dl_reallocarray(o->disks, o->ndisks + 1, sizeof(*o->disks));
		o->disks[o->ndisks++] = argv[i];
	}
}

/* ls, cat, copy-out: the guest path (and copy-out's directory) are the
 * last operands; ls with one operand lists the volumes. */
static int sub_operands(struct opts *o, struct dl_error *err)
{
	bool copy = !strcmp(o->sub, "copy-out"), ls = !strcmp(o->sub, "ls");
	size_t need = copy ? 3 : 2;
	if (o->req.mount)
		return dl_fail(err, DL_EUSAGE, "%s reads with domuloader's own readers; --mount does not "
			       "apply", o->sub);
	if (ls && o->ndisks == 1) {
		o->req.mode = DL_MODE_LIST_VOLUMES;
		return 0;
	}
	if (o->ndisks < need)
		return dl_fail(err, DL_EUSAGE, "%s: expected IMAGE... %s", o->sub,
			       copy ? "GUEST_PATH DIR" : ls ? "[GUEST_PATH]" : "GUEST_PATH");
	if (copy)
		o->copy_dir = o->disks[--o->ndisks];
	o->req.guest_path = o->disks[--o->ndisks];
	if (!o->req.guest_path[0])
		return dl_fail(err, DL_EUSAGE, "%s: empty guest path", o->sub);
	o->req.mode = ls ? DL_MODE_LS : DL_MODE_CAT;
	o->interactive = false;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o, struct dl_error *err)
{
	int r = opts_defaults(o, err);
	if (r == 0)
		r = parse_options(argc, argv, o, err);
	if (r < 0)
		return r;
	take_operands(argc, argv, o);
	if (o->sub && (r = sub_operands(o, err)) < 0)
		return r;
	if (o->no_sandbox && o->runas != (uid_t)-1)
		return dl_fail(err, DL_EUSAGE, "--runas and --no-sandbox contradict each other");
	if (!o->ndisks && !o->nxdisks && !o->config && !o->cleanup_stale)
		return dl_fail(err, DL_EUSAGE, "no disk image given (domuloader [OPTIONS] IMAGE...; "
			       "domuloader --help lists the options)");
	if (o->rewrite && (!o->config || o->req.mode != DL_MODE_EXTRACT))
		return dl_fail(err, DL_EUSAGE,
			       "--rewrite-config needs --config and an extraction (not -n, -l)");
	/* a multiboot entry is refused for what --rewrite-config cannot do
	 * (rewrite_refuses), not for the output format */
	if (o->rewrite)
		o->req.no_modules = NULL;
	o->req.rewrite = o->rewrite != NULL;
	/* Never wait for input: without a terminal, -i means -q. */
	int in_fd, out_fd;
	if (o->interactive && dl_output_menu_fds(&in_fd, &out_fd) < 0)
		o->interactive = false;
	/* The menu (pygrub's rule): a terminal, no -q, no --entry, a choice to make. */
	o->req.menu = o->interactive && !o->req.kernel &&
		      (o->req.mode == DL_MODE_EXTRACT || o->req.mode == DL_MODE_NOT_REALLY);
	return 0;
}

/* ---- domain configurations (--config, --disks, --rewrite-config) ---- */

/* Read and parse --config before option parsing, so that its
 * bootloader_args can be put in front of the command line (which wins). */
static int load_config(int argc, char **argv, struct opts *o, struct dl_error *err)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strncmp(argv[i], "--config=", 9))
			o->config = argv[i] + 9;
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			o->config = argv[++i];
	}
	if (!o->config)
		return 0;
	_cleanup_close_ int fd = open(o->config, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return dl_fail(err, DL_EIO, "%s: %s", o->config, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > DL_DOMCFG_MAX_SIZE)
		return dl_fail(err, DL_EIO, "%s: not a regular file of at most %u bytes", o->config,
			       DL_DOMCFG_MAX_SIZE);
	o->cfgbuf = dl_malloc((size_t)st.st_size + 1);
	ssize_t r = dl_pread_full(fd, o->cfgbuf, (size_t)st.st_size, 0);
	if (r != st.st_size)
		return dl_fail(err, DL_EIO, "%s: cannot read: %s", o->config,
			       r < 0 ? strerror((int)-r) : "short read");
	o->cfglen = (size_t)r;
	o->cfgbuf[o->cfglen] = '\0';
	int rc = dl_domcfg_parse(&o->cfg, DL_DIALECT_NONE, o->config, o->cfgbuf, o->cfglen, err);
	return rc < 0 ? rc : 0;
}

/* The option a bootloader argument of the configuration names ("-q",
 * "--entry=2", a unique prefix of a long option as getopt_long takes it),
 * NULL when it names none; *value: its value is the next argument. */
static const struct option_def *config_option(const char *a, bool *value)
{
	*value = false;
	if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
		return NULL;
	if (a[1] != '-') {    /* short options: all without a value */
		const struct option_def *d = NULL;
		for (const char *c = a + 1; *c; c++) {
			d = NULL;
			for (size_t i = 0; !d && i < DL_ARRAY_SIZE(options); i++)
				if (options[i].short_name == *c)
					d = &options[i];
			if (!d)
				return NULL;
		}
		return d;
	}
	size_t n = strcspn(a + 2, "=");
	const struct option_def *hit = NULL;
	for (size_t i = 0; i < DL_ARRAY_SIZE(options); i++) {
		if (strncmp(options[i].name, a + 2, n))
			continue;
		if (!options[i].name[n]) {
			hit = &options[i];
			break;
		}
		if (hit)
			return NULL;  /* ambiguous prefix */
		hit = &options[i];
	}
	*value = hit && hit->value && !hit->flag && !a[2 + n];
	return hit;
}

/* bootloader_args are read as domuloader's options: an argument that is
 * none (pypxeboot's mac=..., an option of another pygrub) is named here,
 * not taken for a disk image or left to getopt's message. */
static int check_config_args(const struct opts *o, char **a, size_t n, struct dl_error *err)
{
	const char *bl = o->cfg.bootloader && o->cfg.bootloader[0] ? o->cfg.bootloader : "pygrub";
	for (size_t i = 0; i < n; i++) {
		bool value;
		if (config_option(a[i], &value)) {
			i += value;
			continue;
		}
		if (a[i][0] != '-')
			return dl_fail(err, DL_EUSAGE, "%s: bootloader_args: '%s' is not an option of "
				       "domuloader but an argument for another bootloader (like pypxeboot's "
				       "mac=); remove it from the configuration", o->config, a[i]);
		/* a typo of one of ours first: --entyr=1 is meant as --entry=1 */
		const char *w = a[i] + 1 + (a[i][1] == '-');
		const char *near = closest_option(w, strcspn(w, "="));
		if (near)
			return dl_fail(err, DL_EUSAGE, "%s: bootloader_args: unknown option %.*s; did you "
				       "mean --%s?", o->config, (int)strcspn(a[i], "="), a[i], near);
		return dl_fail(err, DL_EUSAGE, "%s: bootloader_args: '%s' is not an option of domuloader "
			       "(one of another %s version?); remove it from the configuration, "
			       "domuloader(1) lists the options it takes", o->config, a[i],
			       dl_domcfg_basename(bl));
	}
	return 0;
}

/* The command line with the configuration's bootloader_args in front (the
 * command line overrides them), and its kernel, ramdisk and cmdline as
 * hints for a bootloader, as libxl passes them (PV/PVH only: libxl runs no
 * bootloader for HVM, whose kernel is a dom0 path for direct boot). */
static int config_then_options(int argc, char **argv, struct opts *o, struct dl_error *err)
{
	/* pypxeboot's arguments (mac=...) are for the network boot */
	size_t na = dl_domcfg_boot_kind(&o->cfg) == DL_DOMBOOT_NETWORK ? 0 : o->cfg.nbootloader_args;
	int r = check_config_args(o, o->cfg.bootloader_args, na, err);
	if (r < 0)
		return r;
	o->argv2 = dl_calloc((size_t)argc + na + 1, sizeof(char *));
	o->argv2[0] = argv[0];
	for (size_t i = 0; i < na; i++)
		o->argv2[1 + i] = o->cfg.bootloader_args[i];
	for (int i = 1; i < argc; i++)
		o->argv2[na + (size_t)i] = argv[i];
	/* the configuration's type (or builder): the kernel is checked for it */
	if (o->cfg.type == DL_DOMTYPE_PV || o->cfg.type == DL_DOMTYPE_PVH) {
		o->req.guest_type = o->cfg.type == DL_DOMTYPE_PV ? DL_GUEST_PV : DL_GUEST_PVH;
		o->req.guest_type_cfg = true;
	}
	/* not the dom0 kernel of a direct boot (--from-disk), nor pypxeboot's */
	if (o->cfg.bootloader && o->cfg.bootloader[0] && o->cfg.type != DL_DOMTYPE_HVM &&
	    dl_domcfg_boot_kind(&o->cfg) == DL_DOMBOOT_DISK) {
		o->req.kernel = o->cfg.kernel;
		o->req.ramdisk = o->cfg.ramdisk;
		o->req.args = o->cfg.cmdline && o->cfg.cmdline[0] ? o->cfg.cmdline : NULL;
	}
	return parse_opts(argc + (int)na, o->argv2, o, err);
}

static int disk_format_of(const struct dl_domdisk *d, enum dl_disk_format *f, struct dl_error *err)
{
	switch (d->format) {
	case DL_DFMT_UNSET: case DL_DFMT_RAW: *f = DL_FMT_RAW; return 0;
	case DL_DFMT_QCOW2: *f = DL_FMT_QCOW2; return 0;
	case DL_DFMT_QCOW:
		return dl_fail(err, DL_EUNSUPPORTED, "%s (%s): qcow version 1 images are not supported; "
			       "convert it: qemu-img convert -O qcow2 %s NEW.qcow2", d->target,
			       d->vdev ? d->vdev : "?", d->target);
	default:
		return dl_fail(err, DL_EUNSUPPORTED, "%s (%s): disk format %s is not supported",
			       d->target, d->vdev ? d->vdev : "?",
			       d->format == DL_DFMT_OTHER ? d->format_name : dl_dformat_name(d->format));
	}
}

static int open_domdisk(const struct opts *o, const struct dl_domdisk *dd, struct dl_disk_set *set,
			struct dl_error *err)
{
	_cleanup_free_ char *path = dl_domdisk_path(dd);
	if (!path)
		return dl_fail(err, DL_EUNSUPPORTED, "%s: disk %s has no local path (script %s)",
			       dd->target ? dd->target : "(empty)", dd->vdev ? dd->vdev : "?",
			       dd->script ? dd->script : "none");
	struct dl_disk_opts dopts = { .allow_backing = o->allow_backing,
				      .backing_dir = o->backing_dir };
	int r = disk_format_of(dd, &dopts.format, err);
	if (r < 0)
		return r;
	struct dl_disk *d;
	if ((r = dl_disk_open_opts(&d, path, &dopts, err)) < 0)
		return r;
	if (dd->vdev && dd->vdev[0])
		d->vdev = dl_strdup(dd->vdev);
	d->cdrom = dd->cdrom;
	d->readonly = dd->access == DL_ACCESS_RO || dd->cdrom;
	dl_diskset_add(set, d);
	return 0;
}

/* --disks specs, then the configuration's boot disks (when no disk was
 * given on the command line), in boot order, read-only. */
static int open_domdisks(struct opts *o, struct dl_disk_set *set, struct dl_error *err)
{
	int r;
	for (size_t i = 0; i < o->nxdisks; i++)
		if ((r = open_domdisk(o, &o->xdisks[i], set, err)) < 0)
			return r;
	if (!o->config || o->ndisks || o->nxdisks)
		return 0;
	_cleanup_free_ size_t *order = dl_calloc(o->cfg.ndisks + 1, sizeof(size_t));
	size_t n = dl_domcfg_boot_disks(&o->cfg, order);
	if (!n)
		return dl_fail(err, DL_ENOTFOUND, "%s: no disk to boot from", o->config);
	const struct dl_domdisk *b = &o->cfg.disks[order[0]];
	dl_info("%s: booting from %s %s (%s)", o->config, b->cdrom ? "cdrom" : b->floppy ? "floppy" : "disk",
		b->vdev ? b->vdev : "?", b->target);
	for (size_t i = 0; i < n; i++)
		if ((r = open_domdisk(o, &o->cfg.disks[order[i]], set, err)) < 0)
			return r;
	return 0;
}

/* OUT atomically replaced by len bytes of text (temp + rename). */
static int write_out(const struct opts *o, const char *text, size_t len, struct dl_error *err)
{
	_cleanup_free_ char *tmp = dl_asprintf("%s.XXXXXX", o->rewrite);
	_cleanup_close_ int fd = mkstemp(tmp);
	if (fd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->rewrite, strerror(errno));
	if (fchmod(fd, 0644) < 0 || dl_write_full(fd, text, len) < 0 || fsync(fd) < 0 ||
	    rename(tmp, o->rewrite) < 0) {
		int e = errno;
		unlink(tmp);
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->rewrite, strerror(e));
	}
	return 0;
}

/* A domain that does not boot from its disks (a dom0 kernel given
 * directly, the network) has nothing to extract: said so with its own exit
 * status, and --rewrite-config leaves the configuration as it is (OUT, when
 * another file, gets it unchanged), unless --from-disk asks for the disk. */
static int direct_boot(struct opts *o, struct dl_error *err)
{
	if (!o->config || o->from_disk || o->req.mode == DL_MODE_LIST_VOLUMES)
		return 0;
	enum dl_domboot k = dl_domcfg_boot_kind(&o->cfg);
	if (k == DL_DOMBOOT_DISK)
		return 0;
	struct stat a, b;
	if (o->rewrite && !(stat(o->config, &a) == 0 && stat(o->rewrite, &b) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino)) {
		int r = write_out(o, o->cfgbuf, o->cfglen, err);
		if (r < 0)
			return r;
	}
	const char *what = o->rewrite ? "nothing to extract, configuration left as it is"
				      : "nothing to extract";
	if (k == DL_DOMBOOT_KERNEL)
		return dl_fail(err, DL_EDIRECT, "%s: the domain boots the dom0 kernel %s directly: %s "
			       "(--from-disk boots the kernel on its disk instead)", o->config, o->cfg.kernel,
			       what);
	return dl_fail(err, DL_EDIRECT, "%s: the domain boots from the network (%s): %s (--from-disk "
		       "boots the kernel on its disk instead)", o->config,
		       o->cfg.bootloader ? o->cfg.bootloader : "boot order n", what);
}

/* What --rewrite-config cannot write, found before any file is kept: a
 * multiboot entry (Xen's domain builder loads one kernel, never a
 * hypervisor with its modules). */
static int rewrite_refuses(const struct opts *o, const struct dl_payload *p, struct dl_error *err)
{
	if (!o->rewrite || !p->res.nmodules)
		return 0;
	return dl_fail(err, DL_EUNSUPPORTED, "--rewrite-config: entry '%s' is a multiboot entry (a "
		       "hypervisor with %zu module%s); a domain configuration boots one kernel, not a "
		       "hypervisor and its modules", p->res.title ? p->res.title : "(untitled)",
		       (size_t)p->res.nmodules, p->res.nmodules == 1 ? "" : "s");
}

/* The guest type the kernel was checked for (--guest-type), written into
 * the configuration when it says another one. */
static char *rewrite_type(struct opts *o, struct dl_payload *p, char *text, size_t *len,
			  struct dl_error *err)
{
	const char *gt = p->res.guest_type;
	enum dl_domtype want = !gt ? DL_DOMTYPE_UNSET : !strcmp(gt, "pvh") ? DL_DOMTYPE_PVH : DL_DOMTYPE_PV;
	enum dl_domtype have = o->cfg.type == DL_DOMTYPE_UNSET ? DL_DOMTYPE_PV : o->cfg.type;
	if (!text || want == DL_DOMTYPE_UNSET || want == have)
		return text;
	/* xend knows no PVH: best falls back to PV when the kernel boots so */
	if (o->cfg.dialect == DL_DIALECT_SEXPR && want == DL_DOMTYPE_PVH &&
	    o->req.guest_type == DL_GUEST_BEST && p->res.xen_pv && have == DL_DOMTYPE_PV) {
		dl_info("%s: xend has no PVH guest type; the domain stays PV", o->config);
		return text;
	}
	char *t = dl_domcfg_set_type(o->cfg.dialect, o->config, text, *len, want, len, err);
	free(text);
	return t;
}

/* Write OUT: the configuration for direct kernel boot (temp + rename). */
static int rewrite_config(struct opts *o, struct dl_payload *p, struct dl_error *err)
{
	size_t len;
	const char *args = p->res.args && *p->res.args ? p->res.args : NULL;
	int r = rewrite_refuses(o, p, err);
	if (r < 0)
		return r;
	char *text0 = dl_domcfg_rewrite(o->cfg.dialect, o->config, o->cfgbuf, o->cfglen,
					p->f[0].final, p->f[1].final, args, &len, err);
	_cleanup_free_ char *text = rewrite_type(o, p, text0, &len, err);
	if (!text)
		return -dl_code_errno(err->code);
	return write_out(o, text, len, err);
}

/* ---- a run: disks, output, parsing, result ---- */

/* The output directory: pygrub creates its default but requires a given one. */
static int make_outdir(struct opts *o, struct dl_error *err)
{
	struct stat st;
	if (o->req.mode != DL_MODE_EXTRACT)
		return 0;
	if (stat(o->outdir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return dl_fail(err, DL_EUSAGE, "%s is not an existing directory", o->outdir);
		return 0;
	}
	if (o->outdir_given)
		return dl_fail(err, DL_EUSAGE, "%s is not an existing directory", o->outdir);
	/* mkdir -p, like pygrub's os.makedirs(dir, 0o700). */
	_cleanup_free_ char *path = dl_strdup(o->outdir);
	for (char *s = path + 1;; s++) {
		bool last = !*s;
		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(path, last ? 0700 : 0755) < 0 && errno != EEXIST)
			return dl_fail(err, DL_EOUTPUT, "%s: cannot create: %s", path, strerror(errno));
		if (last)
			return 0;
		*s = '/';
	}
}

/* A rewritten configuration names the kernel by its absolute path, on
 * storage that outlives a reboot: a tmpfs (the default /var/run/xen/pygrub
 * on most dom0s) is refused unless --allow-volatile-output. */
static int prepare_outdir(struct opts *o, struct dl_error *err)
{
	int r = make_outdir(o, err);
	if (r < 0 || !o->rewrite || o->req.mode != DL_MODE_EXTRACT)
		return r;
	o->outdir_abs = realpath(o->outdir, NULL);
	if (!o->outdir_abs)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->outdir, strerror(errno));
	o->outdir = o->outdir_abs;
	struct statfs sf;
	if (statfs(o->outdir, &sf) < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->outdir, strerror(errno));
	if (o->allow_volatile || (sf.f_type != TMPFS_MAGIC && sf.f_type != RAMFS_MAGIC))
		return 0;
	return dl_fail(err, DL_EUSAGE, "%s: on a %s, gone at the next reboot, while the configuration "
		       "--rewrite-config writes would still name its files; give --output-directory on "
		       "persistent storage (e.g. /var/lib/xen/boot) or --allow-volatile-output",
		       o->outdir, sf.f_type == TMPFS_MAGIC ? "tmpfs" : "ramfs");
}

static bool is_subcommand(const char *s)
{
	return !strcmp(s, "ls") || !strcmp(s, "cat") || !strcmp(s, "copy-out");
}

/* The disk operands, then those of --disks and --config. */
static int open_disks(struct opts *o, struct dl_disk_set *set, struct dl_error *err)
{
	for (size_t i = 0; i < o->ndisks; i++) {
		struct dl_disk *d;
		struct dl_disk_opts dopts = { .format = o->disk_format, .allow_backing = o->allow_backing,
				      .backing_dir = o->backing_dir };
		int r = dl_disk_open_opts(&d, o->disks[i], &dopts, err);
		if (r < 0 && !o->sub && is_subcommand(o->disks[i]) && access(o->disks[i], F_OK) < 0)
			return dl_refail(err, DL_EUSAGE, "%s: no such image; the subcommand %s goes "
					 "first: domuloader %s [OPTIONS] IMAGE...", o->disks[i],
					 o->disks[i], o->disks[i]);
		if (r < 0)
			return r;
		if (i == 0 && o->vdev)
			d->vdev = dl_strdup(o->vdev);
		dl_diskset_add(set, d);
	}
	return open_domdisks(o, set, err);
}

/* Where the result goes: stdout, or --output (opened before the run, so
 * that a bad path fails before any parsing); -1 for the listing modes. */
static int open_output(const struct opts *o, int *fd, struct dl_error *err)
{
	*fd = -1;
	if (o->req.mode != DL_MODE_EXTRACT && o->req.mode != DL_MODE_NOT_REALLY)
		return 0;
	if (!o->output || !strcmp(o->output, "-")) {
		*fd = STDOUT_FILENO;
		return 0;
	}
	*fd = open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
	if (*fd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->output, strerror(errno));
	return 0;
}

/* The root process's own work on what the image names runs under the same
 * limits as the child: opening disks and backing files under --timeout of
 * wall-clock time (nothing there waits for a person), and a --no-sandbox
 * parse under both limits the child has: --timeout of wall clock, not
 * counting the calls it makes (a menu waits for a person there), and the
 * CPU limit. */
static void watchdog_fired(int sig)
{
	static const char wall[] = "domuloader: error: the disks or their parse took longer than --timeout\n";
	static const char cpu[] = "domuloader: error: the parse exceeded its CPU limit\n";
	ssize_t w = sig == SIGPROF ? write(STDERR_FILENO, cpu, sizeof(cpu) - 1)
				   : write(STDERR_FILENO, wall, sizeof(wall) - 1);
	(void)w;
	_exit(DL_ESANDBOX);
}

/* The parser's CPU limit: --timeout's seconds when given (not 0), else
 * DL_SANDBOX_CPU_DEFAULT. */
static unsigned cpu_limit(const struct opts *o)
{
	return o->timeout_set && o->timeout_s ? o->timeout_s : DL_SANDBOX_CPU_DEFAULT;
}

enum watch { WATCH_OFF, WATCH_WALL, WATCH_PARSE };

static void watchdog(const struct opts *o, enum watch how)
{
	struct itimerval wall = { { 0, 0 }, { how ? o->timeout_s : 0, 0 } };
	struct itimerval cpu = { { 0, 0 }, { how == WATCH_PARSE ? cpu_limit(o) : 0, 0 } };
	signal(SIGALRM, watchdog_fired);
	signal(SIGPROF, watchdog_fired);
	setitimer(ITIMER_REAL, &wall, NULL);
	setitimer(ITIMER_PROF, &cpu, NULL);
}

/* --no-sandbox: a call (the menu waiting for a person, a kernel mount)
 * stops the wall clock as it does for the child; the CPU limit runs on. */
static int (*untimed_call)(void *ctx, uint32_t op, const void *req, size_t len,
			   const struct dl_asker *back, struct dl_reply *rep, struct dl_error *err);

static int timed_call(void *ctx, uint32_t op, const void *req, size_t len,
		      const struct dl_asker *back, struct dl_reply *rep, struct dl_error *err)
{
	struct itimerval left, off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, &left);
	int r = untimed_call(ctx, op, req, len, back, rep, err);
	if (left.it_value.tv_sec || left.it_value.tv_usec)
		setitimer(ITIMER_REAL, &left, NULL);
	return r;
}

/* The guest's bytes are parsed in the confined child, as the chosen
 * identity, or (--no-sandbox) here. */
static int parse_guest(struct opts *o, struct dl_disk_set *set, const struct dl_sink *sink,
		       struct dl_error *err)
{
	if (o->no_sandbox) {
		dl_warn("--no-sandbox: parsing guest data as root, without confinement");
		struct dl_sink timed = *sink;
		if ((untimed_call = sink->call))
			timed.call = timed_call;
		watchdog(o, WATCH_PARSE);
		int r = o->sub ? dl_guestcmd_run(&o->req, set, &timed, err)
			       : dl_flow_run(&o->req, set, &timed, err);
		watchdog(o, WATCH_OFF);
		return r;
	}
	struct dl_sandbox_opts sb;
	dl_sandbox_opts_init(&sb);
	sb.body = o->sub ? dl_guestcmd_run : dl_flow_run;
	sb.timeout_s = o->timeout_s;
	sb.cpu_s = cpu_limit(o);
	sb.max_as = o->max_as;
	sb.fd_slots = dl_disk_fd_slots;   /* qcow2 backing files' fds too */
	int r = dl_sandbox_pick_user(&sb, o->runas, err);
	return r < 0 ? r : dl_sandbox_run(&sb, &o->req, set, sink, err);
}

static int write_result(struct opts *o, int outfd, struct dl_payload *p, struct dl_error *err)
{
	const char *kernel, *ramdisk = NULL;
	if (o->req.mode == DL_MODE_EXTRACT) {
		kernel = p->f[0].final;
		ramdisk = p->f[1].final;
	} else {
		kernel = p->res.kernel;
		ramdisk = p->res.ramdisk;
	}
	const char *mods[DL_PAYLOAD_MODULES_MAX + 1] = { NULL };
	if (p->res.nmodules && o->req.mode == DL_MODE_EXTRACT) {
		if (p->res.nmodules != p->nmodules)
			return dl_fail(err, DL_ESANDBOX, "parser child: %u module files for %zu modules",
				       p->nmodules, p->res.nmodules);
		for (size_t i = 0; i < p->res.nmodules; i++)
			mods[i] = p->f[DL_PAYLOAD_MODULE + i].final;
	}
	size_t len;
	_cleanup_free_ char *text = dl_result_format_files(
		o->format, kernel, ramdisk, o->req.mode == DL_MODE_EXTRACT ? mods : NULL, &p->res, &len,
		err);
	if (!text)
		return -dl_code_errno(err->code);
	int r = dl_write_full(outfd, text, len);
	if (r < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: cannot write result: %s",
			       o->output ? o->output : "stdout", strerror(-r));
	return 0;
}

/* After a successful parse: the listing flushed, or the payload files
 * renamed into place, the configuration rewritten, the result written
 * (last: a result names files that a later failure would remove, and a
 * failure's JSON must be the only document on stdout). */
static int finish(struct opts *o, struct dl_payload *pay, int outfd, struct dl_error *err)
{
	if (o->req.mode == DL_MODE_LIST || o->req.mode == DL_MODE_ISCONFIG ||
	    o->req.mode == DL_MODE_LIST_VOLUMES) {
		if (fflush(stdout) != 0)
			return dl_fail(err, DL_EOUTPUT, "stdout: %s", strerror(errno));
		return 0;
	}
	if (!pay->have_result)
		return dl_fail(err, DL_ESANDBOX, "no result from the parser");
	int r = rewrite_refuses(o, pay, err);
	if (r == 0 && o->req.mode == DL_MODE_EXTRACT)
		r = dl_payload_commit(pay, err);
	if (r == 0 && o->rewrite)
		r = rewrite_config(o, pay, err);
	if (r == 0)
		r = write_result(o, outfd, pay, err);
	return r;
}

/* Output, parsing, result, with the payload files removed on failure. */
static int extract(struct opts *o, struct dl_disk_set *set, struct dl_error *err)
{
	int outfd;
	int r = open_output(o, &outfd, err);
	if (r < 0)
		return r;
	struct dl_payload pay;
	struct dl_sink sink;
	dl_payload_init(&pay, o->outdir, set, o->req.max_kernel, o->req.max_ramdisk, err);
	pay.dry = o->req.mode != DL_MODE_EXTRACT;
	pay.sync = o->sync;
	dl_payload_sink(&pay, &sink);
	if (!pay.dry && !o->req.no_grubenv_update)
		dl_payload_answer(&pay, DL_CALL_GRUBENV, dl_grubenv_answer, set);
	struct dl_kmount *km = NULL;
	if (o->req.mount && o->req.mode != DL_MODE_ISCONFIG && !(km = dl_kmount_new(set, err)))
		r = -dl_code_errno(err->code);
	if (km)
		dl_payload_answer(&pay, DL_CALL_OPEN, dl_kmount_answer, km);
	if (o->req.menu)
		dl_payload_answer(&pay, DL_CALL_MENU, dl_output_menu_call, NULL);
	if (r == 0)
		r = parse_guest(o, set, &sink, err);
	dl_kmount_free(km);
	if (r == 0)
		r = finish(o, &pay, outfd, err);
	if (r < 0)
		dl_payload_abort(&pay);
	dl_payload_free(&pay);
	if (outfd > STDOUT_FILENO)
		close(outfd);
	return r;
}

/* copy-out's file: DIR/NAME, NAME the guest path's last component
 * (the user's words, not the guest's), written as DIR/.NAME.XXXXXX and
 * renamed over NAME once complete. */
static int copy_out_open(const struct opts *o, char **tmp, char **final, struct dl_error *err)
{
	const char *gp = o->req.guest_path, *slash = strrchr(gp, '/'), *colon = strrchr(gp, ':');
	const char *name = slash ? slash + 1 : colon ? colon + 1 : gp;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return dl_fail(err, DL_EUSAGE, "copy-out: %s names no file", gp);
	struct stat st;
	if (stat(o->copy_dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return dl_fail(err, DL_EUSAGE, "%s is not an existing directory", o->copy_dir);
	*final = dl_asprintf("%s/%s", o->copy_dir, name);
	*tmp = dl_asprintf("%s/.%s.XXXXXX", o->copy_dir, name);
	int fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", *final, strerror(errno));
	mode_t um = umask(022);
	umask(um);
	if (fchmod(fd, 0666 & ~um) < 0) {
		int e = errno;
		close(fd);
		unlink(*tmp);
		return dl_fail(err, DL_EOUTPUT, "%s: %s", *tmp, strerror(e));
	}
	return fd;
}

/* domuloader ls / cat / copy-out: the listing to stdout through the
 * payload sink, the file to stdout or to copy-out's file. */
static int guest_command(struct opts *o, struct dl_disk_set *set, struct dl_error *err)
{
	struct dl_payload pay;
	struct dl_sink sink;
	struct dl_catout co;
	_cleanup_free_ char *tmp = NULL, *final = NULL;
	int fd = STDOUT_FILENO, r = 0;
	dl_payload_init(&pay, NULL, set, o->req.max_kernel, o->req.max_ramdisk, err);
	pay.dry = true;
	dl_payload_sink(&pay, &sink);
	if (o->copy_dir && (fd = r = copy_out_open(o, &tmp, &final, err)) < 0)
		fd = -1;
	if (r >= 0 && o->req.mode == DL_MODE_CAT)
		dl_catout_sink(&co, &pay, fd, final ? final : "stdout", &sink);
	if (r >= 0)
		r = parse_guest(o, set, &sink, err);
	if (r >= 0 && o->req.mode == DL_MODE_CAT && !co.done)
		r = dl_fail(err, DL_ESANDBOX, "no file from the parser");
	if (r >= 0 && fflush(stdout) != 0)
		r = dl_fail(err, DL_EOUTPUT, "stdout: %s", strerror(errno));
	if (r >= 0 && tmp && (fsync(fd) < 0 || rename(tmp, final) < 0))
		r = dl_fail(err, DL_EOUTPUT, "%s: %s", final, strerror(errno));
	if (r < 0 && tmp)
		unlink(tmp);
	if (fd > STDOUT_FILENO)
		close(fd);
	dl_payload_free(&pay);
	return r < 0 ? r : 0;
}

static int run(struct opts *o, struct dl_error *err)
{
	dl_log_set(NULL, NULL, o->verbosity >= 2 ? DL_LOG_DEBUG
			       : o->verbosity ? DL_LOG_INFO : DL_LOG_WARN);
	if (o->cleanup_stale)
		return dl_kmount_cleanup_stale(err);
	int r = prepare_outdir(o, err);
	if (r < 0)
		return r;
	struct dl_disk_set set = { 0 };
	watchdog(o, WATCH_WALL);
	r = open_disks(o, &set, err);
	watchdog(o, WATCH_OFF);
	if (r == 0)
		r = o->sub && o->req.mode != DL_MODE_LIST_VOLUMES ? guest_command(o, &set, err)
								   : extract(o, &set, err);
	dl_diskset_free(&set);
	return r;
}

static void opts_free(struct opts *o)
{
	free(o->disks);
	free(o->argv2);
	for (size_t i = 0; i < o->nxdisks; i++)
		dl_domdisk_clear(&o->xdisks[i]);
	free(o->xdisks);
	dl_domcfg_free(&o->cfg);
	free(o->cfgbuf);
	free(o->outdir_abs);
}

/* --output-format=json asked: the failure for scripts too, on stdout, as
 * {"error":"...","status":N} (N the exit status). */
static void json_failure(const struct dl_error *err)
{
	struct dl_sbuf b = { 0 };
	struct dl_json j;
	dl_json_init(&j, &b, false);
	dl_json_obj(&j, NULL);
	dl_json_str(&j, "error", err->msg[0] ? err->msg : "invalid usage (see --help)");
	dl_json_int(&j, "status", err->code);
	dl_json_end(&j);
	dl_sbuf_addc(&b, '\n');
	fflush(stdout);
	if (dl_write_full(STDOUT_FILENO, dl_sbuf_str(&b), b.len) < 0)
		(void)0;   /* stderr already says what failed */
	dl_sbuf_free(&b);
}

/* What the invoking process left that would break the run.  An ignored
 * SIGCHLD makes the kernel reap our children at once, so the parser child's
 * exit could never be collected (the run waited out --timeout, then
 * failed); a blocked SIGALRM/SIGPROF would silence the watchdogs and a
 * blocked SIGTERM the cleanup of --mount.  Other ignored signals stay
 * ignored (nohup's SIGHUP is meant). */
static void reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);
}

/* The only place that prints an error: one line, and the error class as
 * the exit status. */
int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct dl_error err = { 0 };
	reset_signals();
	/* a subcommand only as the first argument: "domuloader -q ls" and
	 * "domuloader ./ls" boot an image named ls, as pygrub would */
	if (argc > 1 && is_subcommand(argv[1])) {
		o.sub = argv[1];
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	int r = load_config(argc, argv, &o, &err);
	if (r == 0)
		r = config_then_options(argc, argv, &o, &err);
	if (r == 0)
		r = direct_boot(&o, &err);
	if (r == 0)
		r = run(&o, &err);
	opts_free(&o);
	if (r == 0)
		return 0;
	if (!err.code)
		dl_fail(&err, DL_EIO, "unknown failure");
	/* guest names end up in messages: never a control byte on stderr */
	err.msg[dl_sanitize_text(err.msg, strnlen(err.msg, sizeof(err.msg) - 1))] = '\0';
	if (err.msg[0])
		fprintf(stderr, "domuloader: error: %s\n", err.msg);
	if (o.format == DL_OUT_JSON)
		json_failure(&err);
	return err.code;
}
