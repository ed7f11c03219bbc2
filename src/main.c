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
#include "flow.h"
#include "out/out.h"
#include "part/part.h"

#define DEFAULT_OUTDIR "/var/run/xen/pygrub"
#define MIB (1024ull * 1024)

struct opts {
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
	enum dl_disk_format disk_format;
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
	      "      --output-format=sxp|simple|simple0|json\n"
	      "      --output-directory=DIR  where the kernel and ramdisk go (" DEFAULT_OUTDIR ")\n"
	      "      --offset=BYTES          the filesystem starts at BYTES; no partition table\n"
	      "      --disks=SPECS           domUloader disk list \"phy:/dev/x,xvda,w file:/y,xvdb,w\"\n"
	      "      --root=DEV              the guest's root device (domUloader)\n"
	      "      --isconfig              IMAGE is a configuration file in dom0 (debugging)\n"
	      "      --max-kernel-size=MIB --max-ramdisk-size=MIB\n"
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
	OPT_VERSION, OPT_MAXK, OPT_MAXR, OPT_NOSANDBOX,
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
	{ "version", no_argument, NULL, OPT_VERSION },
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
	const char *e;
	if ((e = env_or("PYGRUB_MAX_FILE_SIZE_MB")) && parse_mib("PYGRUB_MAX_FILE_SIZE_MB", e, &o->req.max_kernel))
		return DL_EUSAGE;
	if ((e = env_or("PYGRUB_MAX_RAM_USAGE_MB")) && parse_mib("PYGRUB_MAX_RAM_USAGE_MB", e, &o->req.max_ramdisk))
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
				return die(DL_EUSAGE, "unknown output format '%s' (sxp, simple, simple0, json)", optarg);
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
			break;
		}
		case OPT_ENTRY: o->req.entry = optarg; o->interactive = false; break;
		case OPT_KERNEL: o->req.kernel = optarg; break;
		case OPT_RAMDISK: o->req.ramdisk = optarg; break;
		case OPT_ARGS: o->req.args = optarg; break;
		case OPT_ISCONFIG: o->req.mode = DL_MODE_ISCONFIG; break;
		case OPT_DEBUG: o->verbosity = 2; break;
		case OPT_DISKS: return die(DL_EUSAGE, "--disks is not supported yet");
		case OPT_ROOT: o->req.root = optarg; break;
		case OPT_MAXK: if (parse_mib("--max-kernel-size", optarg, &o->req.max_kernel)) return DL_EUSAGE; break;
		case OPT_MAXR: if (parse_mib("--max-ramdisk-size", optarg, &o->req.max_ramdisk)) return DL_EUSAGE; break;
		case OPT_NOSANDBOX: o->no_sandbox = true; break;
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
	if (!o->ndisks) {
		usage(stderr);
		return die(DL_EUSAGE, "no disk image given");
	}
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
	_cleanup_free_ char *kbuf = NULL;
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
	(void)kbuf;
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
		if (dl_disk_open(&d, o->disks[i], o->disk_format, &err) < 0)
			goto fail;
		if (i == 0 && o->vdev)
			d->vdev = dl_strdup(o->vdev);
		dl_diskset_add(&set, d);
	}
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
	if (dl_flow_run(&o->req, &set, &sink, &err) < 0)
		goto fail_payload;
	if (o->req.mode == DL_MODE_LIST || o->req.mode == DL_MODE_ISCONFIG) {
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
	int rc = parse_opts(argc, argv, &o);
	if (rc == 0)
		rc = run(&o);
	free(o.disks);
	return rc;
}
