/* domuloader: command line, output directory and result.
 * Accepts pygrub's and domUloader's conventions (reference/pygrub.md §1,
 * reference/peers.md §1.3).  Only this file prints. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "domcfg/domcfg.h"
#include "flow.h"
#include "output/output.h"
#include "part/part.h"
#include "sandbox/sandbox.h"

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
	enum dl_disk_format disk_format;
	bool allow_backing;       /* --allow-backing-file (qcow2) */
	/* --config / --disks / --rewrite-config (src/domcfg) */
	const char *config;
	char *cfgbuf;
	size_t cfglen;
	struct dl_domcfg cfg;
	const char *rewrite;
	struct dl_domdisk *xdisks;
	size_t nxdisks;
	char **argv2;             /* argv with the config's bootloader_args in front */
};

static void usage(FILE *f)
{
	fputs("Usage: domuloader [OPTIONS] IMAGE [IMAGE...]\n"
	      "Extract a Xen guest's kernel, ramdisk and command line from its disk image.\n\n"
	      "  -q, --quiet                 non-interactive: boot the default entry\n"
	      "  -i, --interactive           interactive (treated as -q for now)\n"
	      "  -l, --list-entries          list the boot entries\n"
	      "  -n, --not-really, --dryrun  check that the files exist, copy nothing\n"
	      "      --entry=N|TITLE|ID|A>B|[DEV:]KERNEL[,INITRD]\n"
	      "                              choose an entry (default: the configured one)\n"
	      "      --kernel=PATH --ramdisk=PATH --args=ARGS\n"
	      "                              boot PATH from the guest without a configuration;\n"
	      "                              without --kernel, --args is appended\n"
	      "      --output=FILE           write the result to FILE (default stdout)\n"
	      "      --output-format=sxp|simple|simple0|json|xl|libvirt\n"
	      "      --output-directory=DIR  where the kernel and ramdisk go (" DEFAULT_OUTDIR ")\n"
	      "      --offset=BYTES          the filesystem starts at BYTES; no partition table\n"
	      "      --format=raw|qcow2      the disk images' format (never guessed; default raw)\n"
	      "      --allow-backing-file    follow a qcow2 image's backing file (a host path)\n"
	      "      --list-volumes          list disks, partitions and LVM volumes\n"
	      "      --disks=SPECS           domUloader disk list \"phy:/dev/x,xvda,w file:/y,xvdb,w\"\n"
	      "                              (xl disk specs, format=, vdev=, target= last)\n"
	      "      --config=FILE           boot the guest FILE describes (xl.cfg, libvirt XML or\n"
	      "                              xend SEXPR): its disks, boot order, bootloader_args\n"
	      "      --rewrite-config=OUT    write FILE to OUT for direct kernel boot\n"
	      "      --root=DEV              the guest's root device (domUloader)\n"
	      "      --isconfig              IMAGE is a configuration file in dom0 (debugging)\n"
	      "      --max-kernel-size=MIB --max-ramdisk-size=MIB\n"
	      "      --runas=UID             parse as this user (default: user domuloader, else a\n"
	      "                              free id of 65520-65533, see domuloader(1))\n"
	      "      --timeout=SECONDS       kill the parser after SECONDS (default 60, 0 = never)\n"
	      "      --no-sandbox            parse as root in this process (not recommended)\n"
	      "  -v, --verbose               say what is probed and skipped\n"
	      "  -h, --help                  this help\n"
	      "      --version\n"
	      "See domuloader(1).\n",
	      f);
}

static int die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int die(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("domuloader: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

enum {
	OPT_OUTPUT = 256, OPT_FORMAT, OPT_OUTDIR, OPT_OFFSET, OPT_RUNAS, OPT_ENTRY, OPT_KERNEL,
	OPT_RAMDISK, OPT_ARGS, OPT_ISCONFIG, OPT_DEBUG, OPT_DISKS, OPT_ROOT, OPT_TMPDIR,
	OPT_VERSION, OPT_MAXK, OPT_MAXR, OPT_NOSANDBOX, OPT_DISKFMT, OPT_BACKING, OPT_LISTVOLS,
	OPT_CONFIG, OPT_REWRITE, OPT_TIMEOUT,
};

static const struct option longopts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "list-entries", no_argument, NULL, 'l' },
	{ "not-really", no_argument, NULL, 'n' },
	{ "dryrun", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "output-format", required_argument, NULL, OPT_FORMAT },
	{ "output-directory", required_argument, NULL, OPT_OUTDIR },
	{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "runas", required_argument, NULL, OPT_RUNAS },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "ramdisk", required_argument, NULL, OPT_RAMDISK },
	{ "args", required_argument, NULL, OPT_ARGS },
	{ "isconfig", no_argument, NULL, OPT_ISCONFIG },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "disks", required_argument, NULL, OPT_DISKS },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "max-kernel-size", required_argument, NULL, OPT_MAXK },
	{ "max-ramdisk-size", required_argument, NULL, OPT_MAXR },
	{ "no-sandbox", no_argument, NULL, OPT_NOSANDBOX },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "format", required_argument, NULL, OPT_DISKFMT },
	{ "allow-backing-file", no_argument, NULL, OPT_BACKING },
	{ "list-volumes", no_argument, NULL, OPT_LISTVOLS },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "rewrite-config", required_argument, NULL, OPT_REWRITE },
	{ NULL, 0, NULL, 0 },
};

static int parse_mib(const char *opt, const char *s, uint64_t *out)
{
	uint64_t v;
	if (dl_parse_u64(s, &v) < 0 || v == 0 || v > 4096)
		return die(DL_EUSAGE, "%s: expected a size in MiB between 1 and 4096, not '%s'", opt, s);
	*out = v * MIB;
	return 0;
}

static const char *env_or(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;
	o->req.offset = UINT64_MAX;
	o->req.max_kernel = 128 * MIB;
	o->req.max_ramdisk = 512 * MIB;
	o->outdir = DEFAULT_OUTDIR;
	o->interactive = true;
	o->runas = (uid_t)-1;
	o->timeout_s = DL_SANDBOX_TIMEOUT_DEFAULT;
	const char *e;
	/* pygrub's knobs keep pygrub's meaning: the size of each extracted
	 * file (its RLIMIT_FSIZE), and the parser's memory (its RLIMIT_AS). */
	if ((e = env_or("PYGRUB_MAX_FILE_SIZE_MB"))) {
		if (parse_mib("PYGRUB_MAX_FILE_SIZE_MB", e, &o->req.max_kernel))
			return DL_EUSAGE;
		o->req.max_ramdisk = o->req.max_kernel;
	}
	if ((e = env_or("PYGRUB_MAX_RAM_USAGE_MB")) && parse_mib("PYGRUB_MAX_RAM_USAGE_MB", e, &o->max_as))
		return DL_EUSAGE;

	while ((c = getopt_long(argc, argv, "qilnhv", longopts, NULL)) != -1) {
		switch (c) {
		case 'q': o->quiet = true; o->interactive = false; break;
		case 'i': o->interactive = true; break;
		case 'l': o->req.mode = DL_MODE_LIST; break;
		case 'n': if (o->req.mode == DL_MODE_EXTRACT) o->req.mode = DL_MODE_NOT_REALLY; break;
		case 'h': usage(stdout); exit(0);
		case 'v': o->verbosity++; break;
		case OPT_OUTPUT: o->output = optarg; break;
		case OPT_FORMAT:
			if (dl_format_parse(optarg, &o->format) < 0)
				return die(DL_EUSAGE, "unknown output format '%s' (sxp, simple, simple0, json, xl, libvirt)", optarg);
			o->req.json = o->format == DL_OUT_JSON;
			break;
		case OPT_OUTDIR: case OPT_TMPDIR: o->outdir = optarg; o->outdir_given = true; break;
		case OPT_OFFSET:
			if (dl_parse_u64(optarg, &o->req.offset) < 0 || o->req.offset == UINT64_MAX)
				return die(DL_EUSAGE, "offset value must be an integer, not '%s'", optarg);
			break;
		case OPT_RUNAS: {
			uint64_t uid;
			if (dl_parse_u64(optarg, &uid) < 0 || uid > 0xfffffffeu)
				return die(DL_EUSAGE, "runas value must be an integer user id, not '%s'", optarg);
			if (uid == 0)
				return die(DL_EUSAGE, "--runas=0: refusing to parse guest data as root");
			o->runas = (uid_t)uid;
			break;
		}
		case OPT_ENTRY: o->req.entry = optarg; o->interactive = false; break;
		case OPT_KERNEL: o->req.kernel = optarg; break;
		case OPT_RAMDISK: o->req.ramdisk = optarg; break;
		case OPT_ARGS: o->req.args = optarg; break;
		case OPT_ISCONFIG: o->req.mode = DL_MODE_ISCONFIG; break;
		case OPT_DEBUG: o->verbosity = 2; break;
		case OPT_DISKS: {
			struct dl_error e = { 0 };
			if (dl_xldisk_parse_list(&o->xdisks, &o->nxdisks, optarg, &e) < 0)
				return die(DL_EUSAGE, "--disks: %s", e.msg);
			break;
		}
		case OPT_CONFIG:
			/* loaded before option parsing (load_config) */
			if (!o->config || strcmp(o->config, optarg))
				return die(DL_EUSAGE, "--config: give it once, as --config=FILE or --config FILE");
			break;
		case OPT_REWRITE: o->rewrite = optarg; break;
		case OPT_ROOT: o->req.root = optarg; break;
		case OPT_MAXK: if (parse_mib("--max-kernel-size", optarg, &o->req.max_kernel)) return DL_EUSAGE; break;
		case OPT_MAXR: if (parse_mib("--max-ramdisk-size", optarg, &o->req.max_ramdisk)) return DL_EUSAGE; break;
		case OPT_NOSANDBOX: o->no_sandbox = true; break;
		case OPT_TIMEOUT: {
			uint64_t t;
			if (dl_parse_u64(optarg, &t) < 0 || t > 86400)
				return die(DL_EUSAGE, "--timeout: expected seconds between 0 and 86400, not '%s'", optarg);
			o->timeout_s = (unsigned)t;
			break;
		}
		case OPT_DISKFMT:
			if (!strcmp(optarg, "raw"))
				o->disk_format = DL_FMT_RAW;
			else if (!strcmp(optarg, "qcow2"))
				o->disk_format = DL_FMT_QCOW2;
			else
				return die(DL_EUSAGE, "unknown disk format '%s' (raw, qcow2)", optarg);
			break;
		case OPT_BACKING: o->allow_backing = true; break;
		case OPT_LISTVOLS: o->req.mode = DL_MODE_LIST_VOLUMES; break;
		case OPT_VERSION: puts("domuloader 0.1"); exit(0);
		default:
			usage(stderr);
			return DL_EUSAGE;
		}
	}
	for (int i = optind; i < argc; i++) {
		/* domUloader: "physdisk [virtdisk]" where virtdisk names the disk (xvda). */
		if (i == optind + 1 && o->ndisks == 1 && access(argv[i], F_OK) < 0 &&
		    strspn(argv[i], "abcdefghijklmnopqrstuvwxyz") == strlen(argv[i]) && strlen(argv[i]) <= 8) {
			o->vdev = argv[i];
			continue;
		}
		o->disks = dl_reallocarray(o->disks, o->ndisks + 1, sizeof(*o->disks));
		o->disks[o->ndisks++] = argv[i];
	}
	if (o->no_sandbox && o->runas != (uid_t)-1)
		return die(DL_EUSAGE, "--runas and --no-sandbox contradict each other");
	if (!o->ndisks && !o->nxdisks && !o->config) {
		usage(stderr);
		return die(DL_EUSAGE, "no disk image given");
	}
	if (o->rewrite && (!o->config || o->req.mode != DL_MODE_EXTRACT))
		return die(DL_EUSAGE, "--rewrite-config needs --config and an extraction (not -n, -l)");
	/* Never wait for input: without a terminal, -i means -q. */
	if (o->interactive && !isatty(STDIN_FILENO))
		o->interactive = false;
	return 0;
}

/* The output directory: pygrub creates its default but requires a given one. */
static int prepare_outdir(struct opts *o)
{
	struct stat st;
	if (o->req.mode != DL_MODE_EXTRACT)
		return 0;
	if (stat(o->outdir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return die(DL_EUSAGE, "%s is not an existing directory", o->outdir);
		return 0;
	}
	if (o->outdir_given)
		return die(DL_EUSAGE, "%s is not an existing directory", o->outdir);
	/* mkdir -p, like pygrub's os.makedirs(dir, 0o700). */
	_cleanup_free_ char *path = dl_strdup(o->outdir);
	for (char *s = path + 1;; s++) {
		bool last = !*s;
		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(path, last ? 0700 : 0755) < 0 && errno != EEXIST)
			return die(DL_EOUTPUT, "%s: cannot create: %s", path, strerror(errno));
		if (last)
			return 0;
		*s = '/';
	}
}

static int open_output(const char *output)
{
	if (!output || !strcmp(output, "-"))
		return STDOUT_FILENO;
	return open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
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
	size_t len;
	_cleanup_free_ char *text = dl_result_format(o->format, kernel, ramdisk, &p->res, &len, err);
	if (!text)
		return -1;
	if (dl_write_full(outfd, text, len) < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: cannot write result: %s",
			       o->output ? o->output : "stdout", strerror(errno));
	return 0;
}

/* ---- domain configurations (--config, --disks, --rewrite-config) ---- */

/* Read and parse --config before option parsing, so that its
 * bootloader_args can be put in front of the command line (which wins). */
static int load_config(int argc, char **argv, struct opts *o)
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
	int fd = open(o->config, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return die(DL_EIO, "%s: %s", o->config, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > DL_DOMCFG_MAX_SIZE) {
		close(fd);
		return die(DL_EIO, "%s: not a regular file of at most %u bytes", o->config, DL_DOMCFG_MAX_SIZE);
	}
	o->cfgbuf = dl_malloc((size_t)st.st_size + 1);
	ssize_t r = dl_pread_full(fd, o->cfgbuf, (size_t)st.st_size, 0);
	close(fd);
	if (r != st.st_size)
		return die(DL_EIO, "%s: cannot read: %s", o->config, r < 0 ? strerror(errno) : "short read");
	o->cfglen = (size_t)r;
	o->cfgbuf[o->cfglen] = '\0';
	struct dl_error err = { 0 };
	if (dl_domcfg_parse(&o->cfg, DL_DIALECT_NONE, o->config, o->cfgbuf, o->cfglen, &err) < 0)
		return die(err.code, "%s", err.msg);
	return 0;
}

static int disk_format_of(const struct dl_domdisk *d, enum dl_disk_format *f, struct dl_error *err)
{
	switch (d->format) {
	case DL_DFMT_UNSET: case DL_DFMT_RAW: *f = DL_FMT_RAW; return 0;
	case DL_DFMT_QCOW2: *f = DL_FMT_QCOW2; return 0;
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
	enum dl_disk_format f = DL_FMT_RAW;
	if (disk_format_of(dd, &f, err) < 0)
		return -1;
	struct dl_disk *d;
	struct dl_disk_opts dopts = { .format = f, .allow_backing = o->allow_backing };
	if (dl_disk_open_opts(&d, path, &dopts, err) < 0)
		return -1;
	if (dd->vdev && dd->vdev[0])
		d->vdev = dl_strdup(dd->vdev);
	d->cdrom = dd->cdrom;
	dl_diskset_add(set, d);
	return 0;
}

/* --disks specs, then the configuration's boot disks (when no disk was
 * given on the command line), in boot order, read-only. */
static int open_domdisks(struct opts *o, struct dl_disk_set *set, struct dl_error *err)
{
	for (size_t i = 0; i < o->nxdisks; i++)
		if (open_domdisk(o, &o->xdisks[i], set, err) < 0)
			return -1;
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
		if (open_domdisk(o, &o->cfg.disks[order[i]], set, err) < 0)
			return -1;
	return 0;
}

/* Write OUT: the configuration for direct kernel boot (temp + rename). */
static int rewrite_config(struct opts *o, struct dl_payload *p, struct dl_error *err)
{
	size_t len;
	const char *args = p->res.args && *p->res.args ? p->res.args : NULL;
	_cleanup_free_ char *text = dl_domcfg_rewrite(o->cfg.dialect, o->config, o->cfgbuf, o->cfglen,
						      p->f[0].final, p->f[1].final, args, &len, err);
	if (!text)
		return -1;
	_cleanup_free_ char *tmp = dl_asprintf("%s.XXXXXX", o->rewrite);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->rewrite, strerror(errno));
	if (fchmod(fd, 0644) < 0 || dl_write_full(fd, text, len) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->rewrite, strerror(e));
	}
	close(fd);
	if (rename(tmp, o->rewrite) < 0) {
		int e = errno;
		unlink(tmp);
		return dl_fail(err, DL_EOUTPUT, "%s: %s", o->rewrite, strerror(e));
	}
	return 0;
}

static int run(struct opts *o)
{
	struct dl_error err = { 0 };
	struct dl_disk_set set = { 0 };
	struct dl_payload pay;
	struct dl_sink sink;
	int outfd = -1, rc = 0;

	dl_log_set(NULL, NULL, o->verbosity >= 2 ? DL_LOG_DEBUG : o->verbosity ? DL_LOG_INFO : DL_LOG_WARN);
	if ((rc = prepare_outdir(o)))
		return rc;
	for (size_t i = 0; i < o->ndisks; i++) {
		struct dl_disk *d;
		struct dl_disk_opts dopts = { .format = o->disk_format, .allow_backing = o->allow_backing };
		if (dl_disk_open_opts(&d, o->disks[i], &dopts, &err) < 0)
			goto fail;
		if (i == 0 && o->vdev)
			d->vdev = dl_strdup(o->vdev);
		dl_diskset_add(&set, d);
	}
	if (open_domdisks(o, &set, &err) < 0)
		goto fail;
	if (o->req.mode == DL_MODE_EXTRACT || o->req.mode == DL_MODE_NOT_REALLY) {
		outfd = open_output(o->output);
		if (outfd < 0) {
			dl_fail(&err, DL_EOUTPUT, "%s: %s", o->output, strerror(errno));
			goto fail;
		}
	}
	dl_payload_init(&pay, o->outdir, &set, o->req.max_kernel, o->req.max_ramdisk, &err);
	pay.dry = o->req.mode != DL_MODE_EXTRACT;
	dl_payload_sink(&pay, &sink);
	int frc;
	if (o->no_sandbox) {
		dl_warn("--no-sandbox: parsing guest data as root, without confinement");
		frc = dl_flow_run(&o->req, &set, &sink, &err);
	} else {
		struct dl_sandbox_opts sb;
		dl_sandbox_opts_init(&sb);
		sb.body = dl_flow_run;
		sb.timeout_s = o->timeout_s;
		sb.max_as = o->max_as;
		sb.fd_slots = dl_disk_fd_slots;   /* qcow2 backing files' fds too */
		frc = dl_sandbox_pick_user(&sb, o->runas, &err);
		if (frc == 0)
			frc = dl_sandbox_run(&sb, &o->req, &set, &sink, &err);
	}
	if (frc < 0)
		goto fail_payload;
	if (o->req.mode == DL_MODE_LIST || o->req.mode == DL_MODE_ISCONFIG || o->req.mode == DL_MODE_LIST_VOLUMES) {
		if (fflush(stdout) != 0) {
			dl_fail(&err, DL_EOUTPUT, "stdout: %s", strerror(errno));
			goto fail_payload;
		}
		goto done;
	}
	if (!pay.have_result) {
		dl_fail(&err, DL_ESANDBOX, "no result from the parser");
		goto fail_payload;
	}
	if (o->req.mode == DL_MODE_EXTRACT && dl_payload_commit(&pay, &err) < 0)
		goto fail_payload;
	if (write_result(o, outfd, &pay, &err) < 0)
		goto fail_payload;
	if (o->rewrite && rewrite_config(o, &pay, &err) < 0)
		goto fail_payload;
done:
	dl_payload_free(&pay);
	if (outfd > STDOUT_FILENO)
		close(outfd);
	dl_diskset_free(&set);
	return 0;
fail_payload:
	dl_payload_abort(&pay);
	dl_payload_free(&pay);
fail:
	if (outfd > STDOUT_FILENO)
		close(outfd);
	dl_diskset_free(&set);
	return die(err.code ? err.code : DL_EIO, "%s", err.code ? err.msg : "unknown failure");
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	int rc = load_config(argc, argv, &o);
	if (rc == 0) {
		/* bootloader_args go first, so the command line overrides them */
		size_t na = o.cfg.nbootloader_args;
		o.argv2 = dl_calloc((size_t)argc + na + 1, sizeof(char *));
		o.argv2[0] = argv[0];
		for (size_t i = 0; i < na; i++)
			o.argv2[1 + i] = o.cfg.bootloader_args[i];
		for (int i = 1; i < argc; i++)
			o.argv2[na + (size_t)i] = argv[i];
		/* kernel, ramdisk, cmdline are hints for a bootloader, as libxl passes
		 * them (PV/PVH only: libxl runs no bootloader for HVM, whose kernel
		 * is a dom0 path for direct boot) */
		if (o.cfg.bootloader && o.cfg.type != DL_DOMTYPE_HVM) {
			o.req.kernel = o.cfg.kernel;
			o.req.ramdisk = o.cfg.ramdisk;
			o.req.args = o.cfg.cmdline && o.cfg.cmdline[0] ? o.cfg.cmdline : NULL;
		}
		rc = parse_opts(argc + (int)na, o.argv2, &o);
	}
	if (rc == 0)
		rc = run(&o);
	free(o.disks);
	free(o.argv2);
	for (size_t i = 0; i < o.nxdisks; i++)
		dl_domdisk_clear(&o.xdisks[i]);
	free(o.xdisks);
	dl_domcfg_free(&o.cfg);
	free(o.cfgbuf);
	return rc;
}
